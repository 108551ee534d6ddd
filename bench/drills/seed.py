"""The drills' data: an asker with a thread (who follows it, so every reply e-mails them) and
a replier, each with a login session. Run through manage.py shell by bench/drills/common.py:
it prints one JSON line with the thread and the two session cookies."""

import importlib
import json

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

from accounts.models import Organisation, User
from bench.drills.common import PASSWORD
from dilemmas import services


def _member(email: str, name: str, organisation) -> User:
    user, _ = User.objects.get_or_create(
        email=email,
        defaults={"name": name, "organisation": organisation, "job_title": "Klimakonsulent"},
    )
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _session(user: User) -> str:
    store = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def run() -> None:
    organisation = Organisation.objects.filter(kind="municipality").order_by("pk").first()
    asker = _member("asker@drill.invalid", "Drill Asker", organisation)
    replier = _member("replier@drill.invalid", "Drill Replier", organisation)
    asker.email_notifications = User.NotifyBy.IMMEDIATELY
    asker.save(update_fields=["email_notifications"])
    replier.set_password(PASSWORD)  # before its session: a new password ends old sessions
    replier.save(update_fields=["password"])
    dilemma = services.dilemma_create(
        author=asker,
        kind="question",
        title="Drill: hvordan holder vi varmeplanen i gang under nedbrud?",
        body="En tråd til driftsøvelser.",
        check_rate=False,
    )
    print(  # noqa: T201 - read by the drill
        json.dumps(
            {
                "dilemma": dilemma.pk,
                "asker": asker.pk,
                "asker_session": _session(asker),
                "replier_session": _session(replier),
                "session_cookie": settings.SESSION_COOKIE_NAME,
            }
        )
    )
