"""Knowledge articles: guides, methods, tools, reports, podcasts, videos and news (ARCHITECTURE §3).

Moderators write them (on the site or in the admin); members read the published ones.
Reads live on `ArticleQuerySet`; every write goes through `articles.services`.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from articles.embeds import Embed, embed_for, host_of
from komvidere import tagging
from komvidere.models import (
    Attachment,
    Publishable,
    PublishableQuerySet,
    RevisionBase,
    Status,
    content_language_field,
    featured_only_when_published,
    is_moderator,
)
from komvidere.search import SearchDocument
from komvidere.validators import no_control_characters, no_html, validate_attachment_file

BODY_MAX_LENGTH = 50_000
URL_MAX_LENGTH = 500

MARKDOWN_HELP = _(
    "Markdown: **bold**, *italic*, [link](https://…), ## headings, lists with - at the start "
    "of a line."
)

# Only web addresses: no javascript:, data: or ftp: links on the page.
http_url = URLValidator(schemes=["http", "https"])


class ArticleKind(models.TextChoices):
    GUIDE = "guide", _("Guide")
    METHOD = "method", _("Method")
    TOOL = "tool", _("Tool")
    REPORT = "report", pgettext_lazy("article kind", "Report")
    PODCAST = "podcast", _("Podcast")
    VIDEO = "video", _("Video")
    NEWS = "news", _("News")


# Kinds whose media address may become an embedded player.
MEDIA_KINDS = {ArticleKind.PODCAST, ArticleKind.VIDEO}


def attachment_upload_to(instance, filename: str) -> str:
    """MEDIA_ROOT/articles/<article id>/files/<random>.<ext>: names reveal nothing, never clash."""
    extension = PurePath(filename).suffix.lower()[:10]
    return f"articles/{instance.article_id}/files/{uuid.uuid4().hex}{extension}"


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("article tag")
        verbose_name_plural = _("article tags")


class ArticleQuerySet(PublishableQuerySet):
    def visible_to(self, user):
        """Moderators see every article; everyone else only the published ones.

        Stricter than the shared rule (which also shows members their own drafts): only
        moderators write articles, so a member who lost the role must not keep seeing drafts.
        """
        if is_moderator(user):
            return self
        return self.published()

    def for_list(self):
        """What an article card needs. Tags are attached per page by `attach_tags()`."""
        return self.select_related("plan_stage").prefetch_related("sectors").defer("body")

    def for_detail(self):
        """With the rows the article page shows; its lists (DETAIL_PREFETCHES) are fetched
        when the page is rendered, not when it is cached (komvidere.mixins.CachedDetailMixin)."""
        return self.select_related("plan_stage", "author", "updated_by")

    def for_search_index(self):
        return self.prefetch_related("tags")

    def recent(self, limit: int = 5):
        """The newest published articles (for the home page)."""
        return self.published().for_list().ordered("newest")[:limit]

    def matching(self, text: str):
        """A plain text filter: every word must occur in the title, summary, body or source.

        A stop-gap until full-text search lands (issue 5). SQLite's LIKE folds ASCII only.
        """
        queryset = self
        for term in text.split()[:10]:
            queryset = queryset.filter(
                Q(title__icontains=term)
                | Q(summary__icontains=term)
                | Q(body__icontains=term)
                | Q(source_organisation__icontains=term)
            )
        return queryset

    def ordered(self, sort: str):
        orderings = {
            "newest": [F("published_at").desc(nulls_last=True), "-created_at"],
            "title": ["title"],
        }
        return self.order_by(*orderings.get(sort, orderings["newest"]), "-pk")


def attach_tags(articles) -> list:
    """Give each item a `tag_list` with one query for the whole page (komvidere.tagging)."""
    return tagging.attach_tags(articles, TaggedArticle)


class Article(Publishable):
    title = models.CharField(
        _("title"), max_length=200, validators=[no_control_characters, no_html]
    )
    language = content_language_field()
    slug = models.SlugField(_("slug"), max_length=220, unique=True, editable=False)
    summary = models.CharField(
        _("summary"),
        max_length=500,
        validators=[no_control_characters, no_html],
        help_text=_("At most 500 characters, plain text. Shown in lists and search results."),
    )
    body = models.TextField(
        _("text"),
        blank=True,
        max_length=BODY_MAX_LENGTH,
        validators=[no_control_characters],
        help_text=MARKDOWN_HELP,
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=ArticleKind, default=ArticleKind.GUIDE
    )
    source_organisation = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        validators=[no_control_characters, no_html],
        help_text=_(
            "Who made the material, for example CONCITO, KL, Energistyrelsen or Region Midtjylland."
        ),
    )
    external_url = models.URLField(
        _("link to the source"),
        max_length=URL_MAX_LENGTH,
        blank=True,
        validators=[http_url],
        help_text=_("Where the full guide, report or tool can be found."),
    )
    media_url = models.URLField(
        _("episode or video address"),
        max_length=URL_MAX_LENGTH,
        blank=True,
        validators=[http_url],
        help_text=_(
            "For podcasts and videos: the page of the episode. Links to YouTube, Vimeo and "
            "Spotify show a player on the page; other addresses are shown as a link."
        ),
    )
    transcript = models.TextField(
        _("transcript"),
        blank=True,
        max_length=100_000,
        help_text=_(
            "The full text of a podcast or video, shown under the player (WCAG 1.2.1). Markdown."
        ),
    )
    sectors = models.ManyToManyField(
        "komvidere.Sector", related_name="articles", blank=True, verbose_name=_("sectors")
    )
    themes = models.ManyToManyField(
        "komvidere.Theme", related_name="articles", blank=True, verbose_name=_("themes")
    )
    plan_stage = models.ForeignKey(
        "komvidere.PlanStage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("plan stage"),
        help_text=_("Where in the DK2020 planning cycle the article helps most."),
    )
    tags = TaggableManager(
        through=TaggedArticle,
        blank=True,
        verbose_name=_("tags"),
        help_text=_("Free keywords separated by commas, for example: co2-regnskab, skybrud."),
    )
    related_cases = models.ManyToManyField(
        "cases.Case",
        blank=True,
        related_name="linked_articles",
        verbose_name=_("related cases"),
    )
    related_dilemmas = models.ManyToManyField(
        "dilemmas.Dilemma",
        blank=True,
        related_name="linked_articles",
        verbose_name=_("related dilemmas"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
        editable=False,
    )

    objects = ArticleQuerySet.as_manager()
    # One revision per change, recorded by the services (komvidere.publishing.record).
    revisions = HistoricalRecords(bases=[RevisionBase], user_related_name="+")
    skip_history_when_saving = True

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published_idx"),
            models.Index(fields=["status", "title", "-id"], name="article_status_title_idx"),
            models.Index(fields=["status", "kind"], name="article_status_kind_idx"),
            models.Index(
                fields=["-published_at"],
                condition=Q(status=Status.PUBLISHED, featured=True),
                name="article_featured_idx",
            ),
            # "newest" sorts NULLS LAST: PostgreSQL's matching index is in migration 0009.
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ArticleKind.values), name="article_kind_valid"
            ),
            featured_only_when_published("article_featured_only_published"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def get_edit_url(self):
        return reverse("articles:edit", kwargs={"slug": self.slug})

    @property
    def is_media(self) -> bool:
        return self.kind in MEDIA_KINDS

    @cached_property
    def embed(self) -> Embed | None:
        """The allow-listed player for a podcast or video, else None (then show a link)."""
        return embed_for(self.media_url) if self.is_media else None

    @property
    def media_host(self) -> str:
        return host_of(self.media_url)

    @property
    def external_host(self) -> str:
        return host_of(self.external_url)

    def is_review_overdue(self) -> bool:
        return bool(self.review_due and self.review_due < timezone.localdate())

    def search_document(self) -> SearchDocument | None:
        """What search may show of this article: only a published one."""
        if self.status != Status.PUBLISHED:
            return None
        return SearchDocument(
            kind="article",
            title=self.title,
            url=self.get_absolute_url(),
            summary=self.summary,
            body=self.body,
            tags=" ".join(tag.name for tag in self.tags.all()),
            meta=" · ".join(filter(None, [self.get_kind_display(), self.source_organisation])),
            language=self.language,
            published_at=self.published_at,
        )


class ArticleAttachment(Attachment):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("article")
    )
    file = models.FileField(
        _("file"),
        upload_to=attachment_upload_to,
        max_length=255,
        validators=[validate_attachment_file],
    )

    class Meta(Attachment.Meta):
        pass

    def get_absolute_url(self):
        return reverse("articles:attachment", kwargs={"slug": self.article.slug, "pk": self.pk})

    def get_delete_url(self):
        return reverse(
            "articles:attachment_delete", kwargs={"slug": self.article.slug, "pk": self.pk}
        )


__all__ = [
    "Article",
    "ArticleAttachment",
    "ArticleKind",
    "Status",
    "TaggedArticle",
    "attach_tags",
]


# The lists the article page shows (ArticleQuerySet.for_detail).
DETAIL_PREFETCHES = (
    "sectors",
    "themes",
    "tags",
    Prefetch("attachments", queryset=ArticleAttachment.objects.order_by("uploaded_at", "pk")),
)
