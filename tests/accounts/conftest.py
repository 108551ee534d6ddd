import pytest

from tests.accounts.oidc_provider import CLIENT_ID, CLIENT_SECRET, OIDCProvider
from tests.accounts.sso import PROVIDER_ID, PROVIDER_NAME


@pytest.fixture
def oidc(settings, monkeypatch):
    """A real OpenID Connect provider on 127.0.0.1, configured as the portal's single sign-on
    the way config.settings configures it from the OIDC_* variables."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    provider = OIDCProvider().start()
    providers = {**settings.SOCIALACCOUNT_PROVIDERS}
    providers["openid_connect"] = {
        **providers["openid_connect"],
        "APPS": [
            {
                "provider_id": PROVIDER_ID,
                "name": PROVIDER_NAME,
                "client_id": CLIENT_ID,
                "secret": CLIENT_SECRET,
                "settings": {"server_url": provider.issuer},
            }
        ],
    }
    settings.SOCIALACCOUNT_PROVIDERS = providers
    yield provider
    provider.stop()
