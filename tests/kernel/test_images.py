"""Cover renditions (komvidere.images): WebP at the rendition widths, never upscaled, upright,
in a mode WebP stores; kept in any storage through the storage API alone."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from PIL import Image

from komvidere import images
from komvidere.templatetags.komvidere import rendition_srcset

NAME = "cases/7/cover/ab12cd.png"


def _image_bytes(size, *, mode="RGB", fmt="PNG", colour=None, **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour if colour is not None else 0).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def _open(storage, name) -> Image.Image:
    with storage.open(name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


@pytest.fixture
def storage():
    return InMemoryStorage()


def test_a_rendition_is_named_after_its_original():
    assert images.rendition_name(NAME, 400) == "cases/7/cover/ab12cd.w400.webp"
    assert images.rendition_name("cases/7/cover/ab12cd", 800) == "cases/7/cover/ab12cd.w800.webp"


def test_renditions_are_webp_at_400_and_800_keeping_the_aspect_ratio(storage):
    storage.save(NAME, ContentFile(_image_bytes((1600, 900))))

    assert images.make_renditions(storage, NAME) == [400, 800]

    for width, height in [(400, 225), (800, 450)]:
        rendition = _open(storage, images.rendition_name(NAME, width))
        assert rendition.format == "WEBP"
        assert rendition.size == (width, height)


def test_a_small_image_is_never_upscaled(storage):
    storage.save(NAME, ContentFile(_image_bytes((600, 300))))
    assert images.make_renditions(storage, NAME) == [400]
    assert _open(storage, images.rendition_name(NAME, 400)).size == (400, 200)
    assert not storage.exists(images.rendition_name(NAME, 800))

    small = "cases/7/cover/small.png"
    storage.save(small, ContentFile(_image_bytes((300, 200))))
    assert images.make_renditions(storage, small) == []
    assert not storage.exists(images.rendition_name(small, 400))


def test_the_exif_orientation_is_applied_before_measuring(storage):
    exif = Image.Exif()
    exif[0x0112] = 6  # stored lying on its side: turn 90° clockwise to show it
    name = "cases/7/cover/photo.jpg"
    storage.save(name, ContentFile(_image_bytes((900, 500), fmt="JPEG", exif=exif.tobytes())))

    assert images.make_renditions(storage, name) == [400]  # upright it is 500 wide
    assert _open(storage, images.rendition_name(name, 400)).size == (400, 720)


@pytest.mark.parametrize(
    ("mode", "fmt", "expected", "save"),
    [
        ("P", "PNG", "RGBA", {"transparency": 0}),
        ("P", "PNG", "RGB", {}),
        ("LA", "PNG", "RGBA", {}),
        ("L", "PNG", "RGB", {}),
        ("I;16", "PNG", "RGB", {}),
        ("CMYK", "JPEG", "RGB", {}),
        ("RGBA", "PNG", "RGBA", {}),
    ],
)
def test_every_mode_becomes_one_webp_stores(storage, mode, fmt, expected, save):
    name = f"cases/7/cover/mode.{fmt.lower()}"
    storage.save(name, ContentFile(_image_bytes((400, 300), mode=mode, fmt=fmt, **save)))

    assert images.make_renditions(storage, name) == [400]
    assert _open(storage, images.rendition_name(name, 400)).mode == expected


def test_missing_only_keeps_what_exists_and_replace_keeps_the_name(storage):
    storage.save(NAME, ContentFile(_image_bytes((1000, 500))))
    target = images.rendition_name(NAME, 400)
    storage.save(target, ContentFile(b"kept"))

    assert images.make_renditions(storage, NAME, missing_only=True) == [800]
    assert storage.open(target).read() == b"kept"
    assert images.make_renditions(storage, NAME, missing_only=True) == []

    assert images.make_renditions(storage, NAME) == [400, 800]
    assert _open(storage, target).format == "WEBP"  # replaced under the same name
    assert sorted(storage.listdir("cases/7/cover")[1]) == [
        "ab12cd.png",
        "ab12cd.w400.webp",
        "ab12cd.w800.webp",
    ]


def test_an_unreadable_or_missing_image_gets_no_renditions_and_no_error(storage):
    storage.save(NAME, ContentFile(b"not an image"))
    assert images.make_renditions(storage, NAME) == []
    assert images.make_renditions(storage, "cases/7/cover/gone.png") == []
    assert images.make_renditions(storage, "") == []
    assert storage.listdir("cases/7/cover")[1] == ["ab12cd.png"]


def test_renditions_are_removed_only_once_the_transaction_commits(
    storage, db, django_capture_on_commit_callbacks
):
    storage.save(NAME, ContentFile(_image_bytes((900, 500))))
    images.make_renditions(storage, NAME)

    with django_capture_on_commit_callbacks() as callbacks:
        images.delete_renditions_after_commit(storage, NAME)
        assert storage.exists(images.rendition_name(NAME, 400))  # not yet: a rollback keeps it
    for callback in callbacks:
        callback()

    assert not storage.exists(images.rendition_name(NAME, 400))
    assert not storage.exists(images.rendition_name(NAME, 800))
    assert storage.exists(NAME)  # the original goes its own way


def test_the_srcset_filter_lists_the_renditions():
    assert rendition_srcset("/cases/a/cover/") == (
        "/cases/a/cover/?w=400 400w, /cases/a/cover/?w=800 800w"
    )
    assert rendition_srcset("/cases/a/cover/", 2400).endswith(", /cases/a/cover/ 2400w")
    assert rendition_srcset("") == ""
    assert "&lt;" in rendition_srcset("/x/<script>/")
