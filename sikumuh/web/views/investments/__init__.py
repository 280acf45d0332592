"""The Investasi area: the list (filters, totals, downloads), the form, the deletion, and the
import wizard of investment files."""

from __future__ import annotations

from sikumuh.web.views.investments.pages import (
    investment_create,
    investment_delete,
    investment_edit,
    investment_list,
)
from sikumuh.web.views.investments.wizard import (
    investment_import,
    investment_import_confirm,
    investment_import_review,
)

__all__ = [
    "investment_create",
    "investment_delete",
    "investment_edit",
    "investment_import",
    "investment_import_confirm",
    "investment_import_review",
    "investment_list",
]
