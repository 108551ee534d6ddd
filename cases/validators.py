"""Moved to komvidere.validators (shared with articles); kept importable while cases settles."""

from komvidere.validators import (  # noqa: F401
    ATTACHMENT_EXTENSIONS,
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    COVER_FORMATS,
    COVER_MAX_BYTES,
    detect_attachment_type,
    no_html,
    validate_attachment_file,
    validate_cover_image,
)
