"""Demo people for local runs (seed_demo). Idempotent: safe to run again."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.models import MODERATORS_GROUP, EmailDomain, User
from komvidere.models import Sector, Theme

DEMO_PASSWORD = "KomVidere-demo-2026"  # noqa: S105 - demo data for local runs only

# (e-mail, name, job title, bio, role)
PEOPLE = [
    (
        "planner@silkeborg.dk",
        "Mette Kjær",
        "Klimakoordinator",
        "Arbejder med Silkeborgs DK2020-plan, især varmeplanlægning og borgerinddragelse.",
        "member",
    ),
    (
        "coordinator@rm.dk",
        "Lars Bøgh",
        "Regional klimakoordinator",
        "Koordinerer klimanetværket for kommunerne i Region Midtjylland.",
        "moderator",
    ),
    ("admin@komvidere.dk", "Portal Admin", "Redaktion", "", "admin"),
    (
        "klima@aarhus.dk",
        "Sofie Lund",
        "Klimaplanlægger",
        "Aarhus' klimaplan: transport, energi og klimatilpasning.",
        "member",
    ),
    (
        "energi@samsoe.dk",
        "Anders Holm",
        "Energi- og klimakonsulent",
        "Samsøs vedvarende energi og borgerejede vindmøller.",
        "member",
    ),
    (
        "klima@herning.dk",
        "Karen Thomsen",
        "Miljø- og klimamedarbejder",
        "Biogas, landbrug og erhvervssamarbejde i Herning.",
        "member",
    ),
    (
        "klima@viborg.dk",
        "Jonas Kristensen",
        "Projektleder, klimatilpasning",
        "Skybrud, vandløb og klimatilpasning i Viborg.",
        "member",
    ),
    (
        "klima@randers.dk",
        "Ida Mortensen",
        "Klimakonsulent",
        "Grøn mobilitet og kommunens egen drift.",
        "member",
    ),
    (
        "klima@skive.dk",
        "Peter Nielsen",
        "Klimaplanlægger",
        "GreenLab, erhverv og Power-to-X i Skive.",
        "member",
    ),
    (
        "klima@horsens.dk",
        "Louise Jensen",
        "Klimastrateg",
        "Politisk forankring og opfølgning på klimaplanen.",
        "member",
    ),
]


# Sectors and themes each demo person works with (slugs from the taxonomy migration).
INTERESTS = {
    "planner@silkeborg.dk": (["energi", "tvaergaaende"], ["borgerinddragelse"]),
    "coordinator@rm.dk": (["tvaergaaende"], ["samarbejde-med-erhvervsliv", "kompetenceudvikling"]),
    "klima@aarhus.dk": (["transport", "energi", "klimatilpasning"], ["data-og-opfoelgning"]),
    "energi@samsoe.dk": (["energi"], ["borgerinddragelse", "finansiering"]),
    "klima@herning.dk": (["landbrug", "affald-og-spildevand"], ["samarbejde-med-erhvervsliv"]),
    "klima@viborg.dk": (["klimatilpasning"], ["borgerinddragelse"]),
    "klima@randers.dk": (["transport"], ["organisatorisk-forankring"]),
    "klima@skive.dk": (["industri-og-processer", "energi"], ["samarbejde-med-erhvervsliv"]),
    "klima@horsens.dk": (["tvaergaaende"], ["politisk-forankring", "data-og-opfoelgning"]),
}


def seed() -> dict[str, User]:
    moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    users: dict[str, User] = {}
    for email, name, title, bio, role in PEOPLE:
        match = EmailDomain.objects.match(email)
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "name": name,
                "job_title": title,
                "bio": bio,
                "organisation": match.organisation if match else None,
                "is_staff": role == "admin",
                "is_superuser": role == "admin",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        sectors, themes = INTERESTS.get(email, ([], []))
        user.sectors.set(Sector.objects.filter(slug__in=sectors))
        user.themes.set(Theme.objects.filter(slug__in=themes))
        if role == "moderator":
            user.groups.add(moderators)
        users[email] = user
    return users
