"""Dilemma threads: a question, its replies, helpful marks, follows and flags.

Writes go through dilemmas.services; this module holds the models and the read rules
(QuerySets) that views use.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from komvidere import tagging
from komvidere.models import RevisionBase, content_language_field, is_moderator
from komvidere.search import SearchDocument

TITLE_MAX = 200
BODY_MAX = 20_000


class Kind(models.TextChoices):
    QUESTION = "question", _("Question")
    DILEMMA = "dilemma", _("Dilemma")
    CHALLENGE = "challenge", _("Challenge")


class DilemmaStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CONCLUDED = "concluded", _("Concluded")
    CLOSED = "closed", _("Closed")


class DilemmaQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Hidden dilemmas only for moderators."""
        if is_moderator(user):
            return self
        return self.filter(hidden=False)

    def listed(self):
        """What lists show: not deleted by the author."""
        return self.filter(deleted_at__isnull=True)

    def linkable_by(self, user):
        """Threads `user` may link a case to: those they can see, not deleted."""
        return self.visible_to(user).listed()

    def open(self):
        return self.filter(status=DilemmaStatus.OPEN)

    def public(self):
        """Shown to every member: neither hidden nor deleted."""
        return self.filter(hidden=False, deleted_at__isnull=True)

    def followed_by(self, user):
        return self.filter(Exists(Follow.objects.filter(dilemma=OuterRef("pk"), user=user)))

    def with_news_for(self, user):
        """Threads `user` follows where something happened since they last opened them."""
        unseen = Follow.objects.filter(dilemma=OuterRef("pk"), user=user).filter(
            Q(last_seen_at__isnull=True, created_at__lt=OuterRef("last_activity_at"))
            | Q(last_seen_at__lt=OuterRef("last_activity_at"))
        )
        return self.public().filter(Exists(unseen)).order_by("-last_activity_at", "-pk")

    def for_organisation(self, organisation):
        """An organisation's public dilemmas. Anonymous ones are left out: listing them under
        the organisation would reveal who asked."""
        return (
            self.public()
            .filter(organisation=organisation, anonymous=False)
            .for_list()
            .order_by("-last_activity_at", "-pk")
        )

    def for_list(self):
        return self.select_related("author", "organisation").defer("body", "conclusion")

    def ordered(self, sort: str):
        """The list's orderings: recent activity (the default), newest or most replies."""
        orderings = {
            "activity": ("-last_activity_at", "-pk"),
            "newest": ("-created_at", "-pk"),
            "replies": ("-reply_count", "-last_activity_at", "-pk"),
        }
        return self.order_by(*orderings.get(sort, orderings["activity"]))

    def for_search_index(self):
        return self.select_related("organisation").prefetch_related("tags")

    def for_thread(self):
        return self.select_related(
            "author", "organisation", "plan_stage", "duplicate_of", "concluded_by"
        ).prefetch_related("sectors", "themes", "tags")


