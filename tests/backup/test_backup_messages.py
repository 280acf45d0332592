"""Every message `sikumuh backup` and `sikumuh restore` show has its Bahasa Indonesia
translation (cli catalogue)."""

from __future__ import annotations

import pytest

from tests.reports.messages import ROOT, parse_po, python_messages, xgettext_available

pytestmark = pytest.mark.skipif(not xgettext_available(), reason="xgettext (gettext) is missing")

SOURCES = [ROOT / "cli" / "backup.py", *sorted((ROOT / "io" / "backup").glob("*.py"))]
CATALOGUE = ROOT / "locale" / "cli" / "id" / "LC_MESSAGES" / "django.po"


def test_every_message_of_backup_and_restore_is_translated() -> None:
    used = python_messages(SOURCES)
    assert len(used) >= 15
    translated = parse_po(CATALOGUE.read_text("utf-8"))
    assert sorted(k[1] for k in used if not translated.get(k) or not translated[k].msgstr) == []
