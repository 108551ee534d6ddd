"""Load the 98 municipalities and 5 regions with their staff e-mail domains.

From then on admins maintain organisations and domains in the admin; this runs once.
"""

import csv
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

DATA = Path(__file__).resolve().parent.parent / "data" / "organisations.csv"
REGIONS = {
    "Region Hovedstaden": "hovedstaden",
    "Region Sjælland": "sjaelland",
    "Region Syddanmark": "syddanmark",
    "Region Midtjylland": "midtjylland",
    "Region Nordjylland": "nordjylland",
}


def load(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    EmailDomain = apps.get_model("accounts", "EmailDomain")
    with DATA.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            slug_source = row["short_name"] if row["kind"] == "municipality" else row["name"]
            org, _ = Organisation.objects.get_or_create(
                name=row["name"],
                defaults={
                    "short_name": row["short_name"],
                    "slug": slugify(slug_source.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
                                    .replace("Æ", "Ae").replace("Ø", "Oe").replace("Å", "Aa")),
                    "kind": row["kind"],
                    "region": REGIONS[row["region"]],
                },
            )
            for domain in row["email_domains"].split():
                EmailDomain.objects.get_or_create(
                    domain=domain.strip().lower(),
                    defaults={"organisation": org, "verified": row["verified"] == "yes"},
                )


def unload(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    with DATA.open(encoding="utf-8", newline="") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    Organisation.objects.filter(name__in=names, members__isnull=True).delete()


def create_moderators_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="Moderators")


def delete_moderators_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(load, unload),
        migrations.RunPython(create_moderators_group, delete_moderators_group),
    ]
