from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# A production site refuses to start while an account opens with a demo's published password.
from sikumuh.accounts.checks import refuse_demo_logins  # noqa: E402  # needs the apps loaded

refuse_demo_logins()
