"""The cases sections on organisation and person pages (registered in CasesConfig.ready)."""

from accounts import sections
from cases.models import Case

LIMIT = 10


def organisation_context(organisation, viewer) -> dict:
    cases = list(Case.objects.for_organisation(organisation)[: LIMIT + 1])
    return {"cases": cases[:LIMIT], "more": len(cases) > LIMIT, "organisation": organisation}


def person_context(person, viewer) -> dict:
    cases = list(
        Case.objects.published()
        .filter(author=person)
        .for_list()
        .order_by("-published_at", "-pk")[: LIMIT + 1]
    )
    return {"cases": cases[:LIMIT], "more": len(cases) > LIMIT, "person": person}


def register() -> None:
    sections.register(
        sections.organisation_sections,
        sections.Section(
            key="cases",
            template_name="cases/includes/organisation_section.html",
            get_context=organisation_context,
            order=10,
        ),
    )
    sections.register(
        sections.person_sections,
        sections.Section(
            key="cases",
            template_name="cases/includes/person_section.html",
            get_context=person_context,
            order=10,
        ),
    )
