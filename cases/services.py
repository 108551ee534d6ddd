"""Every write to a case goes through here: the site, the admin and seed_demo call these.

Each service checks permission (PermissionDenied, which Django turns into a 403), validates
(ValidationError), saves inside a transaction and schedules e-mail after the commit.
Every change is recorded as one revision (who, when, which fields, and their old values).
"""

import logging
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts import notifications
from cases.models import Case, CaseAttachment, CaseLink, Status
from cases.registration import CaseNotification
from komvidere import attachments, follows, images, moderation, publishing, search
from komvidere.models import is_moderator

logger = logging.getLogger(__name__)

FIELDS = publishing.Fields(
    noun="case",
    many_to_many=("partners", "sectors", "themes", "related_cases"),
    files=("cover_image",),
    editable=frozenset(
        {
            "title",
            "summary",
            "organisation",
            "origin",
            "work_status",
            "year_start",
            "year_end",
            "plan_stage",
            "plan_action",
            "challenge",
            "objectives",
            "solution",
            "citizen_involvement",
            "results",
            "costs_and_funding",
            "lessons_learned",
            "transferability",
            "success_factors",
            "limiting_factors",
            "implementation_time",
            "co2e_tonnes_per_year",
            "co2e_method",
            "co2e_baseline_year",
            "location_address",
            "latitude",
            "longitude",
            "budget_dkk",
            "contact_name",
            "contact_email",
            "cover_image",
            "cover_credit",
            "tags",
            "partners",
            "sectors",
            "themes",
            "related_cases",
        }
    ),
)
# Paths under /cases/ that a slug must not shadow.
RESERVED_SLUGS = {"new", "review", "export-csv"}


# --- helpers -----------------------------------------------------------------------------------


def _validate(case: Case) -> None:
    """Model validation (field validators and constraints) before anything is written.

    A draft may lack its summary: an author saves what they have so far, and the summary is
    asked for when the case is submitted or published (`_require_complete`)."""
    exclude = ["slug", "author"]
    if case.status == Status.DRAFT and not case.summary.strip():
        exclude.append("summary")
    case.full_clean(exclude=exclude, validate_unique=False)
    if case.plan_action_id and case.plan_action.organisation_id != case.organisation_id:
        raise ValidationError(
            {"plan_action": _("The plan action must be one of the lead organisation's.")}
        )


def _require_complete(case: Case) -> None:
    if not case.summary.strip():
        raise ValidationError(
            {"summary": _("Write a summary before the case is sent for review or published.")}
        )


def _cover_stored(case: Case, previous_name: str) -> None:
    """After a save: a new cover gets its WebP renditions now; a replaced or cleared one loses
    its renditions once the transaction commits, as the original file does."""
    name = case.cover_image.name or ""
    if name == previous_name:
        return
    storage = case.cover_image.storage
    if previous_name:
        images.delete_renditions_after_commit(storage, previous_name)
    if name:
        images.make_renditions(storage, name)


def case_cover_renditions(*, case: Case, replace: bool = False) -> list[int]:
    """Make the WebP renditions of the case's stored cover that are missing (all of them, anew,
    when `replace`) and return the widths stored. It changes no row and records no revision:
    it is upkeep of files derived from the cover (the cover_renditions command, seed_demo)."""
    if not case.cover_image:
        return []
    return images.make_renditions(
        case.cover_image.storage, case.cover_image.name, missing_only=not replace
    )


def _require_edit(case: Case, user) -> None:
    if not case.can_edit(user):
        raise PermissionDenied(_("You may not edit this case."))


def _require_moderator(user) -> None:
    if not is_moderator(user):
        raise PermissionDenied(_("Only moderators may do this."))


def _transition(case: Case, user, to: str, action: str, comment: str = "") -> Case:
    if not case.can_transition(user, to):
        if case.status == to:
            return case
        if not is_moderator(user) and case.author_id != getattr(user, "pk", None):
            raise PermissionDenied(_("You may not change the status of this case."))
        raise ValidationError(
            _("A case that is %(status)s cannot be moved to %(to)s."),
            params={"status": case.get_status_display(), "to": Status(to).label},
        )
    if to in (Status.SUBMITTED, Status.PUBLISHED):
        _require_complete(case)
    watched = ("status", "featured", "published_at", "last_reviewed_at")
    before = {name: FIELDS.current(case, name) for name in watched}
    case.apply_transition(to)
    case.save()
    changed = {k: v for k, v in before.items() if v != FIELDS.current(case, k)}
    publishing.record(case, editor=user, action=action, previous=changed, comment=comment)
    search.index(case)  # in the index only while published
    if to == Status.SUBMITTED:
        _tell_moderators(case, user, CaseNotification.SUBMITTED, case.get_absolute_url())
    return case


