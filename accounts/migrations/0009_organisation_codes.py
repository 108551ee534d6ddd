"""Give the municipalities and regions their official codes (kommunekode / regionskode).

The codes are how national statistics, such as the municipal emission accounts, name an
organisation. They come from a data file, so another country loads its own.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "organisation_codes.csv"


def load(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    with DATA.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            Organisation.objects.filter(name=row["name"], code="").update(code=row["code"])


def unload(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    with DATA.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            Organisation.objects.filter(name=row["name"], code=row["code"]).update(code="")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0008_climate_plans_actions_emissions")]

    operations = [migrations.RunPython(load, unload)]
