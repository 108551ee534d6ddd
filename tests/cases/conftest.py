"""Fixtures for the cases tests (shared ones live in tests/conftest.py)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from komvidere.models import PlanStage, Sector, Theme


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def sector(db):
    return Sector.objects.get(slug="energi")


@pytest.fixture
def sectors(db):
    return {s.slug: s for s in Sector.objects.all()}


@pytest.fixture
def themes(db):
    return {t.slug: t for t in Theme.objects.all()}


@pytest.fixture
def stages(db):
    return {s.slug: s for s in PlanStage.objects.all()}


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def png_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def case_form_data(sector_ids, organisation_id, **overrides) -> dict:
    """A valid POST for the case form."""
    data = {
        "title": "Varmepumper i landsbyerne",
        "summary": "Et fælles udbud af varmepumper i otte landsbyer.",
        "organisation": organisation_id,
        "origin": "municipality",
        "work_status": "ongoing",
        "year_start": "2022",
        "year_end": "2024",
        "sectors": sector_ids,
        "tags": "varmepumper, landsbyer",
        "challenge": "Mange **oliefyr**.",
        "solution": "Et fælles udbud.",
        "co2e_tonnes_per_year": "120,5",
        "budget_dkk": "1800000",
        "contact_name": "Mette",
        "contact_email": "mette@silkeborg.dk",
        "action": "draft",
    }
    data.update(overrides)
    return data
