"""View mixins shared by every app's list pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect
from django.utils import translation

from komvidere import follows, fragments, versions
from komvidere.models import Status, is_moderator


class CachedPageMixin:
    """A page whose main column (`{% fragment page_fragment %}` around the content block) is
    cached per change of what it shows (komvidere.fragments), for every member alike: keyed by
    the address with its query, the language and whether the viewer is a moderator. On a hit
    the view does none of its work: only `cached_page_context()` (what the title needs).

    `page_fragment_parts()` names what else of the member the column shows, or says None
    where it is the member's own view (not cached)."""

    page_kinds: tuple[str, ...] = versions.KINDS

    def page_fragment_parts(self) -> tuple | None:
        return ()

    def page_fragment_kinds(self) -> tuple[str, ...]:
        return self.page_kinds

    def page_fragment(self) -> str | None:
        parts = self.page_fragment_parts()
        if parts is None:
            return None
        request = self.request
        return versions.key(
            self.page_fragment_kinds(),
            f"page:{request.resolver_match.view_name}",
            (
                translation.get_language(),
                is_moderator(request.user),
                request.get_full_path(),
                *parts,
            ),
        )

    def cached_page_context(self, **kwargs) -> dict:
        return {"view": self, **kwargs}

    def get(self, request, *args, **kwargs):
        key = self.page_fragment()
        if fragments.cached(key) is not None:
            if not hasattr(self, "object_list"):
                self.object_list = None  # a ListView's template names ask for it
            context = self.cached_page_context(**kwargs)
            context["page_fragment"] = key
            return self.render_to_response(context)
        response = super().get(request, *args, **kwargs)
        if getattr(response, "context_data", None) is not None:
            response.context_data["page_fragment"] = key
        return response


class CachedDetailMixin(CachedPageMixin):
    """A published item's page cached as members with no part in it see it (the same for
    all of them, but for their follow button); its author and moderators get their own
    buttons, reviews and history rendered. The cache key needs the item's own row only (a
    query with no joins: a third of the cost); the rows it links to (`get_queryset()`'s
    select_related) and the lists `detail_prefetches` names are fetched when the page is
    rendered."""

    detail_prefetches: tuple = ()

    def get_object(self, queryset=None):
        if getattr(self, "object", None) is None:
            lean = (queryset or self.get_queryset()).select_related(None)
            lean = follows.with_following(lean, self.request.user)  # the key wants both
            self.object = super().get_object(lean)
        return self.object

    def page_fragment_parts(self):
        item, user = self.get_object(), self.request.user
        if item.status != Status.PUBLISHED or item.author_id == user.pk or is_moderator(user):
            return None
        return (follows.request_is_following(self.request, item),)

    def cached_page_context(self, **kwargs):
        context = super().cached_page_context(**kwargs)
        context.update(
            object=self.object, **{self.get_context_object_name(self.object): self.object}
        )
        return context

    def get_context_data(self, **kwargs):
        follows.request_is_following(self.request, self.object)  # known: keep it
        self.object = kwargs["object"] = self.get_queryset().get(pk=self.object.pk)
        prefetch_related_objects([self.object], *self.detail_prefetches)
        return super().get_context_data(**kwargs)


class FilteredListMixin:
    """A ListView whose GET parameters are parsed by a form.

    Invalid filter values are ignored (the form shows the error) rather than failing the page,
    and an out-of-range page number gives a 404, never a 500.
    """

    filter_form_class = None
    paginate_by = 20
    # The content kinds the filter form's choices come from (komvidere.versions): the form with
    # nothing chosen is then rendered once per change of them ({% fragment filter_form_fragment %}).
    filter_form_kinds: tuple[str, ...] = ()

    def get_filter_form(self):
        return self.filter_form_class(self.request.GET or None)

    def filter_queryset(self, queryset, data: dict):
        return queryset

    def get_queryset(self):
        queryset = super().get_queryset()
        self.filter_form = self.get_filter_form()
        data = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return self.filter_queryset(queryset, data)

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except (Http404, InvalidPage) as exc:
            raise Http404(str(exc)) from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        chosen = any(value for name, value in self.request.GET.items() if name != "page")
        if self.filter_form_kinds and not chosen:
            context["filter_form_fragment"] = versions.key(
                self.filter_form_kinds,
                f"filter-form:{self.filter_form_class.__module__}.{self.filter_form_class.__name__}",
                (translation.get_language(),),
            )
        context["filtered"] = self.filter_form.is_bound and any(
            value for value in getattr(self.filter_form, "cleaned_data", {}).values()
        )
        return context


def act_and_redirect(request, target, action, success_message):
    """Run a service for a POST button and go back to `target` (POST-redirect-GET).

    A ValidationError from the service becomes an error message instead of a 500.
    """
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success_message)
    return redirect(target)
