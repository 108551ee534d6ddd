"""Cover images: re-encoded before they are stored, and smaller WebP renditions of them.

Re-encoding: at most COVER_MAX_SIDE pixels on the long side, metadata (GPS positions in
photos) dropped, in the format they came in. Connected to pre_save for every model with a
`cover_image` field (komvidere/apps.py); only a new, not yet stored upload is touched.

Renditions: WebP copies RENDITION_WIDTHS pixels wide, stored beside the original under a name
derived from it (`cases/7/cover/ab12.jpg` → `cases/7/cover/ab12.w400.webp`), so they need no
field of their own and can always be found and removed. The content services make them once
a cover is stored (make_renditions) and remove them with it (delete_renditions_after_commit).
Everything goes through the storage API (save/open/exists/delete), so S3 works as disk does.
"""

import io
import logging
import posixpath
from collections.abc import Iterable
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from PIL import Image, ImageOps

from komvidere.publishing import delete_file_after_commit
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


# --- renditions ----------------------------------------------------------------------------------

RENDITION_WIDTHS = (400, 800)
RENDITION_CONTENT_TYPE = "image/webp"
_RENDITION_OPTIONS = {"format": "WEBP", "quality": 80, "method": 4}


def rendition_name(name: str, width: int) -> str:
    """The storage name of the `width` pixels wide rendition of the stored image `name`."""
    stem, _extension = posixpath.splitext(name)
    return f"{stem}.w{width}.webp"


def _for_webp(image: Image.Image) -> Image.Image:
    """The image in a mode WebP stores: RGBA where there is transparency, RGB otherwise
    (palette, CMYK, greyscale and 16-bit images are converted)."""
    if image.mode in {"RGB", "RGBA"}:
        return image
    if image.mode in {"LA", "PA", "La"} or (image.mode == "P" and "transparency" in image.info):
        return image.convert("RGBA")
    if image.mode.startswith("I") or image.mode == "F":
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    return image.convert("RGB")


def render_widths(data, widths: Iterable[int] = RENDITION_WIDTHS) -> dict[int, bytes]:
    """WebP renditions of the image in `data` (a binary file), keyed by width.

    The image is turned upright first (its EXIF orientation); each rendition keeps its aspect
    ratio; a width larger than the image is skipped, never upscaled. An image too large to
    decode safely (the validators' pixel limit) gives nothing.
    """
    out = {}
    with Image.open(data) as opened:
        if opened.width * opened.height > MAX_IMAGE_PIXELS:
            return out
        image = _for_webp(ImageOps.exif_transpose(opened))
        for width in sorted(set(widths)):
            if width > image.width:
                continue
            height = max(1, round(image.height * width / image.width))
            resized = image if width == image.width else image.resize((width, height))
            buffer = io.BytesIO()
            resized.save(buffer, **_RENDITION_OPTIONS)
            out[width] = buffer.getvalue()
    return out


def make_renditions(
    storage: Storage,
    name: str,
    *,
    widths: Iterable[int] = RENDITION_WIDTHS,
    missing_only: bool = False,
) -> list[int]:
    """Store the WebP renditions of the stored image `name`; return the widths stored.

    An existing rendition is replaced, or kept when `missing_only`. Never raises: an image
    that cannot be read or stored is logged and gets no renditions, and whoever serves it
    falls back to the original.
    """
    if not name:
        return []
    try:
        wanted = list(widths)
        if missing_only:
            wanted = [w for w in wanted if not storage.exists(rendition_name(name, w))]
            if not wanted:
                return []
        with storage.open(name, "rb") as original:
            rendered = render_widths(original, wanted)
        stored = []
        for width, content in rendered.items():
            target = rendition_name(name, width)
            if storage.exists(target):
                storage.delete(target)
            saved = storage.save(target, ContentFile(content))
            if saved != target:  # the storage chose another name: it could never be found
                storage.delete(saved)
                logger.warning("Rendition %s was stored as %s; removed", target, saved)
                continue
            stored.append(width)
    except Exception:
        logger.warning("Could not make the renditions of %s", name, exc_info=True)
        return []
    return stored


def delete_renditions_after_commit(storage: Storage, name: str) -> None:
    """Remove every rendition of the stored image `name` once the transaction commits (a
    rollback keeps them, as it keeps the original)."""
    if not name:
        return
    for width in RENDITION_WIDTHS:
        delete_file_after_commit(storage, rendition_name(name, width))
