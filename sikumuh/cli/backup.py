"""`sikumuh backup -o FILE [--passphrase-stdin]` and `sikumuh restore FILE [--passphrase-stdin]
[--force]`: one consistent, engine-neutral archive of the data and the uploaded files, and its
way back into an empty database of either engine (`sikumuh.io.backup`)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any, TextIO

from sikumuh.cli import base

logger = logging.getLogger(__name__)


def add_parser(sub: Any) -> None:
    backup = sub.add_parser(
        "backup", help="write all data and uploaded files to one archive (encrypted on request)"
    )
    backup.add_argument("-o", "--output", required=True, type=Path, help="the archive to write")
    backup.add_argument(
        "--passphrase-stdin", action="store_true", help="encrypt with a passphrase read from stdin"
    )
    backup.set_defaults(run=run_backup)
    restore = sub.add_parser(
        "restore", help="load a backup archive into an empty database (SQLite or PostgreSQL)"
    )
    restore.add_argument("file", type=Path, help="the archive written by `sikumuh backup`")
    restore.add_argument(
        "--passphrase-stdin", action="store_true", help="read the archive's passphrase from stdin"
    )
    restore.add_argument(
        "--force", action="store_true", help="replace the contents of a database that is not empty"
    )
    restore.set_defaults(run=run_restore)


def _passphrase(args: argparse.Namespace) -> str | None:
    from django.utils.translation import gettext as _

    if not args.passphrase_stdin:
        return None
    passphrase = sys.stdin.readline().rstrip("\r\n")
    if not passphrase:
        raise base.CommandError(_("no passphrase on standard input"))
    return passphrase


def run_backup(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django(migrate=False)  # a backup reads the database as it is
    from django.db import DatabaseError
    from django.utils.translation import gettext as _

    from sikumuh.io.backup.dump import backup

    passphrase = _passphrase(args)
    if not args.output.parent.is_dir():
        raise base.CommandError(_("%(file)s: no such folder") % {"file": args.output.parent.name})
    progress = base.Progress(_("tables"), err)
    try:
        summary = backup(args.output, passphrase, progress)
    except (DatabaseError, OSError) as exc:
        logger.exception("backup failed")
        raise base.CommandError(
            _("backup failed: %(reason)s") % {"reason": type(exc).__name__}
        ) from exc
    finally:
        progress.finish()
    print(
        _(
            "backup written: %(file)s (%(tables)d tables, %(rows)d rows, %(media)d files,"
            " %(mib).1f MiB, %(mode)s)"
        )
        % {
            "file": args.output.name,
            "tables": summary.tables,
            "rows": summary.rows,
            "media": summary.media_files,
            "mib": summary.size / 2**20,
            "mode": _("encrypted") if summary.encrypted else _("not encrypted"),
        },
        file=out,
    )
    return 0


def run_restore(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    base.setup_django(migrate=False)  # the restore brings the schema itself
    from django.db import DatabaseError
    from django.utils.translation import gettext as _

    from sikumuh.io.backup import BackupError
    from sikumuh.io.backup.restore import restore

    passphrase = _passphrase(args)
    progress = base.Progress(_("rows"), err)
    try:
        restored = restore(args.file, passphrase, force=args.force, progress=progress)
    except BackupError as exc:
        raise base.CommandError(str(exc)) from exc
    except (DatabaseError, OSError) as exc:
        logger.exception("restore failed")
        raise base.CommandError(
            _("%(file)s could not be loaded into the database (%(reason)s)")
            % {"file": args.file.name, "reason": type(exc).__name__}
        ) from exc
    finally:
        progress.finish()
    print(
        _(
            "restored: %(tables)d tables, %(rows)d rows, %(media)d files;"
            " %(migrations)d migrations applied after the load"
        )
        % {
            "tables": restored.tables,
            "rows": restored.rows,
            "media": restored.media_files,
            "migrations": restored.migrated_forward,
        },
        file=out,
    )
    return 0
