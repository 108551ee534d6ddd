"""Every write to an article goes through here: the site, the admin and seed_demo call these.

Only moderators write articles. Each service checks that (PermissionDenied, a 403), validates
(ValidationError), saves inside a transaction and records an `ArticleRevision` (who, when,
which fields). Articles send no e-mail: their authors are the moderators themselves.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from articles.models import Article, ArticleAttachment, ArticleRevision, Status
from komvidere import search
from komvidere.models import is_moderator
from komvidere.validators import detect_attachment_type, validate_attachment_file

M2M_FIELDS = ("sectors", "themes")
EDITABLE_FIELDS = {
    "title",
    "summary",
    "body",
    "kind",
    "source_organisation",
    "external_url",
    "media_url",
    "plan_stage",
    "last_reviewed_at",
    "review_due",
    "tags",
    *M2M_FIELDS,
}

# Paths under /articles/ that a slug must not shadow.
RESERVED_SLUGS = {"new"}


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    text = title.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    base = slugify(text)[:200].strip("-") or "artikel"
    slug, n = base, 2
    if slug in RESERVED_SLUGS:
        slug = f"{base}-{n}"
        n += 1
    existing = Article.objects.exclude(pk=exclude_pk) if exclude_pk else Article.objects.all()
    while existing.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _require_moderator(user) -> None:
    if not is_moderator(user):
        raise PermissionDenied(_("Only moderators may write and publish articles."))


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable through the article services: {sorted(unknown)}")


def _current(article: Article, name: str) -> Any:
    if name in M2M_FIELDS:
        return sorted(obj.pk for obj in getattr(article, name).all())
    if name == "tags":
        return sorted(article.tags.names())
    value = getattr(article, name)
    return value.pk if hasattr(value, "pk") else value


def _incoming(name: str, value: Any) -> Any:
    if name in M2M_FIELDS:
        return sorted(obj.pk for obj in (value or []))
    if name == "tags":
        return sorted(str(tag) for tag in (value or []))
    return value.pk if hasattr(value, "pk") else value


def _log(article: Article, editor, action: str, changed=()) -> ArticleRevision:
    return ArticleRevision.objects.create(
        article=article,
        editor=editor if getattr(editor, "pk", None) else None,
        action=action,
        changed_fields=sorted(changed),
    )


def _validate(article: Article) -> None:
    """Field validators and constraints, before anything is written."""
    article.full_clean(exclude=["slug", "author"], validate_unique=False)
    if article.last_reviewed_at and article.last_reviewed_at > timezone.localdate():
        raise ValidationError({"last_reviewed_at": _("The last review cannot be in the future.")})


def _apply(article: Article, fields: dict) -> dict[str, Any]:
    """Set the scalar fields; return the m2m and tag values to set once there is a pk."""
    later = {}
    for name, value in fields.items():
        if name in M2M_FIELDS or name == "tags":
            later[name] = value
        else:
            setattr(article, name, value)
    return later


def _apply_later(article: Article, later: dict) -> None:
    for name, value in later.items():
        if name == "tags":
            article.tags.set(list(value or []), clear=False)
        else:
            getattr(article, name).set(value or [])


def _transition(article: Article, user, to: str, action: str) -> Article:
    _require_moderator(user)
    if article.status == to:
        return article
    if not article.can_transition(user, to):
        raise ValidationError(
            _("An article that is %(status)s cannot be moved to %(to)s."),
            params={"status": article.get_status_display(), "to": Status(to).label},
        )
    article.apply_transition(to)
    article.updated_by = user
    article.save()
    _log(article, user, action, ["status"])
    search.index(article)
    return article


# --- articles ----------------------------------------------------------------------------------


@transaction.atomic
def article_create(*, author, **fields: Any) -> Article:
    """Create an article as a draft by `author`, who must be a moderator.

    Every field and constraint is validated before anything is written; the slug is made
    from the title and is unique.
    """
    _require_moderator(author)
    _check_fields(fields)
    article = Article(author=author, updated_by=author, status=Status.DRAFT)
    later = _apply(article, fields)
    _validate(article)
    article.slug = _unique_slug(article.title)
    article.save()
    _apply_later(article, later)
    _log(article, author, "create")
    search.index(article)
    return article


@transaction.atomic
def article_update(*, article: Article, editor, **fields: Any) -> Article:
    """Change an article's fields (moderators). The slug stays stable so links keep working.

    Only fields that really changed are named in the revision log.
    """
    _require_moderator(editor)
    _check_fields(fields)
    article = Article.objects.select_for_update().get(pk=article.pk)
    changed = [
        name for name, value in fields.items() if _current(article, name) != _incoming(name, value)
    ]
    later = _apply(article, fields)
    _validate(article)
    article.updated_by = editor
    article.save()
    _apply_later(article, later)
    if changed:
        _log(article, editor, "edit", changed)
    search.index(article)
    return article


@transaction.atomic
def article_publish(*, article: Article, user) -> Article:
    """Publish a draft, submitted or archived article (moderators); stamps today as reviewed."""
    return _transition(article, user, Status.PUBLISHED, "publish")


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
        article.featured = featured
        article.updated_by = user
        article.save(update_fields=["featured", "updated_by", "updated_at"])
        _log(article, user, "feature" if featured else "unfeature", ["featured"])
    return article


@transaction.atomic
def article_mark_reviewed(*, article: Article, user, today: date | None = None) -> Article:
    """Record that a moderator checked today that the article is still current."""
    _require_moderator(user)
    article.last_reviewed_at = today or timezone.localdate()
    article.updated_by = user
    article.save(update_fields=["last_reviewed_at", "updated_by", "updated_at"])
    _log(article, user, "review", ["last_reviewed_at"])
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
    validate_attachment_file(file)
    kind = detect_attachment_type(file)
    attachment = ArticleAttachment(
        article=article,
        file=file,
        title=title,
        original_name=(file.name or "")[-255:],
        uploaded_by=user,
        size=file.size or 0,
        content_type=kind.mime if kind else "application/octet-stream",
    )
    attachment.full_clean()
    attachment.save()
    _log(article, user, "attachment_add", ["attachments"])
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: ArticleAttachment, user) -> None:
    """Remove an attachment and, once the transaction has committed, its file."""
    _require_moderator(user)
    _log(attachment.article, user, "attachment_delete", ["attachments"])
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
