"""The SK Kumuh registry: decrees, their versions, and the draft list for status removal."""

from __future__ import annotations

from sikumuh.web.views.sk.edit import sk_create, sk_edit, sk_new_version
from sikumuh.web.views.sk.layer import sk_layer
from sikumuh.web.views.sk.pages import sk_detail, sk_diff, sk_list, sk_removal
from sikumuh.web.views.sk.upload import sk_lampiran, sk_upload

__all__ = [
    "sk_create",
    "sk_detail",
    "sk_diff",
    "sk_edit",
    "sk_lampiran",
    "sk_layer",
    "sk_list",
    "sk_new_version",
    "sk_removal",
    "sk_upload",
]
