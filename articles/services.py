"""Every write to an article goes through here: the site, the admin and seed_demo call these.

Only moderators write articles. Each service checks that (PermissionDenied, a 403), validates
(ValidationError), saves inside a transaction and records one revision (who, when, which
fields and their old values). Submitting an article, and editing a published one, tells the
other moderators of the author's region (and those who follow every region).
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import notifications
from articles.models import Article, ArticleAttachment, Status
from articles.registration import ArticleNotification
from komvidere import attachments, follows, moderation, publishing, search
from komvidere.models import is_moderator

FIELDS = publishing.Fields(
    noun="article",
    many_to_many=("sectors", "themes"),
    editable=frozenset(
        {
            "title",
            "summary",
            "body",
            "kind",
            "source_organisation",
            "external_url",
            "media_url",
            "transcript",
            "plan_stage",
            "last_reviewed_at",
            "review_due",
            "tags",
            "sectors",
            "themes",
        }
    ),
)

# Paths under /articles/ that a slug must not shadow.
RESERVED_SLUGS = {"new"}


def _require_moderator(user) -> None:
    if not is_moderator(user):
        raise PermissionDenied(_("Only moderators may write and publish articles."))


def _validate(article: Article) -> None:
    """Field validators and constraints, before anything is written."""
    article.full_clean(exclude=["slug", "author"], validate_unique=False)
    if article.last_reviewed_at and article.last_reviewed_at > timezone.localdate():
        raise ValidationError({"last_reviewed_at": _("The last review cannot be in the future.")})


def _transition(article: Article, user, to: str, action: str) -> Article:
    _require_moderator(user)
    if article.status == to:
        return article
    if not article.can_transition(user, to):
        raise ValidationError(
            _("An article that is %(status)s cannot be moved to %(to)s."),
            params={"status": article.get_status_display(), "to": Status(to).label},
        )
    watched = ("status", "featured", "published_at", "last_reviewed_at")
    before = {name: FIELDS.current(article, name) for name in watched}
    article.apply_transition(to)
    article.updated_by = user
    article.save()
    changed = {k: v for k, v in before.items() if v != FIELDS.current(article, k)}
    publishing.record(article, editor=user, action=action, previous=changed)
    search.index(article)
    if to == Status.SUBMITTED:
        _tell_moderators(article, user, ArticleNotification.SUBMITTED, article.get_absolute_url())
    return article


def _tell_moderators(article: Article, actor, kind: str, url: str) -> None:
    """Tell the other moderators of the author's region (and those following every region)
    what `actor` did, named in the notification."""
    organisation = article.author.organisation if article.author_id else None
    notifications.notify_many(
        recipients=moderation.review_recipients(
            region=getattr(organisation, "region", ""), exclude=actor
        ),
        kind=kind,
        title=article.title,
        url=url,
        actor=actor,
    )


def article_changes_url(revision) -> str:
    """Where moderators see what one revision of an article changed."""
    return reverse("articles:changes", kwargs={"slug": revision.slug, "revision": revision.pk})


# --- articles ----------------------------------------------------------------------------------


@transaction.atomic
def article_create(*, author, action: str = "create", **fields: Any) -> Article:
    """Create an article as a draft by `author`, who must be a moderator.

    Every field and constraint is validated before anything is written; the slug is made
    from the title and is unique.
    """
    _require_moderator(author)
    FIELDS.check(fields)
    article = Article(author=author, updated_by=author, status=Status.DRAFT)
    later = FIELDS.apply(article, fields)
    _validate(article)
    publishing.save_with_unique_slug(article, fallback="artikel", reserved=RESERVED_SLUGS)
    FIELDS.apply_later(article, later)
    publishing.record(article, editor=author, action=action)
    search.index(article)
    return article


@transaction.atomic
def article_update(*, article: Article, editor, action: str = "edit", **fields: Any) -> Article:
    """Change an article's fields (moderators). The slug stays stable so links keep working.

    Only fields that really changed are in the revision log, with their old values.
    """
    _require_moderator(editor)
    FIELDS.check(fields)
    article = Article.objects.select_for_update().get(pk=article.pk)
    previous = publishing.tracked_update(
        article, FIELDS, fields, validate=_validate, updated_by=editor
    )
    if previous:
        revision = publishing.record(article, editor=editor, action=action, previous=previous)
        if article.status == Status.PUBLISHED:
            _tell_moderators(
                article, editor, ArticleNotification.EDITED, article_changes_url(revision)
            )
            notifications.notify_many(
                recipients=follows.followers_of(article),
                kind=follows.FollowNotification.UPDATED,
                title=article.title,
                url=article.get_absolute_url(),
                actor=editor,
            )
    search.index(article)
    return article


@transaction.atomic
def article_submit(*, article: Article, user) -> Article:
    """Ask the other moderators to review a draft before it is published."""
    return _transition(article, user, Status.SUBMITTED, "submit")


@transaction.atomic
def article_publish(*, article: Article, user) -> Article:
    """Publish a draft, submitted or archived article (moderators); stamps today as reviewed.
    The first time, those following one of its tags or sectors are told."""
    first_time = article.published_at is None
    article = _transition(article, user, Status.PUBLISHED, "publish")
    if first_time:
        notifications.notify_many(
            recipients=follows.followers_of_topics(article),
            kind=follows.FollowNotification.PUBLISHED,
            title=article.title,
            url=article.get_absolute_url(),
            actor=article.author,
        )
    return article


@transaction.atomic
def article_archive(*, article: Article, user) -> Article:
    """Archive a published article (moderators): it leaves the lists but keeps its content."""
    return _transition(article, user, Status.ARCHIVED, "archive")


@transaction.atomic
def article_unpublish(*, article: Article, user) -> Article:
    """Take a published article back to draft (moderators)."""
    return _transition(article, user, Status.DRAFT, "unpublish")


@transaction.atomic
def article_set_featured(*, article: Article, user, featured: bool) -> Article:
    """Feature or unfeature an article (moderators); only published articles can be featured."""
    _require_moderator(user)
    if featured and article.status != Status.PUBLISHED:
        raise ValidationError(_("Only published articles can be featured."))
    if article.featured != featured:
        previous = {"featured": article.featured}
        article.featured = featured
        article.updated_by = user
        article.save(update_fields=["featured", "updated_by", "updated_at"])
        publishing.record(
            article, editor=user, action="feature" if featured else "unfeature", previous=previous
        )
    return article


@transaction.atomic
def article_mark_reviewed(*, article: Article, user, today: date | None = None) -> Article:
    """Record that a moderator checked today that the article is still current."""
    _require_moderator(user)
    previous = {"last_reviewed_at": publishing.revision_value(article.last_reviewed_at)}
    article.last_reviewed_at = today or timezone.localdate()
    article.updated_by = user
    article.save(update_fields=["last_reviewed_at", "updated_by", "updated_at"])
    publishing.record(article, editor=user, action="review", previous=previous)
    return article


# --- attachments ---------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, article: Article, user, file: UploadedFile, title: str) -> ArticleAttachment:
    """Attach a file to an article (moderators).

    The file is checked by content (PDF, office document, PNG/JPEG/WebP), its name must agree
    with its content, and it may be at most 10 MB. It is stored under a random name and only
    served through the permission-checking download view.
    """
    _require_moderator(user)
    attachment = attachments.add(
        model=ArticleAttachment, owner={"article": article}, user=user, file=file, title=title
    )
    publishing.record(article, editor=user, action="attachment_add", changed=["attachments"])
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: ArticleAttachment, user) -> None:
    """Remove an attachment and, once the transaction has committed, its file."""
    _require_moderator(user)
    publishing.record(
        attachment.article,
        editor=user,
        action="attachment_delete",
        previous={"attachments": attachment.original_name},
    )
    attachments.delete(attachment=attachment)


@transaction.atomic
def attachment_update(
    *, attachment: ArticleAttachment, user, title: str, file: UploadedFile | None = None
) -> ArticleAttachment:
    """Retitle an attachment or replace its file (moderators). A new file is checked and
    described as on adding; the old file is deleted after the commit."""
    _require_moderator(user)
    previous = attachments.update(attachment=attachment, title=title, file=file)
    if previous:
        publishing.record(
            attachment.article,
            editor=user,
            action="attachment_edit",
            previous={"attachments": previous},
        )
    return attachment


# --- admin-only writes ----------------------------------------------------------------------------


@transaction.atomic
def article_set_related(*, article: Article, user, related_cases, related_dilemmas) -> Article:
    """Point an article to the cases and dilemmas that go with it (moderators)."""
    _require_moderator(user)
    previous = {}
    for name, items in (("related_cases", related_cases), ("related_dilemmas", related_dilemmas)):
        before = sorted(getattr(article, name).values_list("pk", flat=True))
        if before != sorted(item.pk for item in items):
            getattr(article, name).set(items)
            previous[name] = before
    if previous:
        publishing.record(article, editor=user, action="related", previous=previous)
    return article


@transaction.atomic
def article_delete(*, article: Article, user) -> None:
    """Delete an article for good (moderators): it leaves search at once, with it go its
    attachments and tags, and once the transaction commits their stored files. The revision
    log keeps a last record of who deleted it."""
    _require_moderator(user)
    article = Article.objects.select_for_update().get(pk=article.pk)
    files = [a.file for a in article.attachments.all()]
    search.unindex(article)
    publishing.delete(article, editor=user)
    attachments.delete_files_after_commit(files)
