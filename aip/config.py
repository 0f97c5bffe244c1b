"""Configuration read from the environment, with development defaults."""

import os
import secrets
from pathlib import Path

# Free-mail providers whose addresses cannot belong to a school or district.
FREE_MAIL_DOMAINS = frozenset(
    """
    gmail.com googlemail.com yahoo.com ymail.com rocketmail.com hotmail.com
    outlook.com live.com msn.com aol.com icloud.com me.com mac.com
    protonmail.com proton.me pm.me gmx.com gmx.net mail.com zoho.com
    yandex.com yandex.ru tutanota.com tuta.io fastmail.com hey.com
    comcast.net att.net sbcglobal.net verizon.net cox.net centurylink.net
    """.split()
)


def _env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name, default):
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


class Config:
    """Settings for every environment; production values come from AIP_*."""

    ENV_NAME = os.environ.get("AIP_ENV", "development")
    SECRET_KEY = os.environ.get("AIP_SECRET_KEY")
    DATABASE_URL = os.environ.get("AIP_DATABASE_URL")

    # Flask-WTF ties the CSRF token to the session instead of a one-hour
    # clock, so a plan left open over lunch still saves.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_HEADERS = ["X-CSRFToken"]

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("AIP_SECURE_COOKIES", False)
    REMEMBER_COOKIE_DURATION = 0
    SESSION_MAX_AGE_HOURS = _env_int("AIP_SESSION_MAX_AGE_HOURS", 12)

    # Password rules PED requires. NIST SP 800-63B and OWASP ASVS advise
    # against composition rules and forced expiry, so each one is a setting.
    PASSWORD_MIN_LENGTH = _env_int("AIP_PASSWORD_MIN_LENGTH", 12)
    PASSWORD_REQUIRE_CLASSES = _env_bool("AIP_PASSWORD_REQUIRE_CLASSES", True)
    PASSWORD_MAX_AGE_DAYS = _env_int("AIP_PASSWORD_MAX_AGE_DAYS", 60)
    PASSWORD_HISTORY_COUNT = _env_int("AIP_PASSWORD_HISTORY_COUNT", 5)
    # werkzeug's method string; tests use a cheap one to stay fast.
    PASSWORD_HASH_METHOD = "scrypt"

    SIGNIN_CODE_TTL_SECONDS = 600
    SIGNIN_CODE_MAX_ATTEMPTS = 5
    # Failed sign-ins allowed per account and per client address within
    # the window before further attempts are rejected.
    SIGNIN_MAX_FAILURES_PER_ACCOUNT = 5
    SIGNIN_MAX_FAILURES_PER_ADDRESS = 20
    SIGNIN_FAILURE_WINDOW_SECONDS = 900
    PASSWORD_RESET_TTL_SECONDS = 3600

    FREE_MAIL_DOMAINS = FREE_MAIL_DOMAINS

    MAIL_FROM = os.environ.get("AIP_MAIL_FROM", "AIP <no-reply@aip.localhost>")
    SMTP_HOST = os.environ.get("AIP_SMTP_HOST")
    SMTP_PORT = _env_int("AIP_SMTP_PORT", 25)
    SMTP_USERNAME = os.environ.get("AIP_SMTP_USERNAME")
    SMTP_PASSWORD = os.environ.get("AIP_SMTP_PASSWORD")
    SMTP_STARTTLS = _env_bool("AIP_SMTP_STARTTLS", False)
    # A CA bundle for a relay with a private certificate authority.
    SMTP_CA_FILE = os.environ.get("AIP_SMTP_CA_FILE")
    SMTP_TIMEOUT_SECONDS = _env_int("AIP_SMTP_TIMEOUT_SECONDS", 10)
    MAIL_MAX_ATTEMPTS = 8

    TIMEZONE = "America/Denver"
    TESTING = False


def load_secret_key(instance_path):
    """Return a development secret key kept in the instance folder.

    Production must set AIP_SECRET_KEY, so that every app server signs
    cookies with the same key; the factory refuses to start otherwise.
    """
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
