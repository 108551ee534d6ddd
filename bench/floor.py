"""The bare floor: the least a Django page can cost under our gunicorn settings.

    gunicorn bench.floor:application --bind 127.0.0.1:8766 --workers 2

One URL (`/`) whose view renders a small template with a 20-item loop (a list page's skeleton:
a heading, 20 cards with a link, a title and a line of text). Settings are configured here,
inline: no database, no middleware, no sessions, DEBUG off, the cached template loader (as in
production, where DEBUG is off). bench/run.sh serves it beside the portal, with the same
gunicorn settings, and measures every page as a share of it (bench/load.py).
"""

import django
from django.conf import settings

TEMPLATE = """<!doctype html>
<html lang="da"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
<ol>{% for item in items %}
<li class="card"><a href="/items/{{ item.pk }}/">{{ item.title }}</a>
<p>{{ item.summary|truncatewords:12 }}</p>
<small>{{ item.kind|upper }} · {{ forloop.counter }}</small></li>
{% endfor %}</ol></main></body></html>
"""

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-floor-only-not-a-secret-0123456789abcdef",  # noqa: S106
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        DATABASES={},
        USE_I18N=False,
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "OPTIONS": {
                    "loaders": [
                        (
                            "django.template.loaders.cached.Loader",
                            [("django.template.loaders.locmem.Loader", {"floor.html": TEMPLATE})],
                        )
                    ],
                },
            }
        ],
        LOGGING_CONFIG=None,
    )
    django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.urls import path  # noqa: E402

ITEMS = [
    {
        "pk": i,
        "title": f"Fjernvarme i landsbyer {i}",
        "summary": "Kommunen har sammen med borgerne lagt en plan for overskudsvarme, "
        "solceller og varmepumper i de små byer, med CO2-regnskab og budget.",
        "kind": "case",
    }
    for i in range(20)
]


def floor(request):
    return render(request, "floor.html", {"title": "Floor", "items": ITEMS})


urlpatterns = [path("", floor)]

application = get_wsgi_application()
