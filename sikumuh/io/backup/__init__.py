"""Backups: one consistent, engine-neutral archive of the data and the uploaded files
(`sikumuh backup`), loaded into an empty database of either engine (`sikumuh restore`)."""

from __future__ import annotations

from django.utils.translation import gettext as _


class BackupError(Exception):
    """One clear line for the operator; nothing has been written when it is raised."""


def damaged(name: str) -> BackupError:
    return BackupError(
        _("%(file)s: wrong passphrase, or the archive is damaged; nothing was restored")
        % {"file": name}
    )
