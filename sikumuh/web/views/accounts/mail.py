"""Invitation and password-reset e-mails: a link carrying Django's password-reset token, which
expires (settings.PASSWORD_RESET_TIMEOUT) and dies as soon as the password changes."""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

log = logging.getLogger(__name__)


def set_password_link(request: HttpRequest, user: Any) -> str:
    path = reverse(
        "web:password_set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return request.build_absolute_uri(path)


def send_link(request: HttpRequest, user: Any, *, kind: str) -> bool:
    """Send the invitation (`kind="invite"`) or the reset (`kind="reset"`) e-mail; False when
    the mail server refused it (logged; the user sees no server message)."""
    context = {
        "user": user,
        "link": set_password_link(request, user),
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    subject = render_to_string(f"web/accounts/email/{kind}_subject.txt", context)
    body = render_to_string(f"web/accounts/email/{kind}_body.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [user.email])
    except (smtplib.SMTPException, OSError):
        log.exception("the %s e-mail to user %s could not be sent", kind, user.pk)
        return False
    return True
