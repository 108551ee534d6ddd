"""The weight of a page on first load, images excluded: its HTML and every stylesheet, script
and font it links to, each as gzip at level 9 would send it (whitenoise serves static files
pre-compressed; gunicorn output is compressed by the proxy).

    DJANGO_DEBUG=1 python bench/page_weight.py [path ...]   # default: /

Runs in-process against the configured database (seed it with `manage.py seed_demo`), logged
in as the first active member. Exits 1 when a page is over BUDGET_KB (100) compressed.
"""

import gzip
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402

BUDGET_KB = 100
ASSET = re.compile(r'<(?:link[^>]+rel="(?:stylesheet|preload)"[^>]*href|script[^>]+src)="([^"]+)"')
INLINE_IMAGE = re.compile(r"data:image/[^\"')]+")


def compressed(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def static_bytes(url: str) -> bytes | None:
    if not url.startswith(settings.STATIC_URL):
        return None
    path = finders.find(url[len(settings.STATIC_URL) :].split("?")[0])
    return Path(path).read_bytes() if path else None


def weigh(client: Client, path: str) -> tuple[int, list[tuple[str, int, int]]]:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 200, (path, response.status_code)
    html = response.content
    # Images are excluded from the budget, also when they are inlined as data: URLs.
    html_without_images = INLINE_IMAGE.sub("", html.decode()).encode()
    rows = [("HTML " + path, len(html), compressed(html_without_images))]
    for url in dict.fromkeys(ASSET.findall(html.decode())):
        data = static_bytes(url)
        if data is not None:
            rows.append((url, len(data), compressed(data)))
    return sum(row[2] for row in rows), rows


def main(paths: list[str]) -> int:
    client = Client()
    member = User.objects.filter(is_active=True, deleted_at__isnull=True).order_by("pk").first()
    if member is None:
        print("No members: run `manage.py seed_demo` first.")
        return 2
    client.force_login(member)
    worst = 0
    for path in paths or ["/"]:
        total, rows = weigh(client, path)
        for name, raw, packed in rows:
            print(f"  {name:<50} {raw / 1024:8.1f} KB raw {packed / 1024:8.1f} KB gzip")
        print(f"{path}: {total / 1024:.1f} KB compressed, images excluded (budget {BUDGET_KB} KB)")
        worst = max(worst, total)
    return 0 if worst <= BUDGET_KB * 1024 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
