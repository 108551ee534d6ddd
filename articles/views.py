from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView, ListView

from articles import services
from articles.facets import FACETS, base_queryset
from articles.forms import ArticleFilterForm, ArticleForm
from articles.models import DETAIL_PREFETCHES, Article, ArticleAttachment, attach_tags
from komvidere import history, versions
from komvidere.downloads import file_response
from komvidere.facets import FacetedListMixin
from komvidere.forms import AttachmentForm
from komvidere.mixins import CachedDetailMixin, CachedPageMixin, act_and_redirect
from komvidere.models import is_moderator
from komvidere.related import related_items


def _require_moderator(request) -> None:
    # Checked before the article is looked up, so a member learns nothing about drafts.
    if not is_moderator(request.user):
        raise PermissionDenied(_("Only moderators may write and publish articles."))


def _visible_article(request, slug: str) -> Article:
    """The article if the user may see it: drafts are a 404 for members, not a 403."""
    return get_object_or_404(Article.objects.visible_to(request.user), slug=slug)


def _moderated_article(request, slug: str) -> Article:
    _require_moderator(request)
    return get_object_or_404(Article, slug=slug)


class ArticleListView(CachedPageMixin, FacetedListMixin, ListView):
    filter_form_class = ArticleFilterForm
    facets = FACETS
    facet_cache_kinds = (versions.ARTICLES,)
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_base_queryset(self, data):
        return base_queryset(self.request.user, data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        attach_tags(context["articles"])
        context["is_moderator"] = is_moderator(self.request.user)
        if context["is_moderator"]:
            context["drafts"] = list(
                Article.objects.exclude(status="published")
                .exclude(status="archived")
                .order_by("-updated_at")
                .only("title", "slug", "status", "kind")[:10]
            )
        return context


class ArticleDetailView(CachedDetailMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"
    detail_prefetches = DETAIL_PREFETCHES

    def get_queryset(self):
        return Article.objects.visible_to(self.request.user).for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        moderator = is_moderator(self.request.user)
        context["is_moderator"] = moderator
        if moderator:
            revisions = self.object.revisions.select_related("history_user")[:10]
            context["history"] = [(r, history.describe(r, Article)) for r in revisions]
        article = self.object
        context["related"] = related_items(
            article,
            explicit=[
                *article.related_cases.published().select_related("organisation"),
                *article.related_dilemmas.public(),
            ],
        )
        return context


def _article_form_page(request, article: Article | None):
    if request.method == "POST":
        # The form works on its own copy, so a page with errors still shows the saved title.
        instance = Article.objects.get(pk=article.pk) if article else Article()
        form = ArticleForm(request.POST, instance=instance)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in ArticleForm.Meta.fields}
            try:
                if article is None:
                    article = services.article_create(author=request.user, **data)
                else:
                    article = services.article_update(article=article, editor=request.user, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The article has been saved."))
                return redirect(article)
    else:
        form = ArticleForm(instance=article)
    context = {"form": form, "article": article}
    if article is not None:
        context["attachment_form"] = AttachmentForm()
        context["attachments"] = article.attachments.all()
    return render(request, "articles/article_form.html", context)


def article_create(request):
    _require_moderator(request)
    return _article_form_page(request, None)


def article_edit(request, slug):
    return _article_form_page(request, _moderated_article(request, slug))


# --- status and featuring -----------------------------------------------------------------------

TRANSITION_ACTIONS = {
    "submit": (
        services.article_submit,
        gettext_lazy("The article has been sent to the other moderators for review."),
    ),
    "publish": (services.article_publish, gettext_lazy("The article is published.")),
    "archive": (services.article_archive, gettext_lazy("The article is archived.")),
    "unpublish": (services.article_unpublish, gettext_lazy("The article is a draft again.")),
}


@require_POST
def article_transition(request, slug, action):
    article = _moderated_article(request, slug)
    service, done = TRANSITION_ACTIONS[action]
    return act_and_redirect(
        request, article, lambda: service(article=article, user=request.user), done
    )


@require_POST
def article_feature(request, slug):
    article = _moderated_article(request, slug)
    featured = request.POST.get("featured") == "1"
    return act_and_redirect(
        request,
        article,
        lambda: services.article_set_featured(
            article=article, user=request.user, featured=featured
        ),
        _("The article is featured.") if featured else _("The article is not featured."),
    )


@require_POST
def article_reviewed(request, slug):
    article = _moderated_article(request, slug)
    services.article_mark_reviewed(article=article, user=request.user)
    messages.success(request, _("The article is marked as reviewed today."))
    return redirect(article)


# --- attachments ----------------------------------------------------------------------------------


def attachment_add(request, slug):
    article = _moderated_article(request, slug)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(article=article, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The file has been attached."))
            return redirect(article.get_edit_url() + "#attachments")
    return render(
        request,
        "includes/attachment_form.html",
        {"form": form, "parent": article, "back_url": article.get_edit_url() + "#attachments"},
    )


@require_POST
def attachment_delete(request, slug, pk):
    article = _moderated_article(request, slug)
    attachment = get_object_or_404(ArticleAttachment, article=article, pk=pk)
    services.attachment_delete(attachment=attachment, user=request.user)
    messages.success(request, _("The file has been removed."))
    return redirect(article.get_edit_url() + "#attachments")


@require_safe
def attachment_download(request, slug, pk):
    """Uploads are not public: only someone who may see the article gets its files."""
    article = _visible_article(request, slug)
    attachment = get_object_or_404(ArticleAttachment, article=article, pk=pk)
    return file_response(
        attachment.file, filename=attachment.download_name, content_type=attachment.content_type
    )


@require_safe
def article_changes(request, slug, revision):
    """What one revision of an article changed, field by field (moderators)."""
    article = _moderated_article(request, slug)
    entry = get_object_or_404(article.revisions.select_related("history_user"), history_id=revision)
    return render(
        request,
        "articles/article_changes.html",
        {
            "article": article,
            "revision": entry,
            "sentence": history.describe(entry, Article),
            "changes": history.changes(entry, article),
        },
    )
