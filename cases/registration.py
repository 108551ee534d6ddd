"""What cases add to the kernel's content registry (called from CasesConfig.ready): the
content type, the sections on organisation and person pages and the kinds of notification."""

from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases.models import SECTION_NAMES, Case
from komvidere import registry, search, versions

LIMIT = 10


class CaseNotification(models.TextChoices):
    PUBLISHED = "case_published", _("Your case was published")
    SENT_BACK = "case_sent_back", _("Your case was sent back with a comment")
    SUBMITTED = "case_submitted", _("A case awaits review")
    EDITED = "case_edited", _("A published case was edited")
    EDITED_IN_REVIEW = "case_edited_in_review", _("A case awaiting review was edited")


def organisation_context(organisation, viewer) -> dict:
    cases = list(Case.objects.for_organisation(organisation)[: LIMIT + 1])
    return {"cases": cases[:LIMIT], "more": len(cases) > LIMIT, "organisation": organisation}


def shared_by_organisation() -> dict[int, int]:
    """Published cases per lead organisation (what the organisations list shows)."""
    rows = (
        Case.objects.published()
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )
    return {org_id: n for org_id, n in rows if org_id}


def describe_shared(count: int) -> str:
    return ngettext("%(count)s case", "%(count)s cases", count) % {"count": count}


def person_context(person, viewer) -> dict:
    cases = list(
        Case.objects.published()
        .filter(author=person)
        .for_list()
        .order_by("-published_at", "-pk")[: LIMIT + 1]
    )
    return {"cases": cases[:LIMIT], "more": len(cases) > LIMIT, "person": person}


def export_personal_data(member) -> dict[str, list]:
    """The member's cases, drafts included, as they wrote them."""
    fields = ["pk", "title", "slug", "status", "summary", *SECTION_NAMES]
    fields += ["co2e_tonnes_per_year", "budget_dkk", "contact_name", "contact_email"]
    fields += ["year_start", "year_end", "created_at", "updated_at", "published_at"]
    cases = Case.objects.filter(author=member).select_related("organisation").order_by("pk")
    return {
        "cases": [
            {
                **{name: getattr(case, name) for name in fields},
                "organisation": case.organisation.name if case.organisation_id else "",
                "url": case.get_absolute_url(),
            }
            for case in cases
        ]
    }


def anonymise_personal_data(member) -> None:
    """Cases stay; the member's own name and address as their contact (also in the case's
    revisions) go, and the search entries are brought up to date."""
    cases = Case.objects.filter(author=member)
    for rows in (cases, Case.revisions.filter(id__in=cases.values("pk"))):
        rows.filter(contact_email__iexact=member.email).update(contact_email="")
        if member.name:
            rows.filter(contact_name__iexact=member.name).update(contact_name="")
    versions.bump(versions.CASES)  # update() sends no signal: cached case pages go
    search.index_many(cases.prefetch_related("tags").select_related("organisation"))


def register() -> None:
    versions.track(Case, versions.CASES)
    registry.register_organisation_share(
        registry.OrganisationShare(
            key="cases", counts=shared_by_organisation, describe=describe_shared, order=10
        )
    )
    registry.register_personal_data(
        registry.PersonalData(
            key="cases", export=export_personal_data, anonymise=anonymise_personal_data
        )
    )
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