class TaggedDilemma(TaggedItemBase):
    content_object = models.ForeignKey("Dilemma", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("dilemma tag")
        verbose_name_plural = _("dilemma tags")


class Dilemma(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.QUESTION)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    language = content_language_field()
    body = models.TextField(
        _("description"),
        max_length=BODY_MAX,
        help_text=_("Markdown: **bold**, *italic*, lists with -, links as [text](https://…)."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dilemmas",
        verbose_name=_("author"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dilemmas",
        verbose_name=_("organisation"),
        help_text=_("The author's organisation when the dilemma was posted."),
    )
    anonymous = models.BooleanField(
        _("post anonymously"),
        default=False,
        help_text=_(
            "Others see “a colleague in” your region instead of your name. "
            "Moderators can still see who you are."
        ),
    )
    sectors = models.ManyToManyField(
        "komvidere.Sector", blank=True, related_name="dilemmas", verbose_name=_("sectors")
    )
    themes = models.ManyToManyField(
        "komvidere.Theme", blank=True, related_name="dilemmas", verbose_name=_("themes")
    )
    plan_stage = models.ForeignKey(
        "komvidere.PlanStage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dilemmas",
        verbose_name=_("plan stage"),
    )
    tags = TaggableManager(
        through=TaggedDilemma,
        blank=True,
        verbose_name=_("tags"),
        help_text=_("Separate tags with commas."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DilemmaStatus, default=DilemmaStatus.OPEN
    )
    accepted_reply = models.ForeignKey(
        "Reply",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted reply"),
    )
    conclusion = models.TextField(_("conclusion"), max_length=BODY_MAX, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("concluded by"),
    )
    concluded_at = models.DateTimeField(_("concluded"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    # A label, not an import: dilemmas never imports the cases app.
    related_cases = models.ManyToManyField(
        "cases.Case", blank=True, related_name="dilemmas", verbose_name=_("related cases")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), auto_now_add=True)
    reply_count = models.PositiveIntegerField(
        _("replies"), default=0, help_text=_("Visible replies: neither hidden nor deleted.")
    )
    hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    locked = models.BooleanField(
        _("locked"), default=False, help_text=_("Nobody can reply to a locked thread.")
    )
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    objects = DilemmaQuerySet.as_manager()
    # One revision per change of the text, recorded by the services
    # (komvidere.publishing.record); the counters are not part of it.
    revisions = HistoricalRecords(
        bases=[RevisionBase],
        user_related_name="+",
        excluded_fields=["reply_count", "last_activity_at"],
    )
    skip_history_when_saving = True

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        verbose_name = _("dilemma")
        verbose_name_plural = _("dilemmas")
        indexes = [
            models.Index(fields=["-last_activity_at", "-id"], name="dilemma_activity_idx"),
            models.Index(fields=["-created_at", "-id"], name="dilemma_newest_idx"),
            models.Index(fields=["-reply_count", "-last_activity_at"], name="dilemma_replies_idx"),
            models.Index(fields=["status", "-last_activity_at"], name="dilemma_status_idx"),
            # The home page's open questions, newest first, among the visible ones.
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(status=DilemmaStatus.OPEN, hidden=False, deleted_at__isnull=True),
                name="dilemma_open_newest_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=DilemmaStatus.ANSWERED) | Q(accepted_reply__isnull=False),
                name="dilemma_answered_has_accepted_reply",
            ),
            models.CheckConstraint(
                condition=~Q(status=DilemmaStatus.CONCLUDED) | ~Q(conclusion=""),
                name="dilemma_concluded_has_conclusion",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dilemmas:detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if self.accepted_reply_id and self.accepted_reply.dilemma_id != self.pk:
            raise ValidationError(
                {"accepted_reply": _("The accepted reply must be a reply in this thread.")}
            )
        if self.duplicate_of_id and self.duplicate_of_id == self.pk:
            raise ValidationError({"duplicate_of": _("A dilemma cannot duplicate itself.")})

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def can_edit(self, user) -> bool:
        if is_moderator(user):
            return True
        return user.pk == self.author_id and not self.is_deleted and not self.hidden

    def can_settle(self, user) -> bool:
        """Accept a reply or write the conclusion: the asker or a moderator."""
        if is_moderator(user):
            return True
        return user.pk == self.author_id and not self.is_deleted and not self.hidden

    def can_reply(self, user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if self.locked or self.is_deleted or self.status == DilemmaStatus.CLOSED:
            return False
        return not self.hidden or is_moderator(user)

    def shows_author_to(self, user) -> bool:
        return not self.anonymous or is_moderator(user) or user.pk == self.author_id

    @property
    def region_label(self) -> str:
        if self.organisation_id and self.organisation.region:
            return self.organisation.get_region_display()
        return ""

    @property
    def is_public(self) -> bool:
        return not self.hidden and not self.is_deleted

    def search_document(self) -> SearchDocument | None:
        """What search may show of this dilemma: nothing once hidden or deleted, and never
        who asked anonymously."""
        if not self.is_public:
            return None
        if self.anonymous:
            meta = self.region_label
        else:
            meta = self.organisation.name if self.organisation_id else ""
        return SearchDocument(
            kind="dilemma",
            title=self.title,
            url=self.get_absolute_url(),
            summary=self.conclusion,
            body=self.body,
            tags=" ".join(tag.name for tag in self.tags.all()),
            meta=meta,
            language=self.language,
            published_at=self.created_at,
            thread=f"dilemma:{self.pk}",
            # Answered or concluded threads rank above open questions.
            boost=1.2 if self.status in (DilemmaStatus.ANSWERED, DilemmaStatus.CONCLUDED) else 1.0,
        )


class ReplyQuerySet(models.QuerySet):
    def public(self):
        """Shown to every member: neither the reply nor its thread hidden or deleted."""
        return self.filter(
            hidden=False,
            deleted_at__isnull=True,
            dilemma__hidden=False,
            dilemma__deleted_at__isnull=True,
        )

    def visible_to(self, user):
        if is_moderator(user):
            return self
        return self.filter(hidden=False)

    def for_search_index(self):
        return self.select_related("dilemma")

    def for_thread(self, user):
        """Replies in order with their author, helpful count and whether `user` marked it.

        Two annotations instead of a query per reply."""
        return (
            self.visible_to(user)
            .select_related("author", "author__organisation")
            .annotate(
                helpful_count=Count("helpful_marks", distinct=True),
                marked_helpful=Exists(
                    HelpfulMark.objects.filter(reply=OuterRef("pk"), user_id=user.pk)
                ),
            )
            .order_by("created_at", "pk")
        )


class Reply(models.Model):
    dilemma = models.ForeignKey(
        Dilemma, on_delete=models.CASCADE, related_name="replies", verbose_name=_("dilemma")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dilemma_replies",
        verbose_name=_("author"),
    )
    body = models.TextField(_("reply"), max_length=BODY_MAX)
    language = content_language_field()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    objects = ReplyQuerySet.as_manager()
    revisions = HistoricalRecords(bases=[RevisionBase], user_related_name="+")
    skip_history_when_saving = True

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        indexes = [models.Index(fields=["dilemma", "created_at"], name="reply_thread_idx")]

    def __str__(self):
        return f"{self.dilemma} #{self.pk}"

    def get_absolute_url(self):
        return f"{self.dilemma.get_absolute_url()}#reply-{self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def counts(self) -> bool:
        """Whether the reply counts in reply_count."""
        return not self.hidden and not self.is_deleted

    def can_edit(self, user) -> bool:
        if is_moderator(user):
            return True
        return user.pk == self.author_id and not self.is_deleted and not self.hidden

    def search_document(self) -> SearchDocument | None:
        """A reply is found under its thread's title, while both are visible to members."""
        if self.hidden or self.is_deleted or not self.dilemma.is_public:
            return None
        return SearchDocument(
            kind="reply",
            title=self.dilemma.title,
            url=self.get_absolute_url(),
            body=self.body,
            language=self.language,
            published_at=self.created_at,
            thread=f"dilemma:{self.dilemma_id}",
            boost=1.2 if self.dilemma.accepted_reply_id == self.pk else 0.9,
        )


class HelpfulMark(models.Model):
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, related_name="helpful_marks", verbose_name=_("reply")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="helpful_marks",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("helpful mark")
        verbose_name_plural = _("helpful marks")
        constraints = [
            models.UniqueConstraint(fields=["reply", "user"], name="helpfulmark_one_per_user")
        ]

    def __str__(self):
        return f"{self.user} → {self.reply}"


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="dilemma_follows",
        verbose_name=_("user"),
    )
    dilemma = models.ForeignKey(
        Dilemma, on_delete=models.CASCADE, related_name="follows", verbose_name=_("dilemma")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["user", "dilemma"], name="follow_one_per_user")
        ]

    def __str__(self):
        return f"{self.user} → {self.dilemma}"


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Offensive or disrespectful")
    OFF_TOPIC = "off_topic", _("Off topic")
    PERSONAL_DATA = "personal_data", _("Contains personal data")
    OTHER = "other", _("Something else")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    HIDDEN = "hidden", _("Content hidden")
    DISMISSED = "dismissed", _("Dismissed")


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=FlagStatus.OPEN)

    def for_queue(self):
        return self.select_related(
            "reporter", "dilemma", "dilemma__author", "reply", "reply__author", "reply__dilemma"
        ).order_by("created_at", "pk")


class Flag(models.Model):
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="dilemma_flags",
        verbose_name=_("reported by"),
    )
    dilemma = models.ForeignKey(
        Dilemma,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="flags",
        verbose_name=_("dilemma"),
    )
    reply = models.ForeignKey(
        Reply,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="flags",
        verbose_name=_("reply"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=FlagReason)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=FlagStatus, default=FlagStatus.OPEN
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        indexes = [models.Index(fields=["status", "created_at"], name="flag_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(dilemma__isnull=False, reply__isnull=True)
                | Q(dilemma__isnull=True, reply__isnull=False),
                name="flag_targets_one_item",
            ),
            models.UniqueConstraint(
                fields=["reporter", "dilemma"],
                condition=Q(status=FlagStatus.OPEN, reply__isnull=True),
                name="flag_one_open_per_user_dilemma",
            ),
            models.UniqueConstraint(
                fields=["reporter", "reply"],
                condition=Q(status=FlagStatus.OPEN, dilemma__isnull=True),
                name="flag_one_open_per_user_reply",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.target}"

    @property
    def target(self):
        return self.dilemma if self.dilemma_id else self.reply

    @property
    def thread(self) -> Dilemma:
        return self.dilemma if self.dilemma_id else self.reply.dilemma


def case_model():
    """The case model that `Dilemma.related_cases` points to, found through the relation:
    dilemmas never imports the cases app."""
    return Dilemma._meta.get_field("related_cases").related_model


def attach_tags(dilemmas) -> list:
    """Give each item a `tag_list` with one query for the whole page (komvidere.tagging)."""
    return tagging.attach_tags(dilemmas, TaggedDilemma)
