"""Atom feeds of new cases, new dilemmas and everything with a tag.

Members read them in the browser while logged in, or in a feed reader through addresses with
their secret feed key (accounts.FeedToken), which they can renew or switch off on their profile.
Feeds show only what every member may see, and never who asked an anonymous dilemma.
"""

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from accounts.feeds import user_for_feed_key
from articles.models import Article
from cases.models import Case
from dilemmas.models import Dilemma

ITEMS = 30


class MemberFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, key=None, **kwargs):
        if key is not None and user_for_feed_key(key) is None:
            raise Http404("Unknown feed key")
        return None

    def item_description(self, item):
        return Truncator(item.summary).chars(500)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class NewCasesFeed(MemberFeed):
    title = _("Kom Videre: new cases")
    subtitle = _("Best-practice climate cases from Danish municipalities, newest first.")

    def link(self):
        return reverse("cases:list")

    def items(self):
        return (
            Case.objects.published()
            .select_related("organisation")
            .order_by("-published_at", "-pk")[:ITEMS]
        )

    def item_author_name(self, item):
        return item.organisation.name if item.organisation_id else None


class NewDilemmasFeed(MemberFeed):
    title = _("Kom Videre: new dilemmas")
    subtitle = _("Questions and dilemmas from climate staff, newest first.")

    def link(self):
        return reverse("dilemmas:list")

    def items(self):
        return (
            Dilemma.objects.public()
            .select_related("organisation")
            .order_by("-created_at", "-pk")[:ITEMS]
        )

    def item_description(self, item):
        return Truncator(item.body).chars(500)

    def item_author_name(self, item):
        if item.anonymous:
            return None
        return item.organisation.name if item.organisation_id else None

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.last_activity_at


class TagFeed(MemberFeed):
    def get_object(self, request, slug, key=None):
        super().get_object(request, key=key)
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag):
        return _("Kom Videre: tagged “%(tag)s”") % {"tag": tag.name}

    def link(self, tag):
        return reverse("portal:tag_detail", kwargs={"slug": tag.slug})

    def items(self, tag):
        cases = Case.objects.published().filter(tags=tag).order_by("-published_at")[:ITEMS]
        articles = Article.objects.published().filter(tags=tag).order_by("-published_at")[:ITEMS]
        dilemmas = Dilemma.objects.public().filter(tags=tag).order_by("-created_at")[:ITEMS]
        for dilemma in dilemmas:
            dilemma.summary, dilemma.published_at = dilemma.body, dilemma.created_at
            dilemma.updated_at = dilemma.last_activity_at
        items = [*cases, *articles, *dilemmas]
        return sorted(items, key=lambda item: item.published_at, reverse=True)[:ITEMS]


def keyed(feed: Feed):
    """The same feed behind a secret key, for feed readers that cannot log in."""
    return login_not_required(feed)
