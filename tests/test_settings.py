"""The suite runs the configuration production runs: config.settings_test changes only what
its comments explain, and no setting looks at how it was imported."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What config/settings_test.py changes, each for the reason written there.
TEST_ONLY = {
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE",
    "STORAGES",
    "WHITENOISE_AUTOREFRESH",
    "CACHES",
}
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "test-only-secret-key-not-used-anywhere-else",
    "DJANGO_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
}
DUMP = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = sys.argv[1]
import django
django.setup()  # the lazy translations in LANGUAGES need the apps to render
from django.conf import settings
print(json.dumps({k: repr(getattr(settings, k)) for k in dir(settings) if k.isupper()}))
"""


def _settings(module: str, **env) -> dict:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "EMAIL_", "REDIS_", "DATABASE_"))
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", DUMP, module],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_test_settings_differ_from_production_only_where_documented():
    production = _settings("config.settings")
    tests = _settings("config.settings_test")
    differ = {k for k in production.keys() | tests.keys() if production.get(k) != tests.get(k)}
    differ.discard("SETTINGS_MODULE")  # the name of the module itself
    assert differ == TEST_ONLY
    assert production["DEBUG"] == tests["DEBUG"] == "False"


def test_no_setting_depends_on_the_test_runner():
    for path in (ROOT / "config").glob("*.py"):
        assert "sys.modules" not in path.read_text(), path


def test_email_url_configures_smtp():
    settings = _settings("config.settings", EMAIL_URL="smtp+tls://kv:hemmelig@mail.example.dk:2525")
    assert settings["EMAIL_BACKEND"] == repr("django.core.mail.backends.smtp.EmailBackend")
    assert settings["EMAIL_HOST"] == repr("mail.example.dk")
    assert settings["EMAIL_PORT"] == "2525"
    assert settings["EMAIL_HOST_USER"] == repr("kv")
    assert settings["EMAIL_HOST_PASSWORD"] == repr("hemmelig")
    assert settings["EMAIL_USE_TLS"] == "True"


def test_without_mail_settings_mail_goes_to_the_console():
    settings = _settings("config.settings")
    assert settings["EMAIL_BACKEND"] == repr("django.core.mail.backends.console.EmailBackend")


def test_urls_without_a_scheme_are_https():
    assert _settings("config.settings")["FORMS_URLFIELD_ASSUME_HTTPS"] == "True"
