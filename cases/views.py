import csv
import datetime
import mimetypes
from decimal import Decimal
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView, ListView

from accounts.models import Organisation
from cases import services
from cases.export import export_columns, export_rows
from cases.facets import FACETS, base_queryset
from cases.forms import DRAFT_REQUIRED, CaseFilterForm, CaseForm, LinkForm, ReviewForm
from cases.models import DETAIL_PREFETCHES, Case, CaseAttachment, CaseLink, Status, attach_tags
from komvidere import history, images, registry, versions
from komvidere.autocomplete import suggestions
from komvidere.downloads import file_response, stored_file_response
from komvidere.facets import FacetedListMixin, filter_data
from komvidere.forms import AttachmentForm, SendBackForm
from komvidere.mixins import CachedDetailMixin, CachedPageMixin, act_and_redirect
from komvidere.models import is_moderator
from komvidere.related import related_items
from komvidere.spreadsheets import xlsx_response


def _visible_case(request, slug: str) -> Case:
    """The case if the user may see it; drafts of others are a 404, not a 403."""
    return get_object_or_404(Case.objects.visible_to(request.user), slug=slug)


def _editable_case(request, slug: str) -> Case:
    case = _visible_case(request, slug)
    if not case.can_edit(request.user):
        raise PermissionDenied(_("You may not edit this case."))
    return case


class CaseListView(CachedPageMixin, FacetedListMixin, ListView):
    filter_form_class = CaseFilterForm
    facets = FACETS
    facet_cache_kinds = (versions.CASES,)
    template_name = "cases/case_list.html"
    context_object_name = "cases"
    paginate_by = 20

    def get_base_queryset(self, data):
        return base_queryset(self.request.user, data)

    def facet_cache_scope(self):
        return None if self.filters.get("mine") else super().facet_cache_scope()

    def page_fragment_parts(self):
        return None if self.request.GET.get("mine") else ()  # "my cases": the member's own

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        attach_tags(context["cases"])
        context["mine"] = bool(self.filters.get("mine"))
        # The page's cards are the same for every member, unless they carry the member's
        # own view (their drafts with authors) or the snippets of a text filter.
        if not context["mine"] and not self.filters.get("q"):
            context["cards_fragment"] = versions.key(
                (versions.CASES, versions.TAXONOMY),
                "case-cards",
                (translation.get_language(), [case.pk for case in context["cases"]]),
            )
        context["is_moderator"] = is_moderator(self.request.user)
        context["hidden_fields"] = [self.filter_form["mine"]]
        if context["mine"]:
            context["clear_url"] += "?mine=1"
        return context


