"""Fixtures for the planning pages: /climate/, /plan/, /dashboard/ and the plan actions."""

import pytest

from accounts.models import Organisation
from komvidere.models import PlanStage, Sector


@pytest.fixture
def sectors(db):
    return {s.slug: s for s in Sector.objects.all()}


@pytest.fixture
def stages(db):
    return {s.slug: s for s in PlanStage.objects.all()}


@pytest.fixture
def silkeborg(db):
    return Organisation.objects.get(slug="silkeborg")


@pytest.fixture
def aarhus(db):
    return Organisation.objects.get(slug="aarhus")


@pytest.fixture(autouse=True)
def _english(settings):
    """The assertions read the English source strings, whatever the catalogue holds."""
    settings.LANGUAGE_CODE = "en"
