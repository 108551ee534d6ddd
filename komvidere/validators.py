"""Validators shared by the content apps: plain-text fields and uploaded files.

Uploads are checked by their content (the `filetype` package reads the magic bytes), and the
name's extension must agree with what the content is: a text file named `report.pdf` is refused.
"""

import re
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
COVER_MAX_BYTES = 5 * 1024 * 1024
# Pixels (width × height) an uploaded image may have: a 20 KB PNG can claim 13000×13000, a
# 676 MB decode in every viewer's browser. Pillow itself only warns below twice its own limit.
MAX_IMAGE_PIXELS = 40_000_000

# Detected type (filetype's extension) → the file-name extensions that may carry it.
ATTACHMENT_TYPES: dict[str, set[str]] = {
    "pdf": {"pdf"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "pptx": {"pptx"},
    "odt": {"odt"},
    "ods": {"ods"},
    "odp": {"odp"},
    "png": {"png"},
    "jpg": {"jpg", "jpeg"},
    "webp": {"webp"},
}
ATTACHMENT_EXTENSIONS = sorted({ext for exts in ATTACHMENT_TYPES.values() for ext in exts})

# Pillow's format name → the extensions a cover image of that format may have.
COVER_FORMATS: dict[str, set[str]] = {"PNG": {"png"}, "JPEG": {"jpg", "jpeg"}, "WEBP": {"webp"}}


def no_control_characters(value: str) -> None:
    """Refuse NUL and other control characters (tabs and line breaks are fine)."""
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        raise ValidationError(_("Remove the invisible control characters from this text."))


_TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z!?]")


def no_html(value: str) -> None:
    """Plain-text fields (title, summary, names) take no HTML: refuse anything tag-like."""
    if value and _TAG_RE.search(value):
        raise ValidationError(
            _("Write plain text here: HTML tags such as <b> or <script> are not allowed."),
            code="html",
        )


def _extension(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def detect_attachment_type(file) -> filetype.Type | None:
    """The content type of an upload from its first bytes (the file position is kept)."""
    return filetype.guess(file)


def _too_many_pixels(width: int, height: int) -> ValidationError | None:
    if width * height > MAX_IMAGE_PIXELS:
        return ValidationError(
            _(
                "The image is %(width)s × %(height)s pixels; images may have at most "
                "%(limit)s megapixels. Save a smaller version and upload that."
            ),
            code="too_many_pixels",
            params={"width": width, "height": height, "limit": MAX_IMAGE_PIXELS // 1_000_000},
        )
    return None


def validate_image_pixels(file) -> None:
    """Refuse an image with more than MAX_IMAGE_PIXELS, reading only its header."""
    from PIL import Image

    position = file.tell() if hasattr(file, "tell") else None
    try:
        with Image.open(file) as image:
            width, height = image.size
    except Exception:
        raise ValidationError(_("The image could not be read."), code="invalid_image") from None
    finally:
        if position is not None:
            file.seek(position)
    error = _too_many_pixels(width, height)
    if error:
        raise error


def validate_attachment_file(file) -> None:
    """Size limit, allowed content type, and an extension that agrees with the content."""
    if file is None or getattr(file, "_committed", False):
        return  # already stored: it was checked when it was uploaded
    size = getattr(file, "size", None)
    if size is not None and size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; files may be at most %(limit)s."),
            code="too_large",
            params={
                "size": filesizeformat(size),
                "limit": filesizeformat(ATTACHMENT_MAX_BYTES),
            },
        )
    extension = _extension(getattr(file, "name", ""))
    if extension not in ATTACHMENT_EXTENSIONS:
        raise ValidationError(
            _("Files of this type cannot be attached. Allowed: %(allowed)s."),
            code="extension",
            params={"allowed": ", ".join(ATTACHMENT_EXTENSIONS)},
        )
    kind = detect_attachment_type(file)
    if kind is None or kind.extension not in ATTACHMENT_TYPES:
        raise ValidationError(
            _(
                "The file's content is not a PDF, office document or image we accept, "
                "whatever its name says. Allowed: %(allowed)s."
            ),
            code="content",
            params={"allowed": ", ".join(ATTACHMENT_EXTENSIONS)},
        )
    if extension not in ATTACHMENT_TYPES[kind.extension]:
        raise ValidationError(
            _("The file is named .%(extension)s but its content is a .%(detected)s file."),
            code="mismatch",
            params={"extension": extension, "detected": kind.extension},
        )
    if kind.extension in {"png", "jpg", "webp"}:
        validate_image_pixels(file)


def validate_cover_image(file) -> None:
    """Size limit and format for the cover image (Pillow has already opened it)."""
    if file is None or getattr(file, "_committed", False):
        return  # already stored: it was checked when it was uploaded
    size = getattr(file, "size", None)
    if size is not None and size > COVER_MAX_BYTES:
        raise ValidationError(
            _("The image is %(size)s; a cover image may be at most %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(COVER_MAX_BYTES)},
        )
    image = getattr(file, "image", None)  # set by forms.ImageField after Pillow verified it
    if image is None:
        validate_image_pixels(file)
        return
    error = _too_many_pixels(*image.size)
    if error:
        raise error
    allowed = COVER_FORMATS.get(image.format or "")
    if allowed is None:
        raise ValidationError(
            _("Use a PNG, JPEG or WebP image."), code="format", params={"format": image.format}
        )
    if _extension(file.name) not in allowed:
        raise ValidationError(
            _("The image is named .%(extension)s but it is a %(format)s image."),
            code="mismatch",
            params={"extension": _extension(file.name), "format": image.format},
        )
