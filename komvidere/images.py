"""Uploaded cover images are re-encoded before they are stored: at most COVER_MAX_SIDE pixels
on the long side, metadata (GPS positions in photos) dropped, in the format they came in.

Connected to pre_save for every model with a `cover_image` field (komvidere/apps.py), so the
content apps' write paths need no change. Only a new, not yet stored upload is touched.
"""

import io
import logging
from pathlib import PurePath

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from komvidere.validators import MAX_IMAGE_PIXELS

logger = logging.getLogger(__name__)

COVER_MAX_SIDE = 2400
_SAVE_OPTIONS = {"JPEG": {"quality": 85, "optimize": True}, "PNG": {"optimize": True}}


def reencode(data, *, max_side: int = COVER_MAX_SIDE) -> tuple[bytes, str] | None:
    """The image re-encoded (bytes, Pillow format), or None if it cannot be read."""
    with Image.open(data) as image:
        if image.width * image.height > MAX_IMAGE_PIXELS:
            return None  # refused by the validators; never decoded here
        fmt = image.format or "PNG"
        image = ImageOps.exif_transpose(image)
        image.thumbnail((max_side, max_side))
        if fmt == "JPEG" and image.mode not in {"RGB", "L"}:
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, format=fmt, **_SAVE_OPTIONS.get(fmt, {}))
    return out.getvalue(), fmt


def reencode_cover(sender, instance, **kwargs) -> None:
    field_file = getattr(instance, "cover_image", None)
    if not field_file or getattr(field_file, "_committed", True):
        return
    try:
        field_file.file.seek(0)
        result = reencode(field_file.file)
    except Exception:
        logger.warning("Could not re-encode the cover image of %r", instance, exc_info=True)
        return
    if result is None:
        return
    data, _fmt = result
    name = PurePath(field_file.name).name
    field_file.file = ContentFile(data, name=name)
    field_file._committed = False
