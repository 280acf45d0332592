"""The Investasi area: the list (filters, totals, downloads), the form, the deletion, the
import wizard of investment files, and the planner."""

from __future__ import annotations

from sikumuh.web.views.investments.pages import (
    investment_create,
    investment_delete,
    investment_edit,
    investment_list,
)
from sikumuh.web.views.investments.planner import (
    investment_plan,
    investment_plan_costs,
    investment_plan_export,
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
    "investment_plan",
    "investment_plan_costs",
    "investment_plan_export",
]
