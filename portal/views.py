import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from taggit.models import Tag

from accounts.models import Organisation, User
from articles.models import Article
from cases.models import Case
from dilemmas.models import Dilemma, Flag
from komvidere import follows, fragments, registry, search, versions
from komvidere import health as health_checks
from komvidere.markdown import sanitise_headline
from komvidere.mixins import CachedPageMixin
from komvidere.models import is_moderator
from portal import plan
from portal.forms import SearchForm

logger = logging.getLogger(__name__)


class HomeView(CachedPageMixin, TemplateView):
    """Where a member starts. First what matches their sectors and themes (dilemmas they could
    answer, new cases in their sectors), then their own drafts and what waits for them, then
    what is new for everyone."""

    template_name = "portal/home.html"

    def page_fragment_parts(self):
        """The member's own page, kept until anything on it changes: content, people, the
        threads they follow (versions.member) or the day (reviews fall due)."""
        return (self.request.user.pk, timezone.localdate())

    def page_fragment_kinds(self):
        return (*versions.KINDS, versions.member(self.request.user.pk))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        sector_ids = list(user.sectors.values_list("pk", flat=True))
        theme_ids = list(user.themes.values_list("pk", flat=True))
        # What everybody sees is read once per change of it (komvidere.versions); this
        # member's own lists below are not cached.
        featured = versions.cached(
            (versions.CASES, versions.TAXONOMY),
            "home:featured",
            (),
            lambda: list(Case.objects.featured().for_list().order_by("-published_at")[:3]),
        )
        shown = {case.pk for case in featured}

        matching_dilemmas = matching_cases = []
        if sector_ids or theme_ids:
            matching_dilemmas = list(
                Dilemma.objects.public()
                .open()
                .exclude(author=user)
                .filter(Q(sectors__in=sector_ids) | Q(themes__in=theme_ids))
                .distinct()
                .for_list()
                .order_by("reply_count", "-created_at", "-pk")[:5]
            )
        if sector_ids:
            matching_cases = list(
                Case.objects.published()
                .filter(sectors__in=sector_ids)
                .exclude(pk__in=shown)
                .distinct()
                .for_list()
                .order_by("-published_at", "-pk")[:3]
            )
            shown.update(case.pk for case in matching_cases)
        # Six not already shown above, from a shared pool of the newest (five are above at most).
        matched = {dilemma.pk for dilemma in matching_dilemmas}
        open_dilemmas = [
            dilemma
            for dilemma in versions.cached(
                (versions.DILEMMAS,),
                "home:open-dilemmas",
                (),
                lambda: list(
                    Dilemma.objects.public()
                    .open()
                    .for_list()
                    .order_by("-created_at", "-pk")[: 6 + 5]
                ),
            )
            if dilemma.pk not in matched
        ][:6]
        drafts = sorted(
            [
                *Case.objects.filter(author=user, status__in=["draft", "submitted"]).only(
                    "pk", "slug", "title", "status", "updated_at"
                ),
                *Article.objects.filter(author=user, status__in=["draft", "submitted"]).only(
                    "pk", "slug", "title", "status", "kind", "updated_at"
                ),
            ],
            key=lambda item: item.updated_at,
            reverse=True,
        )[:6]
        awaiting_answer = list(
            Dilemma.objects.public()
            .open()
            .filter(author=user, reply_count__gt=0)
            .for_list()
            .order_by("-last_activity_at", "-pk")[:5]
        )
        context.update(
            has_interests=bool(sector_ids or theme_ids),
            matching_dilemmas=matching_dilemmas,
            matching_cases=matching_cases,
            open_dilemmas=open_dilemmas,
            featured_cases=featured,
            # Six not already shown (featured and matching: six at most), from a shared pool.
            new_cases=[
                case
                for case in versions.cached(
                    (versions.CASES, versions.TAXONOMY),
                    "home:new-cases",
                    (),
                    lambda: list(
                        Case.objects.published().for_list().order_by("-published_at", "-pk")[:12]
                    ),
                )
                if case.pk not in shown
            ][:6],
            new_articles=versions.cached(
                (versions.ARTICLES,),
                "home:new-articles",
                (),
                lambda: list(Article.objects.published().for_list().order_by("-published_at")[:3]),
            ),
            followed=Dilemma.objects.with_news_for(user).for_list()[:6],
            drafts=drafts,
            awaiting_answer=awaiting_answer,
        )
        # The lists everybody may see are rendered once per change of them (and of which items
        # this member is shown: the ones above are left out).
        language = translation.get_language()
        context["shared_fragments"] = shared = {
            name: versions.key(
                kinds, f"home:{name}", (language, [item.pk for item in context[name]])
            )
            for name, kinds in (
                ("featured_cases", (versions.CASES, versions.TAXONOMY)),
                ("new_cases", (versions.CASES, versions.TAXONOMY)),
                ("open_dilemmas", (versions.DILEMMAS,)),
                ("new_articles", (versions.ARTICLES, versions.TAXONOMY)),
            )
        }
        fragments.prefetch(*shared.values())
        if is_moderator(user):
            context["moderation"] = {
                "cases_submitted": Case.objects.submitted().count(),
                "open_flags": Flag.objects.open().count(),
                "reviews_due": Case.objects.review_overdue().count()
                + Article.objects.review_overdue().count(),
            }
        return context


@login_not_required
@never_cache
@require_safe
def health(request):
    """For load balancers and monitoring: the database, the cache and the storage; 503 naming
    what is down (komvidere/health.py)."""
    results = health_checks.run_checks(db=connection)
    down = [name for name, state in results.items() if state != "ok"]
    body = {"status": "error" if down else "ok", **results}
    if down:
        body["unavailable"] = down
    return JsonResponse(body, status=503 if down else 200)


