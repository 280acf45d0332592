"""The main navigation: (url name, label) per area, each taking the current region code.

An entry whose page does not exist (yet) is left out rather than breaking every page.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

NAV = (
    ("web:dashboard", _("Dashboard")),
    ("web:sk_list", _("SK Kumuh")),
    ("web:delineation", _("Delineation")),
    ("web:fieldwork", _("Data collection")),
    ("web:rt_data", _("RT data")),
    ("web:investments", _("Investments")),
    ("web:review", _("Review")),
    ("web:uji_petik", _("Uji petik")),
    ("web:reports", _("Reports")),
)
