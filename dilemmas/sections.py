"""The dilemmas sections on organisation and person pages (registered in DilemmasConfig.ready).

Anonymous dilemmas are never listed here: listing them under a person or organisation would
reveal who asked.
"""

from accounts import sections
from dilemmas.models import Dilemma

LIMIT = 10


def organisation_context(organisation, viewer) -> dict:
    dilemmas = list(Dilemma.objects.for_organisation(organisation)[: LIMIT + 1])
    return {"dilemmas": dilemmas[:LIMIT], "more": len(dilemmas) > LIMIT}


def person_context(person, viewer) -> dict:
    dilemmas = list(
        Dilemma.objects.public()
        .filter(author=person, anonymous=False)
        .for_list()
        .order_by("-last_activity_at", "-pk")[: LIMIT + 1]
    )
    return {"dilemmas": dilemmas[:LIMIT], "more": len(dilemmas) > LIMIT}


def register() -> None:
    for registry, template_name, get_context in (
        (
            sections.organisation_sections,
            "dilemmas/includes/organisation_section.html",
            organisation_context,
        ),
        (sections.person_sections, "dilemmas/includes/person_section.html", person_context),
    ):
        sections.register(
            registry,
            sections.Section(
                key="dilemmas", template_name=template_name, get_context=get_context, order=20
            ),
        )
