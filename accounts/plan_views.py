"""Keeping an organisation's climate plan and actions: its own members and the coordinators.
The organisation page shows them (a section registered by the portal)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.models import ClimatePlan, Organisation
from accounts.plan_forms import ClimatePlanForm, PlanActionForm, PlanActionImportForm


def _organisation_for(request, slug) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not services.can_manage_plan(request.user, organisation):
        raise PermissionDenied(_("Only the organisation's members and coordinators may do this."))
    return organisation


def _plan_url(organisation) -> str:
    return reverse("accounts:plan_edit", kwargs={"slug": organisation.slug})


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _page(request, organisation, *, status=200, **forms):
    plan = ClimatePlan.objects.filter(organisation=organisation).first()
    context = {
        "organisation": organisation,
        "actions": organisation.plan_actions.select_related("sector").order_by(
            "position", "code", "title"
        ),
        "plan_form": forms.get("plan_form") or ClimatePlanForm(instance=plan),
        "action_form": forms.get("action_form") or PlanActionForm(prefix="new"),
        "import_form": forms.get("import_form") or PlanActionImportForm(prefix="csv"),
    }
    return render(request, "accounts/plan_edit.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def plan_edit(request, slug):
    """The plan's link, year and targets (POST saves them), its actions and the forms to add,
    change, remove and load actions."""
    organisation = _organisation_for(request, slug)
    if request.method != "POST":
        return _page(request, organisation)
    plan = ClimatePlan.objects.filter(organisation=organisation).first()
    form = ClimatePlanForm(request.POST, instance=plan)
    if form.is_valid():
        try:
            services.climate_plan_save(
                organisation=organisation, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The climate plan has been saved."))
            return redirect(_plan_url(organisation))
    return _page(request, organisation, plan_form=form, status=400)


@require_POST
def plan_action_create(request, slug):
    organisation = _organisation_for(request, slug)
    form = PlanActionForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            services.plan_action_create(
                organisation=organisation, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The action has been added."))
            return redirect(_plan_url(organisation) + "#actions")
    return _page(request, organisation, action_form=form, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
def plan_action_edit(request, slug, pk):
    organisation = _organisation_for(request, slug)
    action = get_object_or_404(organisation.plan_actions, pk=pk)
    form = PlanActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_action_update(action=action, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The action has been saved."))
            return redirect(_plan_url(organisation) + "#actions")
    return render(
        request,
        "accounts/plan_action_form.html",
        {"organisation": organisation, "action": action, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_POST
def plan_action_delete(request, slug, pk):
    organisation = _organisation_for(request, slug)
    action = get_object_or_404(organisation.plan_actions, pk=pk)
    services.plan_action_delete(action=action, user=request.user)
    messages.success(request, _("The action has been removed."))
    return redirect(_plan_url(organisation) + "#actions")


@require_POST
def plan_actions_import(request, slug):
    organisation = _organisation_for(request, slug)
    form = PlanActionImportForm(request.POST, request.FILES, prefix="csv")
    if form.is_valid():
        try:
            result = services.plan_actions_import(
                organisation=organisation, user=request.user, text=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            messages.success(
                request,
                _("Loaded %(rows)d actions: %(created)d new, %(updated)d updated.")
                % {"rows": result.rows, "created": result.created, "updated": result.updated},
            )
            return redirect(_plan_url(organisation) + "#actions")
    return _page(request, organisation, import_form=form, status=400)
