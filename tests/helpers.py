"""Small helpers shared by tests."""

import re

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)


def count_h1(response) -> int:
    return len(re.findall(r"<h1[\s>]", response.content.decode()))


def totp_code(secret: str) -> str:
    """The code an authenticator app shows right now."""
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def wrong_totp_code(secret: str) -> str:
    """A well-formed code that is valid at no counter in the tolerance window."""
    valid = {format_hotp_value(hotp_value(secret, c)) for c in yield_hotp_counters_from_time()}
    candidate = 123456
    while format_hotp_value(candidate) in valid:
        candidate += 1
    return format_hotp_value(candidate)


def enable_mfa(user) -> str:
    """Activate TOTP and recovery codes through allauth's internal API; return the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret
