"""Every write to a case goes through here: the site, the admin and seed_demo call these.

Each service checks permission (PermissionDenied, which Django turns into a 403), validates
(ValidationError), saves inside a transaction and schedules e-mail after the commit.
Every change is recorded as a `CaseRevision` (who, when, which fields, and their old values).
"""

import logging
import secrets
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts import notifications
from cases.models import Case, CaseAttachment, CaseLink, CaseRevision, Status
from cases.registration import CaseNotification
from komvidere import search
from komvidere.models import is_moderator
from komvidere.validators import detect_attachment_type, validate_attachment_file

logger = logging.getLogger(__name__)

M2M_FIELDS = ("partners", "sectors", "themes", "related_cases")
FILE_FIELDS = ("cover_image",)
EDITABLE_FIELDS = {
    "title",
    "summary",
    "organisation",
    "origin",
    "work_status",
    "year_start",
    "year_end",
    "plan_stage",
    "challenge",
    "objectives",
    "solution",
    "citizen_involvement",
    "results",
    "costs_and_funding",
    "lessons_learned",
    "transferability",
    "co2e_tonnes_per_year",
    "budget_dkk",
    "contact_name",
    "contact_email",
    "cover_image",
    "cover_credit",
    "tags",
    *M2M_FIELDS,
}


# --- helpers -----------------------------------------------------------------------------------


# Paths under /cases/ that a slug must not shadow.
RESERVED_SLUGS = {"new", "review", "export-csv"}


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    text = title.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    base = slugify(text)[:200].strip("-") or "case"
    slug, n = base, 2
    if slug in RESERVED_SLUGS:
        slug = f"{base}-{n}"
        n += 1
    existing = Case.objects.exclude(pk=exclude_pk) if exclude_pk else Case.objects.all()
    while existing.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _save_with_unique_slug(case: Case) -> None:
    """Two people saving the same title at once: the loser retries with a random suffix."""
    case.slug = _unique_slug(case.title)
    for attempt in range(3):
        try:
            with transaction.atomic():
                case.save()
            return
        except IntegrityError:
            if attempt == 2:
                raise
            case.pk = None
            case.slug = f"{case.slug[:200]}-{secrets.token_hex(3)}"


def revision_value(value: Any) -> Any:
    """A value as it is stored in the revision log (JSON)."""
    if isinstance(value, list | tuple | QuerySet):
        return [revision_value(item) for item in value]
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    return value


def _current(case: Case, name: str) -> Any:
    if name in M2M_FIELDS:
        return sorted(obj.pk for obj in getattr(case, name).all())
    if name == "tags":
        return sorted(case.tags.names())
    return revision_value(getattr(case, name))


def _incoming(name: str, value: Any) -> Any:
    if name in M2M_FIELDS:
        return sorted(obj.pk for obj in (value or []))
    if name == "tags":
        return sorted(str(tag) for tag in (value or []))
    return revision_value(value)


def _log(case: Case, editor, action: str, previous: dict | None = None) -> CaseRevision:
    previous = previous or {}
    return CaseRevision.objects.create(
        case=case,
        editor=editor if getattr(editor, "pk", None) else None,
        action=action,
        changed_fields=sorted(previous),
        previous_values=previous,
    )


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable through the case services: {sorted(unknown)}")


def _validate(case: Case) -> None:
    """Model validation (field validators and constraints) before anything is written."""
    case.full_clean(exclude=["slug", "author"], validate_unique=False)


def _apply(case: Case, fields: dict, *, exclude_files: bool = False) -> dict[str, Any]:
    """Set scalar fields; return the m2m/tag/file values to set once the case has a pk."""
    later = {}
    for name, value in fields.items():
        if name in M2M_FIELDS or name == "tags" or (exclude_files and name in FILE_FIELDS):
            later[name] = value
        elif name in FILE_FIELDS:
            if value is None:
                continue  # no new file: keep the current one
            current = getattr(case, name)
            if current.name and (value is False or getattr(value, "name", None) != current.name):
                _delete_file_after_commit(current.storage, current.name)
            setattr(case, name, value or "")  # False is ClearableFileInput's "clear"
        else:
            setattr(case, name, value)
    return later


