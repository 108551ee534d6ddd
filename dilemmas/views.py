"""Thin views: parse the request, call a service, redirect with a message (POST-redirect-GET).

Visibility: hidden threads and replies are 404 for members (moderators see them); permission
failures from the services are 403; malformed input is a form error or 400, never a 500.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe
from django.views.generic import ListView

from dilemmas import services
from dilemmas.facets import FACETS, base_queryset
from dilemmas.forms import (
    ConclusionForm,
    DilemmaFilterForm,
    DilemmaForm,
    DuplicateForm,
    FlagForm,
    LinkCaseForm,
    LinkDilemmaForm,
    ReplyForm,
)
from dilemmas.models import Dilemma, Flag, Follow, Reply, attach_tags, case_model
from dilemmas.suggestions import similar_cases, similar_dilemmas
from komvidere import fragments, versions
from komvidere.autocomplete import suggestions
from komvidere.facets import FacetedListMixin
from komvidere.mixins import CachedPageMixin
from komvidere.models import Status, is_moderator
from komvidere.related import related_items


def _dilemma_or_404(request, pk) -> Dilemma:
    return get_object_or_404(
        Dilemma.objects.visible_to(request.user).select_related("author", "organisation"), pk=pk
    )


def _reply_or_404(request, pk) -> Reply:
    reply = get_object_or_404(
        Reply.objects.select_related("dilemma", "dilemma__organisation", "author"), pk=pk
    )
    if (reply.hidden or reply.dilemma.hidden) and not is_moderator(request.user):
        raise Http404
    return reply


def _bad_request(request, message):
    messages.error(request, message)
    return render(request, "400.html", status=400)


def _errors_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


# --- List and suggestions -------------------------------------------------------------------------


class DilemmaListView(CachedPageMixin, FacetedListMixin, ListView):
    filter_form_class = DilemmaFilterForm
    facets = FACETS
    facet_cache_kinds = (versions.DILEMMAS,)
    template_name = "dilemmas/dilemma_list.html"
    context_object_name = "dilemmas"
    paginate_by = 20
    default_sort = "activity"
    chip_fields = ("organisation", "no_replies", "following")

    def get_base_queryset(self, data):
        return base_queryset(self.request.user, data)

    def facet_cache_scope(self):
        # Moderators also count hidden dilemmas; "following" is the member's own.
        if self.filters.get("following"):
            return None
        scope = super().facet_cache_scope()
        return None if scope is None else f"{scope}moderator:{is_moderator(self.request.user)}"

    def page_fragment_parts(self):
        return None if self.request.GET.get("following") else ()  # the member's own

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        attach_tags(context["dilemmas"])
        form = self.filter_form
        context["filter_extra_fields"] = [form["no_replies"], form["following"]]
        context["hidden_fields"] = [form["organisation"]]
        return context


@require_GET
def suggest(request):
    """Similar dilemmas and cases for a title: a partial for htmx, a page without JavaScript."""
    title = request.GET.get("title", "")[:300]
    context = {
        "title": title,
        "similar_dilemmas": similar_dilemmas(title),
        "similar_cases": similar_cases(title),
    }
    if request.htmx:
        return render(request, "dilemmas/includes/suggestions.html", context)
    return render(request, "dilemmas/suggest.html", context)


# --- Asking and editing ---------------------------------------------------------------------------


def _service_kwargs(data: dict) -> dict:
    return {
        "kind": data["kind"],
        "title": data["title"],
        "body": data["body"],
        "sectors": data.get("sectors") or [],
        "themes": data.get("themes") or [],
        "plan_stage": data.get("plan_stage"),
        "tags": data.get("tags") or [],
    }


def dilemma_create(request):
    form = DilemmaForm(request.POST or None)
    context = {"form": form, "preview": None, "similar": None}
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            context["preview"] = data["body"]
        elif (
            not data.get("confirmed")
            and (found := (similar_dilemmas(data["title"]), similar_cases(data["title"])))
            and any(found)
        ):
            # Without JavaScript the suggestions come as a step: post anyway, or go read.
            post = request.POST.copy()
            post["confirmed"] = "1"
            context["form"] = form = DilemmaForm(post)
            form.is_valid()
            context["similar"] = {"similar_dilemmas": found[0], "similar_cases": found[1]}
        else:
            try:
                dilemma = services.dilemma_create(
                    author=request.user,
                    anonymous=data.get("anonymous", False),
                    **_service_kwargs(data),
                )
            except services.RateLimited as exc:
                form.add_error(None, str(exc))
                status = 429
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your dilemma is posted. You follow it."))
                return redirect(dilemma)
    return render(request, "dilemmas/dilemma_form.html", context, status=status)


def dilemma_edit(request, pk):
    dilemma = _dilemma_or_404(request, pk)
    if not dilemma.can_edit(request.user):
        raise PermissionDenied
    # The form gets its own copy: ModelForm validation writes into its instance.
    form = DilemmaForm(
        request.POST or None, instance=Dilemma.objects.get(pk=dilemma.pk), suggest=False
    )
    context = {"form": form, "dilemma": dilemma, "preview": None}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            context["preview"] = data["body"]
        else:
            try:
                services.dilemma_edit(
                    user=request.user,
                    dilemma=dilemma,
                    anonymous=data.get("anonymous"),
                    **_service_kwargs(data),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(dilemma)
    return render(request, "dilemmas/dilemma_form.html", context)


def dilemma_delete(request, pk):
    dilemma = _dilemma_or_404(request, pk)
    if not dilemma.can_edit(request.user) or dilemma.is_deleted:
        raise PermissionDenied
    if request.method == "POST":
        services.dilemma_delete(user=request.user, dilemma=dilemma)
        messages.success(request, _("The dilemma is deleted. Its replies stay readable."))
        return redirect(dilemma)
    return render(request, "dilemmas/confirm_delete.html", {"dilemma": dilemma, "object": dilemma})


# --- The thread -----------------------------------------------------------------------------------


def _thread_context(
    request, dilemma: Dilemma, *, reply_form=None, link_case_form=None, is_following=None
) -> dict:
    """What the thread page shows. Deleted replies are left out, and so are hidden ones
    except for moderators (marked hidden for them): the count is what the page lists. The
    accepted answer stays in its place among the replies; the top of the page links to it."""
    user = request.user
    every = list(Reply.objects.filter(dilemma=dilemma).for_thread(user))
    replies = [r for r in every if not r.is_deleted]
    accepted = next(
        (r for r in replies if r.pk == dilemma.accepted_reply_id and not r.hidden), None
    )
    posted = _posted_reply(request, replies)
    # One query for both the list of cases that answer the thread and the related box.
    answering = list(
        dilemma.related_cases.published().select_related("organisation").order_by("title", "pk")
    )
    explicit = [*answering, *dilemma.linked_articles.published()]
    return {
        "dilemma": dilemma,
        "accepted_reply": accepted,
        "replies": replies,
        "reply_total": len(replies),
        "hidden_total": sum(1 for r in replies if r.hidden),
        "deleted_total": len(every) - len(replies),
        "posted_reply_id": posted,
        "is_moderator": is_moderator(user),
        "is_following": (
            Follow.objects.filter(user=user, dilemma=dilemma).exists()
            if is_following is None
            else is_following
        ),
        "can_edit": dilemma.can_edit(user),
        "can_settle": dilemma.can_settle(user),
        "can_reply": dilemma.can_reply(user),
        "reply_form": reply_form or ReplyForm(initial=_quote_initial(request, dilemma, replies)),
        "answering_cases": answering,
        "can_link_case": not dilemma.is_deleted,
        "link_case_form": link_case_form or LinkCaseForm(user=user),
        "related": related_items(dilemma, explicit=explicit),
    }


def _posted_reply(request, replies) -> int | None:
    """The reply the user just posted (?posted=<id>): its success message is shown next to
    it, where the page lands, not at the top."""
    try:
        posted = int(request.GET.get("posted", ""))
    except ValueError:
        return None
    mine = {r.pk for r in replies if r.author_id == request.user.pk}
    return posted if posted in mine else None


def _quote_initial(request, dilemma: Dilemma, replies) -> dict:
    """?quote=<reply id> fills the reply form with that reply as a markdown quote."""
    try:
        quoted = int(request.GET.get("quote", ""))
    except ValueError:
        return {}
    reply = next((r for r in replies if r.pk == quoted and not r.hidden), None)
    if reply is None:
        return {}
    return {"body": quote_markdown(reply)}


def quote_markdown(reply: Reply) -> str:
    """A reply as a markdown block quote with who wrote it (the anonymous asker as "a
    colleague in <region>"), followed by an empty line to write under."""
    who = services.display_name_in_thread(reply.dilemma, reply.author)
    lines = [_("%(name)s wrote:") % {"name": who}, "", *reply.body.strip().splitlines()]
    return "\n".join(f"> {line}".rstrip() for line in lines) + "\n\n"


def _thread_fragment(request, dilemma: Dilemma, *, is_following: bool) -> str | None:
    """The cache key of the thread's main column as this member sees it, or None where the
    page is one-off (?posted= says "your reply is posted", ?quote= fills the form).

    Members who neither asked nor replied nor marked a reply helpful see the same page,
    moderators theirs; the others (the thread's own people) are keyed by themselves."""
    if "posted" in request.GET or "quote" in request.GET:
        return None
    user = request.user
    involved = dilemma.author_id == user.pk or dilemma.viewer_involved
    return versions.key(
        versions.KINDS,
        "thread",
        (
            dilemma.pk,
            get_language(),
            # The buttons follow from these and the thread's own state (in its version).
            is_moderator(user),
            is_following,
            user.pk if involved else None,
        ),
    )


def dilemma_detail(request, pk):
    user = request.user
    # The cache key needs the thread's own row and whether the member took part (one query,
    # no joins); the rest is fetched only when the page is rendered.
    involved = Reply.objects.filter(dilemma=OuterRef("pk")).filter(
        Q(author_id=user.pk) | Q(helpful_marks__user_id=user.pk)
    )
    dilemma = get_object_or_404(
        Dilemma.objects.visible_to(user).annotate(viewer_involved=Exists(involved)), pk=pk
    )
    following = services.dilemma_mark_seen(user=user, dilemma=dilemma)
    key = _thread_fragment(request, dilemma, is_following=following)
    if fragments.cached(key) is not None:  # the page is the title and the cached column
        context = {"dilemma": dilemma, "thread_fragment": key}
    else:
        dilemma = Dilemma.objects.for_thread().get(pk=dilemma.pk)
        context = _thread_context(request, dilemma, is_following=following)
        context["thread_fragment"] = key
    return render(request, "dilemmas/dilemma_detail.html", context)


@require_POST
def reply_create(request, pk):
    dilemma = get_object_or_404(Dilemma.objects.visible_to(request.user).for_thread(), pk=pk)
    if not dilemma.can_reply(request.user):
        raise PermissionDenied
    form = ReplyForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            reply = services.reply_create(
                author=request.user, dilemma=dilemma, body=form.cleaned_data["body"]
            )
        except services.RateLimited as exc:
            form.add_error(None, str(exc))
            status = 429
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # The page lands on the new reply, which says it is posted (see _posted_reply).
            url = reverse("dilemmas:detail", args=[dilemma.pk])
            return redirect(f"{url}?posted={reply.pk}#reply-{reply.pk}")
    context = _thread_context(request, dilemma, reply_form=form)
    return render(request, "dilemmas/dilemma_detail.html", context, status=status)


@require_POST
def dilemma_accept(request, pk):
    dilemma = _dilemma_or_404(request, pk)
    if not dilemma.can_settle(request.user):
        raise PermissionDenied
    if request.POST.get("action") == "unaccept":
        services.dilemma_unaccept_reply(user=request.user, dilemma=dilemma)
        messages.success(request, _("The reply is no longer marked as the answer."))
        return redirect(dilemma)
    try:
        reply_id = int(request.POST.get("reply", ""))
    except ValueError:
        return _bad_request(request, _("Choose a reply to accept."))
    reply = Reply.objects.filter(pk=reply_id).first()
    if reply is None:
        return _bad_request(request, _("That reply does not exist."))
    try:
        services.dilemma_accept_reply(user=request.user, dilemma=dilemma, reply=reply)
    except ValidationError as exc:
        return _bad_request(request, _errors_text(exc))
    messages.success(request, _("The reply is marked as the answer."))
    return redirect(dilemma)


def dilemma_conclude(request, pk):
    dilemma = _dilemma_or_404(request, pk)
    if not dilemma.can_settle(request.user):
        raise PermissionDenied
    form = ConclusionForm(request.POST or None, initial={"conclusion": dilemma.conclusion})
    if request.method == "POST" and form.is_valid():
        try:
            services.dilemma_conclude(
                user=request.user, dilemma=dilemma, conclusion=form.cleaned_data["conclusion"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The conclusion is published."))
            return redirect(dilemma)
    return render(request, "dilemmas/conclusion_form.html", {"form": form, "dilemma": dilemma})


@require_POST
def dilemma_follow(request, pk):
    dilemma = _dilemma_or_404(request, pk)
    if request.POST.get("action") == "unfollow":
        services.dilemma_unfollow(user=request.user, dilemma=dilemma)
        messages.success(request, _("You no longer follow this dilemma."))
    else:
        services.dilemma_follow(user=request.user, dilemma=dilemma)
        messages.success(request, _("You follow this dilemma and will be notified of replies."))
    return redirect(dilemma)


MODERATION_ACTIONS = {
    "lock": (services.dilemma_set_locked, {"locked": True}, gettext_lazy("The thread is locked.")),
    "unlock": (
        services.dilemma_set_locked,
        {"locked": False},
        gettext_lazy("The thread is unlocked."),
    ),
    "hide": (services.dilemma_set_hidden, {"hidden": True}, gettext_lazy("The thread is hidden.")),
    "unhide": (
        services.dilemma_set_hidden,
        {"hidden": False},
        gettext_lazy("The thread is visible again."),
    ),
}


@require_POST
def dilemma_moderate(request, pk):
    dilemma = _dilemma_or_404(request, pk)
    if not is_moderator(request.user):
        raise PermissionDenied
    action = MODERATION_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return _bad_request(request, _("Unknown action."))
    service, kwargs, message = action
    service(user=request.user, dilemma=dilemma, **kwargs)
    messages.success(request, message)
    return redirect(dilemma)


def dilemma_duplicate(request, pk):
    dilemma = _dilemma_or_404(request, pk)
    if not is_moderator(request.user):
        raise PermissionDenied
    form = DuplicateForm(
        request.POST or None, dilemma=dilemma, initial={"duplicate_of": dilemma.duplicate_of_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.dilemma_mark_duplicate(
                user=request.user, dilemma=dilemma, original=form.cleaned_data["duplicate_of"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(dilemma)
    return render(request, "dilemmas/duplicate_form.html", {"form": form, "dilemma": dilemma})


# --- Cases that answer a dilemma ------------------------------------------------------------------


def _link_all(request, pairs) -> list[str]:
    """Link each (dilemma, case) through the service with a message per link; return the
    errors of the links the service refused (the others stay made)."""
    errors = []
    for dilemma, case in pairs:
        try:
            linked = services.dilemma_link_case(user=request.user, dilemma=dilemma, case=case)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        names = {"case": case.title, "dilemma": dilemma.title}
        if linked:
            messages.success(
                request, _("“%(case)s” is now linked as an answer to “%(dilemma)s”.") % names
            )
        else:
            messages.info(request, _("“%(case)s” was already linked to “%(dilemma)s”.") % names)
    return errors


@require_POST
def dilemma_link_cases(request, pk):
    """From the thread: add cases that answer it (any member). Without JavaScript the typed
    names are looked up; an unknown or ambiguous one is shown next to the field, as typed."""
    dilemma = get_object_or_404(Dilemma.objects.visible_to(request.user).for_thread(), pk=pk)
    form = LinkCaseForm(request.POST, user=request.user)
    if form.is_valid():
        errors = _link_all(request, [(dilemma, case) for case in form.cleaned_data["cases"]])
        if not errors:
            return redirect(dilemma.get_absolute_url() + services.ANSWERING_CASES_ANCHOR)
        form.add_error("cases", errors)
    context = _thread_context(request, dilemma, link_case_form=form)
    return render(request, "dilemmas/dilemma_detail.html", context)


@require_POST
def dilemma_unlink_case(request, pk, case_pk):
    """Moderators take a case off a thread (a member gets 403, also for their own link)."""
    dilemma = _dilemma_or_404(request, pk)
    if not is_moderator(request.user):
        raise PermissionDenied
    case = get_object_or_404(case_model().objects.all(), pk=case_pk)
    names = {"case": case.title, "dilemma": dilemma.title}
    if services.dilemma_unlink_case(user=request.user, dilemma=dilemma, case=case):
        messages.success(request, _("“%(case)s” is no longer linked to “%(dilemma)s”.") % names)
    else:
        messages.info(request, _("“%(case)s” was not linked to “%(dilemma)s”.") % names)
    if request.POST.get("back") == "case":
        return redirect(case.get_absolute_url() + "#answered-dilemmas")
    return redirect(dilemma.get_absolute_url() + services.ANSWERING_CASES_ANCHOR)


def case_link_dilemmas(request, slug):
    """From a case: the dilemmas it answers. The case page posts here; this page shows the
    form again with its errors (and works as the form's page without JavaScript)."""
    case = get_object_or_404(case_model().objects.visible_to(request.user), slug=slug)
    form = LinkDilemmaForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        pairs = [(dilemma, case) for dilemma in form.cleaned_data["dilemmas"]]
        errors = _link_all(request, pairs)
        if not errors:
            return redirect(case.get_absolute_url() + "#answered-dilemmas")
        form.add_error("dilemmas", errors)
    return render(
        request,
        "dilemmas/case_link_form.html",
        {"case": case, "form": form, "is_published": case.status == Status.PUBLISHED},
    )


@require_safe
def suggest_dilemmas(request):
    """Threads for the "dilemmas this case answers" box (komvidere.autocomplete)."""
    queryset = (
        Dilemma.objects.linkable_by(request.user)
        .order_by("-last_activity_at", "-pk")
        .only("pk", "title", "status")
    )
    return suggestions(
        request,
        queryset,
        ("title",),
        label=lambda dilemma: dilemma.title,
        detail=lambda dilemma: dilemma.get_status_display(),
    )


# --- Replies --------------------------------------------------------------------------------------


def reply_edit(request, pk):
    reply = _reply_or_404(request, pk)
    if not reply.can_edit(request.user):
        raise PermissionDenied
    form = ReplyForm(request.POST or None, initial={"body": reply.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_edit(user=request.user, reply=reply, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(reply.get_absolute_url())
    return render(request, "dilemmas/reply_form.html", {"form": form, "reply": reply})


def reply_delete(request, pk):
    reply = _reply_or_404(request, pk)
    if not reply.can_edit(request.user) or reply.is_deleted:
        raise PermissionDenied
    if request.method == "POST":
        services.reply_delete(user=request.user, reply=reply)
        messages.success(request, _("The reply is deleted."))
        return redirect(reply.get_absolute_url())
    return render(
        request, "dilemmas/confirm_delete.html", {"dilemma": reply.dilemma, "object": reply}
    )


@require_POST
def reply_helpful(request, pk):
    reply = _reply_or_404(request, pk)
    try:
        services.reply_toggle_helpful(user=request.user, reply=reply)
    except ValidationError as exc:
        return _bad_request(request, _errors_text(exc))
    if request.htmx:
        reply = Reply.objects.filter(pk=reply.pk).for_thread(request.user).get()
        return render(request, "dilemmas/includes/helpful.html", {"reply": reply})
    return redirect(reply.get_absolute_url())


@require_POST
def reply_moderate(request, pk):
    reply = _reply_or_404(request, pk)
    if not is_moderator(request.user):
        raise PermissionDenied
    action = request.POST.get("action")
    if action not in {"hide", "unhide"}:
        return _bad_request(request, _("Unknown action."))
    services.reply_set_hidden(user=request.user, reply=reply, hidden=action == "hide")
    messages.success(
        request, _("The reply is hidden.") if action == "hide" else _("The reply is visible.")
    )
    return redirect(reply.get_absolute_url())


# --- Flags ----------------------------------------------------------------------------------------


def _flag(request, *, dilemma=None, reply=None):
    thread = dilemma or reply.dilemma
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_create(
                reporter=request.user,
                dilemma=dilemma,
                reply=reply,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you. A moderator will look at it."))
            return redirect(reply.get_absolute_url() if reply else thread)
    return render(
        request,
        "dilemmas/flag_form.html",
        {"form": form, "dilemma": thread, "reply": reply},
    )


def dilemma_flag(request, pk):
    return _flag(request, dilemma=_dilemma_or_404(request, pk))


def reply_flag(request, pk):
    return _flag(request, reply=_reply_or_404(request, pk))


class FlagListView(ListView):
    """Moderators: the queue of open flags with the content. Members: their own reports."""

    template_name = "dilemmas/flag_list.html"
    context_object_name = "flags"
    paginate_by = 30

    def get_queryset(self):
        flags = Flag.objects.for_queue()
        if is_moderator(self.request.user):
            return flags.open()
        return flags.filter(reporter=self.request.user).order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_moderator"] = is_moderator(self.request.user)
        return context


@require_POST
def flag_handle(request, pk):
    flag = get_object_or_404(Flag.objects.for_queue(), pk=pk)
    if not is_moderator(request.user):
        raise PermissionDenied
    action = request.POST.get("action")
    if action not in {"hide", "dismiss"}:
        return _bad_request(request, _("Unknown action."))
    services.flag_handle(user=request.user, flag=flag, action=action)
    messages.success(
        request,
        _("The content is hidden and the report closed.")
        if action == "hide"
        else _("The report is dismissed."),
    )
    return redirect("dilemmas:flags")