def _region(case: Case) -> str:
    """The region whose coordinators review the case: the author's, else the lead's."""
    for organisation in (case.author.organisation, case.organisation):
        if organisation is not None and organisation.region:
            return organisation.region
    return ""


def _tell_moderators(case: Case, actor, kind: str, url: str) -> None:
    """Tell the moderators of the author's region (and those following every region) what
    `actor` did, named in the notification."""
    notifications.notify_many(
        recipients=moderation.review_recipients(region=_region(case), exclude=actor),
        kind=kind,
        title=case.title,
        url=url,
        actor=actor,
    )


# --- cases ---------------------------------------------------------------------------------------


@transaction.atomic
def case_create(*, author, submit: bool = False, **fields: Any) -> Case:
    """Create a case as a draft by `author` (submitted for review when `submit`).

    Validates every field and constraint before writing; uploads are stored under
    MEDIA_ROOT/cases/<id>/ once the case has its id.
    """
    if not getattr(author, "is_authenticated", False):
        raise PermissionDenied(_("Log in to write a case."))
    FIELDS.check(fields)
    case = Case(author=author, status=Status.DRAFT)
    later = FIELDS.apply(case, fields, files_later=True)
    _validate(case)
    publishing.save_with_unique_slug(case, fallback="case", reserved=RESERVED_SLUGS)
    FIELDS.apply_later(case, later)
    _cover_stored(case, "")
    publishing.record(case, editor=author, action="create")
    if submit:
        _transition(case, author, Status.SUBMITTED, "submit")
    return case


@transaction.atomic
def case_update(
    *, case: Case, editor, submit: bool = False, action: str = "edit", **fields: Any
) -> Case:
    """Change a case's fields; the author (unless archived) or a moderator may.

    Only fields that really changed are written to the revision log, with their old values.
    The slug stays stable when the title changes, so links keep working.
    """
    _require_edit(case, editor)
    FIELDS.check(fields)
    case = Case.objects.select_for_update().get(pk=case.pk)
    cover_before = case.cover_image.name or ""
    previous = publishing.tracked_update(case, FIELDS, fields, validate=_validate)
    _cover_stored(case, cover_before)
    if previous:
        revision = publishing.record(case, editor=editor, action=action, previous=previous)
        _published_edit(case, editor, revision)
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


def _published_edit(case: Case, editor, revision) -> None:
    """A published case's edits go live at once: the moderators are told, with a link to
    what changed, and so are those who follow the case. An edit to a case waiting for review
    is told to the moderators too: what they are reviewing changed."""
    if case.status == Status.SUBMITTED:
        _tell_moderators(
            case, editor, CaseNotification.EDITED_IN_REVIEW, case_changes_url(revision)
        )
        return
    if case.status != Status.PUBLISHED:
        return
    _tell_moderators(case, editor, CaseNotification.EDITED, case_changes_url(revision))
    notifications.notify_many(
        recipients=follows.followers_of(case),
        kind=follows.FollowNotification.UPDATED,
        title=case.title,
        url=case.get_absolute_url(),
        actor=editor,
    )


def case_changes_url(revision) -> str:
    """Where moderators see what one revision of a case changed."""
    return reverse("cases:changes", kwargs={"slug": revision.slug, "revision": revision.pk})


SEND_BACK_COMMENT_MAX = 2000


@transaction.atomic
def case_send_back(*, case: Case, user, comment: str) -> Case:
    """Send a submitted case back to its author as a draft, with a comment (moderators).

    The comment is kept in the case's history and sent to the author in the notification."""
    _require_moderator(user)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Write what the author should change.")})
    if len(comment) > SEND_BACK_COMMENT_MAX:
        raise ValidationError(
            {
                "comment": _("Keep the comment to %(max)s characters.")
                % {"max": SEND_BACK_COMMENT_MAX}
            }
        )
    if "\x00" in comment:
        raise ValidationError(
            {"comment": _("Remove the invisible control characters from this text.")}
        )
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != Status.SUBMITTED:
        raise ValidationError(_("Only a case that awaits review can be sent back."))
    case = _transition(case, user, Status.DRAFT, "send_back", comment=comment)
    notifications.notify(
        recipient=case.author,
        kind=CaseNotification.SENT_BACK,
        title=Truncator(f"{case.title}: “{comment}”").chars(300),
        url=case.get_absolute_url(),
        actor=user,
    )
    return case


