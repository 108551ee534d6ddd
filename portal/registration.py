"""What the portal adds to the organisation page (called from PortalConfig.ready): the
climate plan with its actions and the cases under each, and the emission account beside the
cases per sector. The portal may read every app, so it joins plans (accounts) to cases."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.http import urlencode

from accounts.models import ClimatePlan
from accounts.services import can_manage_plan
from cases.models import Case
from komvidere import registry
from portal import climate


def organisation_climate_context(organisation, viewer) -> dict:
    published = Case.objects.published().only("title", "slug", "plan_action_id")
    actions = list(
        organisation.plan_actions.select_related("sector")
        .prefetch_related(
            Prefetch(
                "cases",
                queryset=published.order_by("-published_at", "-pk"),
                to_attr="published_cases",
            )
        )
        .order_by("position", "code", "title")
    )
    csv_url = (
        reverse("portal:climate")
        + "?"
        + urlencode({"organisation": organisation.slug, "format": "csv", "table": "emissions"})
    )
    return {
        "organisation": organisation,
        "plan": ClimatePlan.objects.filter(organisation=organisation).first(),
        "actions": actions,
        "can_manage": can_manage_plan(viewer, organisation),
        **climate.emissions_context(organisation, csv_url=csv_url),
    }


def register() -> None:
    registry.register_section(
        registry.ORGANISATION_PAGE,
        registry.Section(
            key="climate",
            template_name="portal/includes/organisation_climate.html",
            get_context=organisation_climate_context,
            order=5,
        ),
    )