@login_not_required
@require_safe
def accessibility(request):
    """The portal's own accessibility statement, with the parts the Danish web accessibility
    act asks for. Where ACCESSIBILITY_STATEMENT_URL is set the footer links to the official
    statement (WAS-Tool) instead; this page stays reachable for those who know it."""
    try:
        reviewed = datetime.date.fromisoformat(settings.ACCESSIBILITY_STATEMENT_DATE)
    except ValueError:
        reviewed = None
    return render(
        request,
        "portal/accessibility.html",
        {"reviewed": reviewed, "official_url": settings.ACCESSIBILITY_STATEMENT_URL},
    )


@login_not_required
@require_safe
def privacy(request):
    return render(request, "portal/privacy.html")


class SearchView(CachedPageMixin, TemplateView):
    """One page across cases, dilemmas, replies and articles, and the people and organisations
    that match: only what members may see. A thread is one result, however many of its replies
    match."""

    template_name = "portal/search.html"
    paginate_by = 20
    max_pages = 50
    people_shown = 5
    # People are found by what their profile says, never by what they posted (anonymous posts).
    person_fields = ("name", "job_title", "bio", "sectors__name", "themes__name")
    organisation_fields = ("name", "short_name")

    def cached_page_context(self, **kwargs):
        form = SearchForm(self.request.GET or None)
        query = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
        return {**super().cached_page_context(**kwargs), "query": query}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        query, kind, stage = "", "", None
        if form.is_bound:
            # A bad value in one field (an unknown stage) leaves the others working.
            form.is_valid()
            query = form.cleaned_data.get("q", "")
            kind = form.cleaned_data.get("type", "")
            stage = form.cleaned_data.get("stage")
        kinds = registry.search_kinds()
        context.update(form=form, query=query, kind=kind, kinds=kinds, stage=stage)
        if not query:
            return context
        within = plan.search_condition(stage) if stage else None
        results = search.search(query, kind or None, within=within)
        paginator = Paginator(results, self.paginate_by)
        page_number = self.request.GET.get("page") or 1
        try:
            page = paginator.page(page_number)
        except (EmptyPage, PageNotAnInteger):
            raise Http404(_("No such page of results.")) from None
        if page.number > self.max_pages:
            raise Http404(_("No such page of results."))
        labels = dict(kinds)
        results.add_snippets(page.object_list)
        for entry in page.object_list:
            entry.snippet = sanitise_headline(entry.snippet)
            entry.kind_label = labels.get(entry.kind, entry.kind)
        everything = search.search(query, within=within) if kind else results
        counts = everything.counts_by_kind()
        context.update(
            page_obj=page,
            results=page.object_list,
            total=paginator.count,
            counts=[(value, label, counts.get(value, 0)) for value, label in kinds],
            all_count=everything.count(),
            mode=results.mode,
            missing=results.missing,
        )
        if page.number == 1 and not kind and not stage:
            context.update(
                people=list(
                    search.filter_text(User.objects.members(), query, self.person_fields)
                    .select_related("organisation")
                    .order_by("name", "pk")[: self.people_shown]
                ),
                organisations=list(
                    search.filter_text(
                        Organisation.objects.all(), query, self.organisation_fields
                    ).order_by("name")[: self.people_shown]
                ),
            )
        if paginator.count == 0 or results.mode in ("fuzzy", "partial"):
            context["suggestion"] = search.spelling_suggestion(query)
        if paginator.count == 0:
            words = search.terms(query)
            context["broader"] = words if len(words) > 1 else []
        return context


def _tagged_content(tag: Tag | None = None) -> dict[str, QuerySet]:
    """What members may see, per content type, optionally with one tag."""
    content = {
        "cases": Case.objects.published(),
        "dilemmas": Dilemma.objects.public(),
        "articles": Article.objects.published(),
    }
    if tag is not None:
        content = {key: qs.filter(tags=tag) for key, qs in content.items()}
    return content


class TagIndexView(TemplateView):
    """Every tag in use on visible content, with how many items carry it."""

    template_name = "portal/tag_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts: dict[int, int] = defaultdict(int)
        for queryset in _tagged_content().values():
            rows = queryset.order_by().values("tags").annotate(n=Count("pk", distinct=True))
            for row in rows.filter(tags__isnull=False):
                counts[row["tags"]] += row["n"]
        tags = list(Tag.objects.filter(pk__in=counts).order_by("name"))
        for tag in tags:
            tag.count = counts[tag.pk]
        context["tags"] = tags
        return context


class TagDetailView(CachedPageMixin, TemplateView):
    """Everything with one tag, by type, each list linking to its full, filtered list."""

    template_name = "portal/tag_detail.html"
    per_type = 20

    def page_fragment_parts(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return (follows.request_is_following(self.request, self.tag),)

    def cached_page_context(self, **kwargs):
        return {**super().cached_page_context(**kwargs), "tag": self.tag}

    def get_context_data(self, slug, **kwargs):
        context = super().get_context_data(**kwargs)
        tag = self.tag
        content = _tagged_content(tag)
        cases = content["cases"].for_list().order_by("-published_at", "-pk")
        dilemmas = content["dilemmas"].for_list().order_by("-last_activity_at", "-pk")
        articles = content["articles"].for_list().order_by("-published_at", "-pk")
        context.update(
            tag=tag,
            cases=list(cases[: self.per_type]),
            case_count=cases.count(),
            dilemmas=list(dilemmas[: self.per_type]),
            dilemma_count=dilemmas.count(),
            articles=list(articles[: self.per_type]),
            article_count=articles.count(),
        )
        return context
