"""Site-wide models: the taxonomies every content app tags with, and the publication workflow.

This module imports no app: cases, dilemmas and articles import from it, never the reverse.
"""

from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from komvidere.validators import no_control_characters, no_html


def content_language_field():
    """The language a member wrote in, so pages mark it up with `lang` (WCAG 3.1.2)."""
    return models.CharField(
        _("language of the text"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the text is written in. Screen readers use it."),
    )


class TaxonomyQuerySet(models.QuerySet):
    pass


class Taxonomy(models.Model):
    """A controlled vocabulary term, named in Danish with an English name for the English UI."""

    name = models.CharField(_("name (Danish)"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = TaxonomyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if self.name_en and (get_language() or "da").startswith("en"):
            return self.name_en
        return self.name


class Sector(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class Theme(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class PlanStage(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("plan stage")
        verbose_name_plural = _("plan stages")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


# Which status may follow which, and who may make the move ("author" or "moderator").
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Status.SUBMITTED): "author",
    (Status.SUBMITTED, Status.DRAFT): "author",
    (Status.DRAFT, Status.PUBLISHED): "moderator",
    (Status.SUBMITTED, Status.PUBLISHED): "moderator",
    (Status.PUBLISHED, Status.ARCHIVED): "moderator",
    (Status.ARCHIVED, Status.PUBLISHED): "moderator",
    (Status.PUBLISHED, Status.DRAFT): "moderator",
}


def is_moderator(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_moderator", False))


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def featured(self):
        return self.published().filter(featured=True)

    def submitted(self):
        return self.filter(status=Status.SUBMITTED)

    def review_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.published().filter(review_due__lt=today)

    def visible_to(self, user):
        """Published items for everyone; a member also sees their own; moderators see all."""
        if is_moderator(user):
            return self
        if getattr(user, "is_authenticated", False):
            return self.filter(models.Q(status=Status.PUBLISHED) | models.Q(author=user))
        return self.published()


class Publishable(models.Model):
    """The shared publication workflow: draft → submitted → published → archived."""

    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="%(app_label)s_authored",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    last_reviewed_at = models.DateField(_("last reviewed"), null=True, blank=True)
    review_due = models.DateField(
        _("review due"),
        null=True,
        blank=True,
        help_text=_("When a moderator should check that the content is still current."),
    )
    featured = models.BooleanField(_("featured"), default=False)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    def can_transition(self, user, to: str) -> bool:
        who = TRANSITIONS.get((self.status, to))
        if who is None:
            return False
        if is_moderator(user):
            return True
        return who == "author" and user.pk == self.author_id

    def can_edit(self, user) -> bool:
        if is_moderator(user):
            return True
        return user.pk == self.author_id and self.status != Status.ARCHIVED

    def apply_transition(self, to: str, *, today=None) -> None:
        """Set the status and the dates that follow from it (the caller saves)."""
        now = timezone.now()
        self.status = to
        if to == Status.PUBLISHED:
            self.published_at = self.published_at or now
            self.last_reviewed_at = today or timezone.localdate()
        if to != Status.PUBLISHED:
            self.featured = False


class SearchEntry(models.Model):
    """One searchable item (a case, dilemma, reply or article) as members may see it.

    The content apps keep these rows in step from their services (komvidere.search.index);
    an item that members may not see (a draft, a hidden post) has no row, so search can never
    show it. On PostgreSQL `document` holds the weighted Danish tsvector (GIN-indexed, see
    migration 0004), and `title` has a trigram index for typo tolerance. On SQLite the FTS5
    table `komvidere_searchentry_fts` (migration 0006) holds the stemmed words, by `id`.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    # The content type's key in komvidere.registry ("case", "reply", ...).
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    tags = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    meta = models.CharField(max_length=300, blank=True)
    # The language the item's text is written in, for `lang` on the results (WCAG 3.1.2).
    language = models.CharField(max_length=10, blank=True, default="")
    published_at = models.DateTimeField(null=True, blank=True)
    # Entries with the same key are one result (a thread and its replies); blank: its own.
    group_key = models.CharField(max_length=60, blank=True)
    # How much the content itself is worth ranking up (an answered thread, an accepted reply).
    boost = models.FloatField(default=1.0)
    document = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="searchentry_unique_object"
            )
        ]
        indexes = [models.Index(fields=["kind", "published_at"], name="searchentry_kind_idx")]

    def __str__(self):
        return f"{self.kind}: {self.title}"


class Attachment(models.Model):
    """A file attached to a case or article. Subclasses add the owner and the `file` field
    (with their own upload path and validators); downloads go through a permission-checking
    view, never a public URL."""

    title = models.CharField(
        _("title"), max_length=200, validators=[no_control_characters, no_html]
    )
    original_name = models.CharField(
        _("original file name"), max_length=255, blank=True, editable=False
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0, editable=False)
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title

    @property
    def extension(self) -> str:
        return PurePath(self.file.name).suffix.lower().lstrip(".")

    @property
    def download_name(self) -> str:
        return self.original_name or f"{self.title}.{self.extension}"


class RevisionBase(models.Model):
    """The columns every historical record (django-simple-history) carries beside its
    snapshot of the item: which fields the change touched and their values before it.

    The services record exactly one revision per change (komvidere.publishing.record), with
    the action ("create", "edit", "publish", ...) as simple-history's change reason. The
    properties give the history the names the pages and the admin use.
    """

    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)
    previous_values = models.JSONField(_("previous values"), default=dict, blank=True)
    # What a moderator wrote to the author with the change (sending a case back, say).
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        abstract = True

    @property
    def action(self) -> str:
        return self.history_change_reason or ""

    @property
    def editor(self):
        return self.history_user

    @property
    def edited_at(self):
        return self.history_date


def featured_only_when_published(name: str) -> models.CheckConstraint:
    """Only a published item can be featured: the services keep to it, the database enforces
    it for every other writer."""
    return models.CheckConstraint(
        condition=models.Q(featured=False) | models.Q(status=Status.PUBLISHED), name=name
    )


class Follow(models.Model):
    """A member follows a case, an article, a tag or a sector (threads have their own follows,
    dilemmas.Follow). Followers are told when what they follow is updated, or when something
    is published under the tag or sector, in the inbox and by e-mail as they prefer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follows",
        verbose_name=_("member"),
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, verbose_name=_("kind")
    )
    object_id = models.PositiveBigIntegerField(_("followed item"))
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="follow_once_per_item"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="follow_target_idx")]

    def __str__(self):
        return f"{self.user_id} → {self.content_type_id}:{self.object_id}"
