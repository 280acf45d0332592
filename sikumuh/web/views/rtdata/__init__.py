"""The RT data area: the RT table, the entry form with its live score, the import wizard (the
template, ODK exports of the RT survey, SIM KOTAKU exports), the import history, the template
download and the RT survey's XLSForm."""

from __future__ import annotations

from sikumuh.web.views.rtdata.foreign import (
    foreign_import,
    foreign_import_confirm,
    foreign_import_review,
)
from sikumuh.web.views.rtdata.form import rt_create, rt_form, rt_form_score
from sikumuh.web.views.rtdata.photos import rt_photo
from sikumuh.web.views.rtdata.survey import survey_xlsform
from sikumuh.web.views.rtdata.table import rt_data
from sikumuh.web.views.rtdata.wizard import (
    import_confirm,
    import_history,
    import_review,
    import_run,
    import_wizard,
    template_download,
)

__all__ = [
    "foreign_import",
    "foreign_import_confirm",
    "foreign_import_review",
    "import_confirm",
    "import_history",
    "import_review",
    "import_run",
    "import_wizard",
    "rt_create",
    "rt_data",
    "rt_form",
    "rt_form_score",
    "rt_photo",
    "survey_xlsform",
    "template_download",
]