def _delete_file_after_commit(storage, name: str) -> None:
    """A replaced upload is removed only once the change is committed: a rollback keeps it."""
    transaction.on_commit(lambda: storage.delete(name))


def _apply_later(case: Case, later: dict) -> None:
    for name, value in later.items():
        if name == "tags":
            case.tags.set(list(value or []), clear=False)
        elif name in FILE_FIELDS:
            if value:
                setattr(case, name, value)
                case.save(update_fields=[name, "updated_at"])
        else:
            getattr(case, name).set(value or [])


def _require_edit(case: Case, user) -> None:
    if not case.can_edit(user):
        raise PermissionDenied(_("You may not edit this case."))


def _require_moderator(user) -> None:
    if not is_moderator(user):
        raise PermissionDenied(_("Only moderators may do this."))


def _transition(case: Case, user, to: str, action: str) -> Case:
    if not case.can_transition(user, to):
        if case.status == to:
            return case
        if not is_moderator(user) and case.author_id != getattr(user, "pk", None):
            raise PermissionDenied(_("You may not change the status of this case."))
        raise ValidationError(
            _("A case that is %(status)s cannot be moved to %(to)s."),
            params={"status": case.get_status_display(), "to": Status(to).label},
        )
    previous = {
        "status": case.status,
        "featured": case.featured,
        "published_at": revision_value(case.published_at),
        "last_reviewed_at": revision_value(case.last_reviewed_at),
    }
    case.apply_transition(to)
    case.save()
    changed = {k: v for k, v in previous.items() if v != _current(case, k)}
    _log(case, user, action, changed)
    search.index(case)  # in the index only while published
    return case


# --- cases ---------------------------------------------------------------------------------------


@transaction.atomic
def case_create(*, author, submit: bool = False, **fields: Any) -> Case:
    """Create a case as a draft by `author` (submitted for review when `submit`).

    Validates every field and constraint before writing; uploads are stored under
    MEDIA_ROOT/cases/<id>/ once the case has its id.
    """
    if not getattr(author, "is_authenticated", False):
        raise PermissionDenied(_("Log in to write a case."))
    _check_fields(fields)
    case = Case(author=author, status=Status.DRAFT)
    later = _apply(case, fields, exclude_files=True)
    _validate(case)
    _save_with_unique_slug(case)
    _apply_later(case, later)
    _log(case, author, "create")
    if submit:
        _transition(case, author, Status.SUBMITTED, "submit")
    return case


@transaction.atomic
def case_update(*, case: Case, editor, submit: bool = False, **fields: Any) -> Case:
    """Change a case's fields; the author (unless archived) or a moderator may.

    Only fields that really changed are written to the revision log, with their old values.
    The slug stays stable when the title changes, so links keep working.
    """
    _require_edit(case, editor)
    _check_fields(fields)
    case = Case.objects.select_for_update().get(pk=case.pk)
    previous = {}
    for name, value in fields.items():
        if name in FILE_FIELDS and value is None:
            continue
        before = _current(case, name)
        if before != _incoming(name, value):
            previous[name] = before
    later = _apply(case, fields)
    _validate(case)
    case.save()
    _apply_later(case, later)
    if previous:
        _log(case, editor, "edit", previous)
    if submit and case.status == Status.DRAFT:
        _transition(case, editor, Status.SUBMITTED, "submit")
    search.index(case)
    return case


@transaction.atomic
def case_submit(*, case: Case, user) -> Case:
    """Send a draft to the moderators' review queue (the author or a moderator)."""
    return _transition(case, user, Status.SUBMITTED, "submit")


@transaction.atomic
def case_withdraw(*, case: Case, user) -> Case:
    """Take a submitted case back to draft (the author or a moderator)."""
    return _transition(case, user, Status.DRAFT, "withdraw")


