"""What cases add to the kernel's content registry (called from CasesConfig.ready): the
content type, the sections on organisation and person pages and the kinds of notification."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from komvidere import registry

LIMIT = 10


class CaseNotification(models.TextChoices):
    PUBLISHED = "case_published", _("Your case was published")


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
    registry.register_content(
        registry.Content(
            key="case",
            model=Case,
            label=_("Case"),
            plural=_("Cases"),
            link_fields=("title", "slug"),
        )
    )
    for kind in CaseNotification:
        registry.register_notification_kind(kind.value, kind.label)
    for page, template_name, get_context in (
        (
            registry.ORGANISATION_PAGE,
            "cases/includes/organisation_section.html",
            organisation_context,
        ),
        (registry.PERSON_PAGE, "cases/includes/person_section.html", person_context),
    ):
        registry.register_section(
            page,
            registry.Section(
                key="cases", template_name=template_name, get_context=get_context, order=10
            ),
        )
