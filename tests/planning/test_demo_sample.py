"""The demo's emission account is a small sample, always labelled, never mixed with real data."""

import pytest
from django.urls import reverse

from accounts.models import EmissionRecord
from portal import demo

pytestmark = pytest.mark.django_db


def test_the_sample_is_labelled_and_idempotent(member_client):
    summary = demo.Summary()
    demo._seed_emissions(summary)
    assert summary.emissions == EmissionRecord.objects.count() > 0
    assert not EmissionRecord.objects.filter(is_sample=False).exists()
    again = demo.Summary()
    demo._seed_emissions(again)
    assert again.emissions == 0
    assert EmissionRecord.objects.count() == summary.emissions
    html = member_client.get(reverse("portal:climate")).content.decode()
    assert "Sample data" in html
    assert "invented" in html


def test_no_sample_once_real_figures_exist(silkeborg, sectors):
    EmissionRecord.objects.create(
        organisation=silkeborg, year=2022, sector=sectors["energi"], tonnes_co2e=1, source="ES"
    )
    demo._seed_emissions(demo.Summary())
    assert EmissionRecord.objects.count() == 1
