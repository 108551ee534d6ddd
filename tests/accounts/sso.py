"""Run a single sign-on as a browser would: the Django test client for the portal, real HTTP
for the provider on 127.0.0.1, following every redirect between the two."""

import http.client
from urllib.parse import urlsplit

PROVIDER_ID = "testkommune"
PROVIDER_NAME = "Testkommunens Entra ID"


def _provider_redirect(url: str) -> str:
    """GET a URL of the provider without following its redirect; return where it sends to."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", f"{parts.path}?{parts.query}")
        response = connection.getresponse()
        response.read()
        assert response.status == 302, (url, response.status)
        return response.getheader("Location")
    finally:
        connection.close()


def follow(client, response, provider, max_hops: int = 15):
    """Follow redirects across the portal and the provider; return the portal's last answer."""
    for _ in range(max_hops):
        if response.status_code not in (301, 302, 303):
            return response
        location = response["Location"]
        while location.startswith(provider.issuer):
            location = _provider_redirect(location)
        response = client.get(location)
    raise AssertionError("Too many redirects")


def sso_login(client, provider, *, next_url: str | None = None):
    """Press "Log in with …" on the login page and run the whole flow."""
    data = {"process": "login"}
    if next_url:
        data["next"] = next_url
    response = client.post(f"/accounts/oidc/{PROVIDER_ID}/login/", data)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{provider.issuer}/authorize?")
    return follow(client, response, provider)
