"""Fill the benchmark database with enough rows that slow queries and N+1s show.

Run through `manage.py shell -c "import bench.seed; bench.seed.run()"` by bench/run.sh.
Idempotent: it only tops up to the target counts.
"""

import importlib
import importlib.util

from allauth.account.models import EmailAddress
from django.apps import apps
from django.db import transaction

from accounts.models import Organisation, User

MEMBERS = 600
PASSWORD = "bench-password-123"  # noqa: S105 - benchmark database only


@transaction.atomic
def run() -> None:
    organisations = list(Organisation.objects.filter(kind="municipality"))
    existing = User.objects.filter(email__endswith=".bench").count()
    new = []
    for i in range(existing, MEMBERS):
        org = organisations[i % len(organisations)]
        new.append(
            User(
                email=f"member{i}@{org.slug}.bench",
                name=f"Bench Member {i}",
                job_title="Klimakonsulent",
                organisation=org,
            )
        )
    User.objects.bulk_create(new)
    users = User.objects.filter(email__endswith=".bench")
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        ignore_conflicts=True,
    )
    # Content apps add their own bulk data, when they provide a `bench_seed(users)` hook.
    for app_label in ("cases", "dilemmas", "articles"):
        if apps.is_installed(app_label) and importlib.util.find_spec(f"{app_label}.demo"):
            module = importlib.import_module(f"{app_label}.demo")
            if hasattr(module, "bench_seed"):
                module.bench_seed(list(users[:50]))
    print(f"bench data: {users.count()} members")  # noqa: T201


def session_cookie() -> str:
    """A session for the first bench member, for wrk's Cookie header."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    SessionStore = importlib.import_module(settings.SESSION_ENGINE).SessionStore

    user = User.objects.filter(email__endswith=".bench").order_by("pk").first()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
