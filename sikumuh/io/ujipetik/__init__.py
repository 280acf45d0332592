"""The uji petik checklist on phones: its XLSForm (`xlsform`) and the import of its ODK Central
or KoboToolbox CSV export (`odk_import`)."""
