"""Reports as documents: *Laporan Uji Petik*, *Profil Kawasan Kumuh*, *Laporan Pengurangan
Luasan Kumuh* — PDF (HTML and CSS through WeasyPrint) and XLSX (one sheet per table).

Not a Django app: no models. Each report has a data module that gathers its figures through the
existing selectors (``*_data.py``: fetching only, no figure is computed twice), and
:mod:`sikumuh.reports.build` turns them into a file. Templates are loaded by a dedicated engine
(:mod:`sikumuh.reports.render`), so the reports need no entry in ``INSTALLED_APPS`` and do not
depend on the web interface; the CLI (`sikumuh report ...`) and the web downloads call the same
builders.
"""