@transaction.atomic
def case_publish(*, case: Case, user, notify: bool = True) -> Case:
    """Publish a case (moderators) and tell its author: in their inbox, and by e-mail after the
    commit as their notification preference says. `notify=False` skips that (demo data)."""
    _require_moderator(user)
    case = _transition(case, user, Status.PUBLISHED, "publish")
    if notify:
        notifications.notify(
            recipient=case.author,
            kind=CaseNotification.PUBLISHED,
            title=case.title,
            url=case.get_absolute_url(),
            actor=user,
        )
    return case


@transaction.atomic
def case_archive(*, case: Case, user) -> Case:
    """Archive a published case (moderators): it leaves the lists but keeps its content."""
    _require_moderator(user)
    return _transition(case, user, Status.ARCHIVED, "archive")


@transaction.atomic
def case_unpublish(*, case: Case, user) -> Case:
    """Take a published case back to draft so its author can rework it (moderators)."""
    _require_moderator(user)
    return _transition(case, user, Status.DRAFT, "unpublish")


@transaction.atomic
def case_set_featured(*, case: Case, user, featured: bool) -> Case:
    """Feature or unfeature a case (moderators); only published cases can be featured."""
    _require_moderator(user)
    if featured and case.status != Status.PUBLISHED:
        raise ValidationError(_("Only published cases can be featured."))
    if case.featured != featured:
        previous = {"featured": case.featured}
        case.featured = featured
        case.save(update_fields=["featured", "updated_at"])
        _log(case, user, "feature" if featured else "unfeature", previous)
    return case


@transaction.atomic
def case_set_review(
    *, case: Case, user, review_due: date | None, last_reviewed_at: date | None
) -> Case:
    """Set when a case was last checked and when it should be checked again (moderators)."""
    _require_moderator(user)
    today = timezone.localdate()
    if last_reviewed_at and last_reviewed_at > today:
        raise ValidationError({"last_reviewed_at": _("The last review cannot be in the future.")})
    previous = {}
    for name, value in (("review_due", review_due), ("last_reviewed_at", last_reviewed_at)):
        if getattr(case, name) != value:
            previous[name] = revision_value(getattr(case, name))
            setattr(case, name, value)
    if previous:
        case.save(update_fields=[*previous, "updated_at"])
        _log(case, user, "review", previous)
    return case


# --- links and attachments ------------------------------------------------------------------------


@transaction.atomic
def link_add(*, case: Case, user, title: str, url: str) -> CaseLink:
    """Add a link to a case (whoever may edit it)."""
    _require_edit(case, user)
    link = CaseLink(case=case, title=title, url=url)
    link.full_clean()
    link.save()
    _log(case, user, "link_add", {"links": None})
    return link


@transaction.atomic
def link_delete(*, link: CaseLink, user) -> None:
    _require_edit(link.case, user)
    _log(link.case, user, "link_delete", {"links": {"title": link.title, "url": link.url}})
    link.delete()


@transaction.atomic
def attachment_add(*, case: Case, user, file: UploadedFile, title: str) -> CaseAttachment:
    """Attach a file (whoever may edit the case).

    The file is checked by content (PDF, office document, PNG/JPEG/WebP), its name must agree
    with its content, and it may be at most 10 MB. It is stored under a random name.
    """
    _require_edit(case, user)
    validate_attachment_file(file)
    kind = detect_attachment_type(file)
    attachment = CaseAttachment(
        case=case,
        file=file,
        title=title,
        original_name=(file.name or "")[-255:],
        uploaded_by=user,
        size=file.size or 0,
        content_type=kind.mime if kind else "application/octet-stream",
    )
    attachment.full_clean()
    attachment.save()
    _log(case, user, "attachment_add", {"attachments": None})
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: CaseAttachment, user) -> None:
    """Remove an attachment and, after the commit, its file."""
    case = attachment.case
    _require_edit(case, user)
    _log(case, user, "attachment_delete", {"attachments": attachment.original_name})
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if name:
        _delete_file_after_commit(storage, name)
