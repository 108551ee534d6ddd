"""Reads for a case's place in climate planning: the plan action it carries out and the
other organisations and people working on the same sectors and themes."""

from django.db.models import Count, Q

from accounts.models import Organisation, User
from komvidere.models import Status

LIMIT = 6


def others_working_on(case) -> dict:
    """Other organisations with published cases in the same sector and theme (same sector
    only when the case names no theme), or plan actions in the same sector; and members who
    list that sector and theme on their profile. A fixed number of queries."""
    sector_ids = [sector.pk for sector in case.sectors.all()]
    theme_ids = [theme.pk for theme in case.themes.all()]
    if not sector_ids:
        return {"organisations": [], "people": []}
    same_work = Q(cases__status=Status.PUBLISHED, cases__sectors__in=sector_ids)
    if theme_ids:
        same_work &= Q(cases__themes__in=theme_ids)
    others = Organisation.objects.exclude(pk=case.organisation_id)
    with_cases = {
        org.pk: org
        for org in others.filter(same_work)
        .exclude(cases__pk=case.pk)
        .annotate(case_count=Count("cases", distinct=True))
        .order_by("-case_count", "name")[:LIMIT]
    }
    with_actions = (
        others.filter(plan_actions__sector__in=sector_ids)
        .annotate(action_count=Count("plan_actions", distinct=True))
        .order_by("-action_count", "name")[:LIMIT]
    )
    organisations = list(with_cases.values())
    for org in organisations:
        org.action_count = 0
    for org in with_actions:
        if org.pk in with_cases:
            with_cases[org.pk].action_count = org.action_count
        elif len(organisations) < LIMIT:
            org.case_count = 0
            organisations.append(org)
    people = User.objects.members().exclude(pk=case.author_id).filter(sectors__in=sector_ids)
    if theme_ids:
        people = people.filter(themes__in=theme_ids)
    people = list(
        people.exclude(organisation_id=case.organisation_id)
        .select_related("organisation")
        .order_by("name", "pk")[:LIMIT]
    )
    return {"organisations": organisations, "people": people}
