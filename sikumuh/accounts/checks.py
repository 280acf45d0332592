"""System checks of the accounts: no demo login may open a production site.

Registered without the `database` tag on purpose: Django then runs it on `check`, `migrate` and
`runserver` (`sikumuh serve`), not only when a database is named.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError
from django.utils.translation import gettext as _

from sikumuh.accounts.demo import known_demo_logins


@register("security")
def demo_logins_in_production(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """An Error for each demo account whose published password still opens it in production."""
    if not settings.PRODUCTION:
        return []
    logins = dict(known_demo_logins())
    try:
        hashes = dict(
            get_user_model()
            .objects.filter(username__in=logins, is_active=True)
            .values_list("username", "password")
        )
    except DatabaseError:  # no tables yet (before the first migrate): no accounts either
        return []
    # hashers.check_password without a setter: checking must not re-hash and write.
    opened = sorted(name for name, hashed in hashes.items() if check_password(logins[name], hashed))
    return [
        Error(
            _("Demo account %(name)s still has the password the demo publishes.") % {"name": name},
            hint=_("Change its password (manage.py changepassword) or delete the account."),
            obj=name,
            id="sikumuh.E001",
        )
        for name in opened
    ]


def refuse_demo_logins() -> None:
    """Stop a production start (WSGI, `sikumuh serve`/`migrate`) while a demo login works:
    `call_command` and gunicorn skip the system checks."""
    errors = demo_logins_in_production()
    if errors:
        raise ImproperlyConfigured(" ".join(str(e.msg) for e in errors))
