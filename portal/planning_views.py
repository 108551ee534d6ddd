"""The planning pages: the climate accounting (/climate/), the planning cycle (/plan/) and the
coordinators' dashboard (/dashboard/). Reads only; writes go through the apps' services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Region
from dilemmas import services as dilemma_services
from dilemmas.models import Dilemma
from komvidere.csvexport import csv_response
from komvidere.models import PlanStage, is_moderator
from portal import climate, plan
from portal import dashboard as dashboard_data
from portal.charts import bar_chart
from portal.forms import ClimateForm, DashboardForm


def _query(request, **params) -> str:
    """This page's address with its current parameters and `params` added."""
    query = request.GET.copy()
    for key, value in params.items():
        query[key] = value
    return f"{request.path}?{urlencode(sorted(query.items()))}"


@require_safe
def climate_accounting(request):
    """The CO2e effects that published cases report, and the municipal accounts beside the
    cases shared per sector. `?format=csv&table=<key>` downloads one table as it is shown."""
    organisations = climate.emission_organisations()
    form = ClimateForm(request.GET or None, organisations=organisations)
    organisation = form.cleaned_data.get("organisation") if form.is_valid() else None
    stamp = timezone.localdate().isoformat()
    fmt = request.GET.get("format")
    key = request.GET.get("table") or "sector"
    if fmt == "csv" and key == "emissions":
        header, rows = climate.emissions_csv(
            climate.emissions_beside_cases(organisation), organisation
        )
        return csv_response(f"kom-videre-emissions-{stamp}.csv", header, rows)
    effects = climate.reported_effects()
    if fmt == "csv":
        table = next((t for t in effects["tables"] if t.key == key), None)
        if table is None:
            raise Http404(_("No such table."))
        return csv_response(
            f"kom-videre-co2e-{table.key}-{stamp}.csv", table.csv_header(), table.csv_rows()
        )
    for table in effects["tables"]:
        table.chart = bar_chart([(row.label, row.total) for row in table.rows])
        table.csv_url = _query(request, format="csv", table=table.key)
    return render(
        request,
        "portal/climate.html",
        {
            **effects,
            **climate.emissions_context(
                organisation, csv_url=_query(request, format="csv", table="emissions")
            ),
            "form": form,
            "organisation": organisation,
            "reporting_cases": climate.reporting_case_list(),
        },
    )


@require_safe
def plan_cycle(request):
    """The planning cycle: every stage in order, what it means, and what the portal has."""
    return render(request, "portal/plan.html", {"stages": plan.cycle()})


@require_safe
def plan_stage(request, slug):
    """One stage of the cycle with its published cases, articles and open dilemmas."""
    stage = get_object_or_404(PlanStage, slug=slug)
    stage.description = plan.description(stage)
    stages = list(PlanStage.objects.order_by("position", "name"))
    index = next(i for i, s in enumerate(stages) if s.pk == stage.pk)
    return render(
        request,
        "portal/plan_stage.html",
        {
            "stage": stage,
            "stages": stages,
            "number": index + 1,
            "previous": stages[index - 1] if index > 0 else None,
            "next": stages[index + 1] if index + 1 < len(stages) else None,
            **plan.stage_content(stage),
        },
    )


def _require_coordinator(request) -> None:
    if not is_moderator(request.user):
        raise PermissionDenied(_("The dashboard is for coordinators."))


@require_safe
def dashboard(request):
    """For coordinators: activity per municipality, unanswered dilemmas by age, what awaits
    review, monthly trends. `?region=` narrows it all; `?format=csv` downloads the
    municipalities' table."""
    _require_coordinator(request)
    form = DashboardForm(request.GET or None)
    region = form.cleaned_data.get("region", "") if form.is_valid() else ""
    rows = dashboard_data.municipalities(region)
    if request.GET.get("format") == "csv":
        header, lines = dashboard_data.csv_table(rows)
        stamp = timezone.localdate().isoformat()
        return csv_response(f"kom-videre-dashboard-{region or 'all'}-{stamp}.csv", header, lines)
    return render(
        request,
        "portal/dashboard.html",
        {
            "form": form,
            "region": region,
            "region_label": dict(Region.choices).get(region, ""),
            "rows": rows,
            "columns": dashboard_data.COLUMNS,
            "inactive": [row for row in rows if row.inactive],
            "unanswered": dashboard_data.unanswered(region),
            "reviews": dashboard_data.reviews(region),
            "trends": dashboard_data.trends(region),
            "csv_url": _query(request, format="csv"),
            "active_days": dashboard_data.ACTIVE_DAYS,
        },
    )


@require_POST
def dashboard_nudge(request, pk):
    """Notify the members who work in the dilemma's sectors (dilemmas.services)."""
    _require_coordinator(request)
    dilemma = get_object_or_404(Dilemma.objects.public(), pk=pk)
    try:
        count = dilemma_services.dilemma_nudge(dilemma=dilemma, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d member in the dilemma's sectors was notified.",
                "%(count)d members in the dilemma's sectors were notified.",
                count,
            )
            % {"count": count},
        )
    target = reverse("portal:dashboard")
    region = request.POST.get("region", "")
    if region in dict(Region.choices):
        target += "?" + urlencode({"region": region})
    return redirect(target + "#unanswered")
