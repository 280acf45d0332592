"""Small typed helpers that read settings from the environment and fail loudly."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class ImproperlyConfiguredEnv(RuntimeError):
    """An environment variable is missing or malformed."""


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfiguredEnv(f"environment variable {name} is required")
    return value


def _missing(name: str, hint: str) -> ImproperlyConfiguredEnv:
    return ImproperlyConfiguredEnv(
        f"environment variable {name} is required in production (SIKUMUH_ENV=production): {hint}"
    )


def env_required(name: str, hint: str) -> str:
    """A variable that must be set and non-empty; the error says what to put in it."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise _missing(name, hint)
    return value


def env_required_list(name: str, hint: str) -> list[str]:
    """A comma-separated list that must name at least one item."""
    items = env_list(name, [])
    if not items:
        raise _missing(name, hint)
    return items


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfiguredEnv(f"{name}={raw!r} is not a boolean (use true/false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw.strip().replace("_", ""))
    except ValueError:
        raise ImproperlyConfiguredEnv(f"{name}={raw!r} is not a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def local_secret_key(var_dir: Path) -> str:
    """A secret key generated once into var/ for local use (never committed)."""
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key