class CaseDetailView(CachedDetailMixin, DetailView):
    template_name = "cases/case_detail.html"
    context_object_name = "case"

    def get_queryset(self):
        return Case.objects.visible_to(self.request.user).for_detail()

    detail_prefetches = DETAIL_PREFETCHES

    def get_context_data(self, review_form=None, send_back_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        case, user = self.object, self.request.user
        moderator = is_moderator(user)
        is_author = case.author_id == user.pk
        context.update(
            sections=case.sections(),
            can_edit=case.can_edit(user),
            is_moderator=moderator,
            is_author=is_author,
        )
        if moderator:
            context["review_form"] = review_form or ReviewForm(instance=case)
            context["send_back_form"] = send_back_form or SendBackForm()
        if moderator or is_author:
            revisions = list(case.revisions.select_related("history_user")[:10])
            context["history"] = [
                (revision, history.describe(revision, Case)) for revision in revisions
            ]
            if case.status == Status.DRAFT:
                # The author reworks a case sent back: the moderator's comment stays in view.
                context["sent_back"] = next(
                    (r for r in revisions if r.history_change_reason == "send_back"), None
                )
                if context["sent_back"] is not None and any(
                    r.history_date > context["sent_back"].history_date
                    and r.history_change_reason in ("submit", "publish")
                    for r in revisions
                ):
                    context["sent_back"] = None
        # What other apps add to the page (the dilemmas this case answers, ...); the items
        # they list come first in the related box.
        # The plan action and the others working on the same: the same for every member.
        context["planning_fragment"] = versions.key(
            (versions.CASES, versions.TAXONOMY, versions.PEOPLE),
            "case-planning",
            (case.pk, translation.get_language()),
        )
        context["page_sections"] = sections = registry.sections(registry.CASE_PAGE, case, user)
        context["related"] = related_items(
            case,
            explicit=[
                *(item for section in sections for item in section.get("related", ())),
                *case.published_related_cases,
                *case.related_articles.published(),
                *case.linked_articles.published(),
            ],
        )
        return context


def _case_form_page(request, case: Case | None):
    if request.method == "POST":
        action = request.POST.get("action")
        submit = action == "submit"
        # "Save draft" keeps whatever is valid even when other fields have errors.
        lenient = action == "draft" and (case is None or case.status == Status.DRAFT)
        # The form works on its own copy, so a page with errors still shows the saved title.
        instance = Case.objects.get(pk=case.pk) if case else Case()
        form = CaseForm(request.POST, request.FILES, instance=instance, draft=lenient)
        valid = form.is_valid()
        data = (
            form.valid_data()
            if lenient
            else {name: form.cleaned_data[name] for name in CaseForm.Meta.fields}
            if valid
            else {}
        )
        if valid or (lenient and (case is not None or all(n in data for n in DRAFT_REQUIRED))):
            try:
                if case is None:
                    saved = services.case_create(author=request.user, submit=submit, **data)
                else:
                    saved = services.case_update(
                        case=case, editor=request.user, submit=submit, **data
                    )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                case = saved
                if valid:
                    if submit and case.status == Status.SUBMITTED:
                        messages.success(
                            request, _("Thank you. The case has been sent to the moderators.")
                        )
                    else:
                        messages.success(request, _("The case has been saved."))
                    return redirect(case.get_absolute_url() if submit else case.get_edit_url())
                messages.warning(
                    request,
                    _(
                        "The draft has been saved, except the fields marked below: correct "
                        "them and save again."
                    ),
                )
        elif lenient:
            form.add_error(None, _("A draft needs at least a title and a lead organisation."))
    else:
        initial = {} if case else {"organisation": request.user.organisation}
        form = CaseForm(instance=case, initial=initial)
    context = {"form": form, "case": case}
    if case is not None:
        context["link_form"] = LinkForm()
        context["attachment_form"] = AttachmentForm()
        context["links"] = case.links.all()
        context["attachments"] = case.attachments.all()
    return render(request, "cases/case_form.html", context)


def case_create(request):
    return _case_form_page(request, None)


def case_edit(request, slug):
    return _case_form_page(request, _editable_case(request, slug))


@require_safe
def suggest_organisations(request):
    """Organisations for the partner box of the case form (komvidere.autocomplete)."""
    return suggestions(
        request,
        Organisation.objects.order_by("name"),
        ("name", "short_name"),
        label=lambda org: org.name,
        detail=lambda org: org.get_region_display(),
    )


@require_safe
def suggest_cases(request):
    """Published cases for the related-cases box; `exclude` leaves out the case being edited."""
    queryset = Case.objects.published().select_related("organisation").order_by("title")
    exclude = request.GET.get("exclude", "")
    if exclude.isdigit():
        queryset = queryset.exclude(pk=int(exclude))
    return suggestions(
        request,
        queryset.only("pk", "title", "organisation__short_name"),
        ("title",),
        label=lambda case: case.title,
        detail=lambda case: case.organisation.short_name,
    )


@require_safe
def review_queue(request):
    """Moderators: every submitted case and overdue reviews. Members: their own submissions."""
    moderator = is_moderator(request.user)
    submitted = Case.objects.submitted().for_list().order_by("updated_at", "pk")
    if not moderator:
        submitted = submitted.filter(author=request.user)
    submitted = list(submitted.select_related("author"))
    overdue = (
        list(Case.objects.review_overdue().for_list().order_by("review_due")[:50])
        if (moderator)
        else []
    )
    attach_tags(submitted + overdue)
    return render(
        request,
        "cases/case_review_queue.html",
        {"submitted": submitted, "overdue": overdue, "is_moderator": moderator},
    )


# --- status and moderation ----------------------------------------------------------------------

TRANSITION_ACTIONS = {
    "submit": (services.case_submit, gettext_lazy("The case has been sent to the moderators.")),
    "withdraw": (services.case_withdraw, gettext_lazy("The case is a draft again.")),
    "publish": (services.case_publish, gettext_lazy("The case is published.")),
    "archive": (services.case_archive, gettext_lazy("The case is archived.")),
    "unpublish": (services.case_unpublish, gettext_lazy("The case is no longer published.")),
}


@require_POST
def case_transition(request, slug, action):
    case = _visible_case(request, slug)
    service, done = TRANSITION_ACTIONS[action]
    return act_and_redirect(request, case, lambda: service(case=case, user=request.user), done)


@require_POST
def case_send_back(request, slug):
    """A moderator returns a submitted case to its author with a comment."""
    case = _visible_case(request, slug)
    if not is_moderator(request.user):
        raise PermissionDenied
    form = SendBackForm(request.POST)
    if form.is_valid():
        try:
            services.case_send_back(
                case=case, user=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_error(None, exc)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect(case)
        else:
            messages.success(request, _("The case is back with its author as a draft."))
            return redirect(case)
    view = CaseDetailView(request=request, kwargs={"slug": slug}, args=())
    view.object = view.get_object()
    return view.render_to_response(view.get_context_data(send_back_form=form), status=400)


@require_safe
def case_changes(request, slug, revision):
    """What one revision changed, field by field (moderators and the author)."""
    case = _visible_case(request, slug)
    if not (is_moderator(request.user) or case.author_id == request.user.pk):
        raise PermissionDenied
    entry = get_object_or_404(case.revisions.select_related("history_user"), history_id=revision)
    return render(
        request,
        "cases/case_changes.html",
        {
            "case": case,
            "revision": entry,
            "sentence": history.describe(entry, Case),
            "changes": history.changes(entry, case),
        },
    )


@require_POST
def case_feature(request, slug):
    case = _visible_case(request, slug)
    featured = request.POST.get("featured") == "1"
    return act_and_redirect(
        request,
        case,
        lambda: services.case_set_featured(case=case, user=request.user, featured=featured),
        _("The case is featured.") if featured else _("The case is not featured."),
    )


@require_POST
def case_review(request, slug):
    case = _visible_case(request, slug)
    if not is_moderator(request.user):
        raise PermissionDenied
    form = ReviewForm(request.POST, instance=Case.objects.get(pk=case.pk))
    if form.is_valid():
        try:
            services.case_set_review(
                case=case,
                user=request.user,
                review_due=form.cleaned_data["review_due"],
                last_reviewed_at=form.cleaned_data["last_reviewed_at"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The review dates have been saved."))
            return redirect(case)
    view = CaseDetailView(request=request, kwargs={"slug": slug}, args=())
    view.object = view.get_object()
    return view.render_to_response(view.get_context_data(review_form=form))


# --- links and attachments ----------------------------------------------------------------------


def link_add(request, slug):
    case = _editable_case(request, slug)
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_add(case=case, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The link has been added."))
            return redirect(case.get_edit_url() + "#links")
    return render(request, "cases/case_link_form.html", {"case": case, "form": form})


@require_POST
def link_delete(request, slug, pk):
    case = _editable_case(request, slug)
    link = get_object_or_404(CaseLink, case=case, pk=pk)
    services.link_delete(link=link, user=request.user)
    messages.success(request, _("The link has been removed."))
    return redirect(case.get_edit_url() + "#links")


def attachment_add(request, slug):
    case = _editable_case(request, slug)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(case=case, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The file has been attached."))
            return redirect(case.get_edit_url() + "#attachments")
    return render(
        request,
        "includes/attachment_form.html",
        {"form": form, "parent": case, "back_url": case.get_edit_url() + "#attachments"},
    )


@require_POST
def attachment_delete(request, slug, pk):
    case = _editable_case(request, slug)
    attachment = get_object_or_404(CaseAttachment, case=case, pk=pk)
    services.attachment_delete(attachment=attachment, user=request.user)
    messages.success(request, _("The file has been removed."))
    return redirect(case.get_edit_url() + "#attachments")


@require_safe
def attachment_download(request, slug, pk):
    """Uploads are not public: only someone who may see the case gets its files."""
    case = _visible_case(request, slug)
    attachment = get_object_or_404(CaseAttachment, case=case, pk=pk)
    return file_response(
        attachment.file, filename=attachment.download_name, content_type=attachment.content_type
    )


@require_safe
def cover_image(request, slug):
    """The cover of a case the member may see. `?w=400` or `?w=800` asks for that WebP
    rendition; without one stored (or for any other `w`) the original is served."""
    case = _visible_case(request, slug)
    content_type = mimetypes.guess_type(case.cover_image.name or "")[0] or ""
    if not content_type.startswith("image/"):
        raise Http404
    width = request.GET.get("w", "")
    if width in {str(w) for w in images.RENDITION_WIDTHS}:
        name = images.rendition_name(case.cover_image.name, int(width))
        try:
            return stored_file_response(
                case.cover_image.storage,
                name,
                filename=PurePath(name).name,
                content_type=images.RENDITION_CONTENT_TYPE,
                as_attachment=False,
            )
        except Http404:
            pass  # not made (yet): the original will do
    return file_response(
        case.cover_image,
        filename=PurePath(case.cover_image.name).name,
        content_type=content_type,
        as_attachment=False,
    )


# --- export ---------------------------------------------------------------------------------------

CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    if text.startswith(CSV_FORMULA_START):
        return "'" + text
    return text


def _csv_value(value) -> str:
    """A value as Danish Excel reads it: decimal commas and no thousands separator, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, Decimal | float):
        return str(value).replace(".", ",")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _export(request):
    """The cases the list shows with the request's filters (all of them, not one page), with
    the export's columns and a file name stem; the visibility rules are the list's own."""
    _form, data = filter_data(CaseFilterForm, request.GET)
    queryset = FACETS.apply(base_queryset(request.user, data), data).for_export()
    queryset = queryset.ordered(data.get("sort") or "newest")
    base_url = request.build_absolute_uri("/").rstrip("/")
    stem = f"kom-videre-cases-{timezone.localdate().isoformat()}"
    return export_columns(), export_rows(queryset, base_url=base_url), stem


@require_safe
def export_csv(request):
    """The list's current filters as CSV, made to open cleanly in Danish Excel: UTF-8 with a
    byte-order mark, ";" between cells, decimal commas, and the narrative sections as text."""
    columns, rows, stem = _export(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow([column.header for column in columns])
    for row in rows:
        writer.writerow([_csv_cell(_csv_value(value)) for value in row])
    return response


@require_safe
def export_xlsx(request):
    """The same cases and columns as `export_csv`, as an Excel workbook with typed cells:
    figures and years as numbers, dates as dates, everything else as text (never a formula)."""
    columns, rows, stem = _export(request)
    return xlsx_response(f"{stem}.xlsx", title=_("Cases"), columns=columns, rows=rows)
