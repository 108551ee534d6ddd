"""Seed the controlled vocabularies (ARCHITECTURE §3). Admins maintain them afterwards."""

from django.db import migrations

SECTORS = [
    ("energi", "Energi", "Energy"),
    ("transport", "Transport", "Transport"),
    ("landbrug", "Landbrug", "Agriculture"),
    ("arealanvendelse", "Arealanvendelse (LULUCF)", "Land use (LULUCF)"),
    ("affald-og-spildevand", "Affald og spildevand", "Waste and wastewater"),
    ("industri-og-processer", "Industri og processer", "Industry and processes"),
    ("bygninger", "Bygninger", "Buildings"),
    ("forbrug-og-foedevarer", "Forbrug og fødevarer", "Consumption and food"),
    ("klimatilpasning", "Klimatilpasning", "Climate adaptation"),
    ("tvaergaaende", "Tværgående", "Cross-cutting"),
]
THEMES = [
    ("borgerinddragelse", "Borgerinddragelse", "Citizen involvement"),
    ("organisatorisk-forankring", "Organisatorisk forankring", "Organisational anchoring"),
    ("politisk-forankring", "Politisk forankring", "Political anchoring"),
    ("samarbejde-med-erhvervsliv", "Samarbejde med erhvervsliv", "Working with businesses"),
    ("finansiering", "Finansiering", "Funding"),
    ("data-og-opfoelgning", "Data og opfølgning", "Data and monitoring"),
    ("kompetenceudvikling", "Kompetenceudvikling", "Skills development"),
    ("scope-3-og-forbrug", "Scope 3 og forbrug", "Scope 3 and consumption"),
]
PLAN_STAGES = [
    ("forankring-og-samarbejde", "Forankring og samarbejde", "Anchoring and collaboration"),
    ("kortlaegning", "Kortlægning", "Mapping and baseline"),
    ("maal-og-handlinger", "Mål og handlinger", "Targets and actions"),
    ("implementering", "Implementering", "Implementation"),
    ("opfoelgning", "Opfølgning", "Monitoring"),
    ("revision-og-recertificering", "Revision og recertificering", "Revision and recertification"),
]
DATA = {"Sector": SECTORS, "Theme": THEMES, "PlanStage": PLAN_STAGES}


def seed(apps, schema_editor):
    for model_name, rows in DATA.items():
        model = apps.get_model("komvidere", model_name)
        for position, (slug, name, name_en) in enumerate(rows, start=1):
            model.objects.update_or_create(
                slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
            )


def unseed(apps, schema_editor):
    for model_name, rows in DATA.items():
        model = apps.get_model("komvidere", model_name)
        model.objects.filter(slug__in=[slug for slug, _, _ in rows]).delete()


class Migration(migrations.Migration):
    dependencies = [("komvidere", "0001_taxonomies")]

    operations = [migrations.RunPython(seed, unseed)]