@transaction.atomic
def case_publish(*, case: Case, user, notify: bool = True) -> Case:
    """Publish a case (moderators) and tell its author: in their inbox, and by e-mail after the
    commit as their notification preference says. `notify=False` skips that (demo data)."""
    _require_moderator(user)
    first_time = case.published_at is None
    case = _transition(case, user, Status.PUBLISHED, "publish")
    if notify:
        notifications.notify(
            recipient=case.author,
            kind=CaseNotification.PUBLISHED,
            title=case.title,
            url=case.get_absolute_url(),
            actor=user,
        )
    if notify and first_time:
        # Those following one of its tags or sectors hear of it once, when it first appears.
        notifications.notify_many(
            recipients=[u for u in follows.followers_of_topics(case) if u.pk != case.author_id],
            kind=follows.FollowNotification.PUBLISHED,
            title=case.title,
            url=case.get_absolute_url(),
            actor=case.author,
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
        publishing.record(
            case, editor=user, action="feature" if featured else "unfeature", previous=previous
        )
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
            previous[name] = publishing.revision_value(getattr(case, name))
            setattr(case, name, value)
    if previous:
        case.save(update_fields=[*previous, "updated_at"])
        publishing.record(case, editor=user, action="review", previous=previous)
    return case


# --- links and attachments ------------------------------------------------------------------------


@transaction.atomic
def link_add(*, case: Case, user, title: str, url: str) -> CaseLink:
    """Add a link to a case (whoever may edit it)."""
    _require_edit(case, user)
    link = CaseLink(case=case, title=title, url=url)
    link.full_clean()
    link.save()
    revision = publishing.record(case, editor=user, action="link_add", previous={"links": None})
    _published_edit(case, user, revision)
    return link


@transaction.atomic
def link_delete(*, link: CaseLink, user) -> None:
    _require_edit(link.case, user)
    revision = publishing.record(
        link.case,
        editor=user,
        action="link_delete",
        previous={"links": {"title": link.title, "url": link.url}},
    )
    _published_edit(link.case, user, revision)
    link.delete()


@transaction.atomic
def attachment_add(*, case: Case, user, file: UploadedFile, title: str) -> CaseAttachment:
    """Attach a file (whoever may edit the case).

    The file is checked by content (PDF, office document, PNG/JPEG/WebP), its name must agree
    with its content, and it may be at most 10 MB. It is stored under a random name.
    """
    _require_edit(case, user)
    attachment = attachments.add(
        model=CaseAttachment, owner={"case": case}, user=user, file=file, title=title
    )
    revision = publishing.record(
        case, editor=user, action="attachment_add", previous={"attachments": None}
    )
    _published_edit(case, user, revision)
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: CaseAttachment, user) -> None:
    """Remove an attachment and, after the commit, its file."""
    case = attachment.case
    _require_edit(case, user)
    revision = publishing.record(
        case,
        editor=user,
        action="attachment_delete",
        previous={"attachments": attachment.original_name},
    )
    _published_edit(case, user, revision)
    attachments.delete(attachment=attachment)


@transaction.atomic
def link_update(*, link: CaseLink, user, title: str, url: str) -> CaseLink:
    """Change a link's text or address (whoever may edit the case); the old ones are logged."""
    _require_edit(link.case, user)
    previous = {"links": {"title": link.title, "url": link.url}}
    if (title, url) == (link.title, link.url):
        return link
    link.title, link.url = title, url
    link.full_clean()
    link.save()
    revision = publishing.record(link.case, editor=user, action="link_edit", previous=previous)
    _published_edit(link.case, user, revision)
    return link


@transaction.atomic
def attachment_update(
    *, attachment: CaseAttachment, user, title: str, file: UploadedFile | None = None
) -> CaseAttachment:
    """Retitle an attachment or replace its file (whoever may edit the case). A new file is
    checked and described as on adding; the old file is deleted after the commit."""
    case = attachment.case
    _require_edit(case, user)
    previous = attachments.update(attachment=attachment, title=title, file=file)
    if previous:
        revision = publishing.record(
            case, editor=user, action="attachment_edit", previous={"attachments": previous}
        )
        _published_edit(case, user, revision)
    return attachment


# --- admin-only writes ----------------------------------------------------------------------------


@transaction.atomic
def case_set_related_articles(*, case: Case, user, related_articles) -> Case:
    """Point a case to the knowledge articles that go with it (moderators)."""
    _require_moderator(user)
    before = sorted(case.related_articles.values_list("pk", flat=True))
    after = sorted(article.pk for article in related_articles)
    if before != after:
        case.related_articles.set(related_articles)
        publishing.record(
            case, editor=user, action="related", previous={"related_articles": before}
        )
    return case


@transaction.atomic
def case_delete(*, case: Case, user) -> None:
    """Delete a case for good (moderators): it leaves search at once, with it go its links,
    attachments and tags, and once the transaction commits its stored files (attachments,
    cover image and the cover's renditions). The revision log keeps a last record of who
    deleted it."""
    _require_moderator(user)
    case = Case.objects.select_for_update().get(pk=case.pk)
    files = [case.cover_image, *(a.file for a in case.attachments.all())]
    search.unindex(case)
    publishing.delete(case, editor=user)
    attachments.delete_files_after_commit(files)
    if case.cover_image:
        images.delete_renditions_after_commit(case.cover_image.storage, case.cover_image.name)
