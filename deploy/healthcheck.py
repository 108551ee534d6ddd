"""Docker HEALTHCHECK: GET /health/ on the local gunicorn; exit 0 only on HTTP 200.

Sends a Host header that Django accepts (the first of DJANGO_ALLOWED_HOSTS), and ignores any
HTTP proxy variables. /health/ is exempt from the HTTPS redirect.
"""

import os
import sys
import urllib.request

hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
host = hosts[0].lstrip(".") if hosts and hosts[0] != "*" else "localhost"

opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
request = urllib.request.Request("http://127.0.0.1:8000/health/", headers={"Host": host})
try:
    with opener.open(request, timeout=4) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception as exc:  # any failure means unhealthy
    print(f"unhealthy: {exc}", file=sys.stderr)
    sys.exit(1)
