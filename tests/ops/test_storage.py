"""Uploads: a pixel limit for images, cover images re-encoded, S3 storage (against moto's
server on 127.0.0.1) with permission-checked downloads."""

import io
import socket
import uuid

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from komvidere.images import COVER_MAX_SIDE, reencode
from komvidere.validators import validate_attachment_file, validate_cover_image
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _png(width, height, mode="1") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height)).save(out, format="PNG", optimize=True)
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """13000 × 13000 pixels in about 20 KB: below Pillow's own error threshold."""
    return _png(13000, 13000)


def test_a_13000_by_13000_png_is_refused_as_a_cover(bomb):
    assert len(bomb) < 100_000
    field = forms.ImageField(validators=[validate_cover_image])
    with pytest.raises(ValidationError) as refused:
        field.clean(SimpleUploadedFile("cover.png", bomb, content_type="image/png"))
    assert refused.value.error_list[0].code == "too_many_pixels"


def test_a_13000_by_13000_png_is_refused_as_an_attachment(bomb):
    with pytest.raises(ValidationError) as refused:
        validate_attachment_file(SimpleUploadedFile("kort.png", bomb, content_type="image/png"))
    assert refused.value.error_list[0].code == "too_many_pixels"


def test_a_normal_cover_is_accepted_and_re_encoded_to_a_sane_size():
    field = forms.ImageField(validators=[validate_cover_image])
    upload = field.clean(SimpleUploadedFile("foto.png", _png(4000, 3000, "RGB")))
    data, fmt = reencode(io.BytesIO(upload.read()))
    with Image.open(io.BytesIO(data)) as image:
        assert max(image.size) == COVER_MAX_SIDE
    assert fmt == "PNG"


def test_a_saved_cover_is_stored_re_encoded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = CaseFactory()
    case.cover_image = SimpleUploadedFile("stor.png", _png(5000, 1000, "RGB"))
    case.save()
    with Image.open(case.cover_image.path) as image:
        assert image.size == (COVER_MAX_SIDE, 480)


# --- S3 ---------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_server, monkeypatch):
    import boto3

    bucket = f"komvidere-test-{uuid.uuid4().hex[:12]}"  # one per test: the server is shared
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="eu-north-1",
    ).create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_server,
                "access_key": "testing",
                "secret_key": "testing",
                "region_name": "eu-north-1",
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
                "signature_version": "s3v4",
            },
        },
    }
    from django.core.files.storage import default_storage

    return default_storage


def test_s3_round_trip_upload_permission_checked_download_delete(s3_storage, member_client, client):
    from storages.backends.s3 import S3Storage

    picture = _png(300, 200, "RGB")
    case = CaseFactory()
    case.cover_image = SimpleUploadedFile("sol.png", picture)
    case.save()
    assert isinstance(case.cover_image.storage, S3Storage)
    name = case.cover_image.name
    assert s3_storage.exists(name)

    url = f"/cases/{case.slug}/cover/"
    response = member_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == s3_storage.open(name).read()
    assert response["Cache-Control"].startswith("private")
    assert client.get(url).status_code in {302, 403, 404}  # a visitor is not served the file

    response = member_client.get("/health/")
    assert response.json()["storage"] == "ok"

    case.cover_image.delete(save=True)
    assert not s3_storage.exists(name)
    assert member_client.get(url).status_code == 404


def test_s3_cover_renditions_are_stored_served_and_removed(
    s3_storage, member_client, moderator, django_capture_on_commit_callbacks
):
    from cases import services
    from komvidere.images import rendition_name

    case = CaseFactory()
    services.case_update(
        case=case,
        editor=moderator,
        cover_image=SimpleUploadedFile("sol.png", _png(900, 500, "RGB"), "image/png"),
    )
    case.refresh_from_db()
    name = case.cover_image.name
    for width in (400, 800):
        assert s3_storage.exists(rendition_name(name, width))

    response = member_client.get(f"/cases/{case.slug}/cover/", {"w": 400})
    assert response["Content-Type"] == "image/webp"
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.size == (400, 222)
    s3_storage.delete(rendition_name(name, 800))
    response = member_client.get(f"/cases/{case.slug}/cover/", {"w": 800})
    assert response["Content-Type"] == "image/png"  # the original, not a 500

    with django_capture_on_commit_callbacks(execute=True):
        services.case_delete(case=case, user=moderator)
    assert not s3_storage.exists(name)
    assert not s3_storage.exists(rendition_name(name, 400))
