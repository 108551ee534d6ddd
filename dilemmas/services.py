"""Every write to dilemmas goes through here: views, admin actions and demo code alike.

Each function checks permission (PermissionDenied), validates (ValidationError), saves inside a
transaction and leaves e-mail to accounts.notifications, which sends after commit. Counters
(`reply_count`, `last_activity_at`) are updated with F() expressions, so concurrent replies
never overwrite each other's counts.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Notification, User
from accounts.notifications import notify_many
from dilemmas.models import (
    Dilemma,
    DilemmaStatus,
    Flag,
    FlagStatus,
    Follow,
    HelpfulMark,
    Reply,
)
from dilemmas.registration import DilemmaNotification
from komvidere import moderation, publishing, ratelimit, search, versions
from komvidere.models import Status, is_moderator


class RateLimited(Exception):
    """The user has posted too much in the current window."""

    message = _("You have posted a lot in a short time. Wait a few minutes and try again.")


def _check_rate(user: User) -> None:
    if is_moderator(user):
        return
    if not ratelimit.hit(f"dilemmas:post:{user.pk}", settings.DILEMMAS_POST_RATE):
        raise RateLimited(RateLimited.message)


def _require_member(user: User) -> None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied


def _require_visible(user: User, dilemma: Dilemma) -> None:
    if dilemma.hidden and not is_moderator(user):
        raise PermissionDenied


def _touch(dilemma: Dilemma, *, replies: int = 0) -> None:
    now = timezone.now()
    updates = {"last_activity_at": now}
    if replies:
        updates["reply_count"] = F("reply_count") + replies
    Dilemma.objects.filter(pk=dilemma.pk).update(**updates)
    versions.bump(versions.DILEMMAS)  # update() sends no signal: the lists' counts change
    dilemma.last_activity_at = now
    if replies:
        dilemma.refresh_from_db(fields=["reply_count"])


def _nonblank(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("This field is required.")})
    if "\x00" in value:
        raise ValidationError({field: _("Remove the invisible control characters from this text.")})
    return value


def _actor_for_notifications(dilemma: Dilemma, user: User) -> User | None:
    """The anonymous asker must stay anonymous, also in the notifications they cause."""
    if dilemma.anonymous and user.pk == dilemma.author_id:
        return None
    return user


def display_name_in_thread(dilemma: Dilemma, user: User) -> str:
    """How the thread names who wrote something, in the active language: the anonymous asker
    as "a colleague in <region>", everyone else by name and organisation."""
    if _actor_for_notifications(dilemma, user) is None:
        region = dilemma.region_label
        if region:
            return gettext("a colleague in %(region)s") % {"region": region}
        return gettext("a colleague")
    return moderation.who(user)


def _notify_named(
    *, recipients: Iterable[User], kind: str, dilemma: Dilemma, user: User, url: str
) -> None:
    """Notify `recipients` of what `user` did in `dilemma`. The notification names the actor
    (accounts shows `actor` with it); an anonymous asker is recorded as no actor at all."""
    notify_many(
        recipients=recipients,
        kind=kind,
        title=dilemma.title,
        url=url,
        actor=_actor_for_notifications(dilemma, user),
    )


def _reindex(dilemma: Dilemma, *, replies: bool = False) -> None:
    """Keep search in step: the thread, and its replies when what they show depends on it."""
    search.index(dilemma)
    if replies:
        search.index_many(dilemma.replies.select_related("dilemma"))


# --- Dilemmas ------------------------------------------------------------------------------------


@transaction.atomic
def dilemma_create(
    *,
    author: User,
    kind: str,
    title: str,
    body: str,
    sectors: Iterable = (),
    themes: Iterable = (),
    plan_stage=None,
    tags: Iterable[str] = (),
    anonymous: bool = False,
    check_rate: bool = True,
) -> Dilemma:
    """Post a dilemma; the asker follows it. Raises RateLimited past DILEMMAS_POST_RATE."""
    _require_member(author)
    title = _nonblank(title, "title")
    body = _nonblank(body, "body")
    if check_rate:
        _check_rate(author)
    dilemma = Dilemma(
        kind=kind,
        title=title,
        body=body,
        author=author,
        organisation=author.organisation,
        anonymous=anonymous,
        plan_stage=plan_stage,
    )
    dilemma.full_clean(exclude=["accepted_reply", "duplicate_of"])
    dilemma.save()
    dilemma.sectors.set(sectors)
    dilemma.themes.set(themes)
    if tags:
        dilemma.tags.set(list(tags))
    Follow.objects.get_or_create(user=author, dilemma=dilemma)
    _reindex(dilemma)
    return dilemma


@transaction.atomic
def dilemma_edit(
    *,
    user: User,
    dilemma: Dilemma,
    title: str,
    body: str,
    kind: str | None = None,
    sectors: Iterable | None = None,
    themes: Iterable | None = None,
    plan_stage=None,
    tags: Iterable[str] | None = None,
    anonymous: bool | None = None,
) -> Dilemma:
    """Change the question; the previous title and text are kept as a revision."""
    if not dilemma.can_edit(user):
        raise PermissionDenied
    title = _nonblank(title, "title")
    body = _nonblank(body, "body")
    previous = {
        name: getattr(dilemma, name)
        for name, value in (("title", title), ("body", body))
        if getattr(dilemma, name) != value
    }
    if previous:
        dilemma.edited_at = timezone.now()
    dilemma.title, dilemma.body = title, body
    if kind:
        dilemma.kind = kind
    if anonymous is not None and user.pk == dilemma.author_id:
        dilemma.anonymous = anonymous
    dilemma.plan_stage = plan_stage
    dilemma.full_clean(exclude=["accepted_reply", "duplicate_of"])
    dilemma.save()
    if previous:
        publishing.record(dilemma, editor=user, action="edit", previous=previous)
    if sectors is not None:
        dilemma.sectors.set(sectors)
    if themes is not None:
        dilemma.themes.set(themes)
    if tags is not None:
        dilemma.tags.set(list(tags))
    _reindex(dilemma, replies=True)
    return dilemma


@transaction.atomic
def dilemma_delete(*, user: User, dilemma: Dilemma) -> None:
    """Soft delete: the question text is replaced by a notice; the replies stay readable."""
    if not dilemma.can_edit(user):
        raise PermissionDenied
    if dilemma.deleted_at is None:
        dilemma.deleted_at = timezone.now()
        dilemma.save(update_fields=["deleted_at"])
        _reindex(dilemma, replies=True)


@transaction.atomic
def dilemma_accept_reply(*, user: User, dilemma: Dilemma, reply: Reply) -> Dilemma:
    """Mark `reply` as the answer. Only the asker or a moderator; the reply must be a visible
    reply in this same thread. The thread becomes answered (a concluded one stays concluded)."""
    if not dilemma.can_settle(user):
        raise PermissionDenied
    if reply.dilemma_id != dilemma.pk:
        raise ValidationError(_("The accepted reply must be a reply in this thread."))
    if reply.hidden or reply.is_deleted:
        raise ValidationError(_("A hidden or deleted reply cannot be accepted."))
    if dilemma.accepted_reply_id == reply.pk:
        return dilemma
    dilemma.accepted_reply = reply
    if dilemma.status == DilemmaStatus.OPEN:
        dilemma.status = DilemmaStatus.ANSWERED
    dilemma.full_clean(exclude=["duplicate_of"])
    dilemma.save(update_fields=["accepted_reply", "status"])
    _touch(dilemma)
    _reindex(dilemma, replies=True)
    if reply.author_id != user.pk:  # nobody is told about their own action
        _notify_named(
            recipients=[reply.author],
            kind=DilemmaNotification.REPLY_ACCEPTED,
            dilemma=dilemma,
            user=user,
            url=reply.get_absolute_url(),
        )
    return dilemma


@transaction.atomic
def dilemma_unaccept_reply(*, user: User, dilemma: Dilemma) -> Dilemma:
    if not dilemma.can_settle(user):
        raise PermissionDenied
    dilemma.accepted_reply = None
    if dilemma.status == DilemmaStatus.ANSWERED:
        dilemma.status = DilemmaStatus.OPEN
    dilemma.save(update_fields=["accepted_reply", "status"])
    _reindex(dilemma, replies=True)
    return dilemma


@transaction.atomic
def dilemma_conclude(*, user: User, dilemma: Dilemma, conclusion: str) -> Dilemma:
    """Write the thread's conclusion (what we learned); only the asker or a moderator."""
    if not dilemma.can_settle(user):
        raise PermissionDenied
    conclusion = _nonblank(conclusion, "conclusion")
    previous = {"conclusion": dilemma.conclusion} if dilemma.conclusion != conclusion else {}
    dilemma.conclusion = conclusion
    dilemma.status = DilemmaStatus.CONCLUDED
    dilemma.concluded_by = user
    dilemma.concluded_at = timezone.now()
    dilemma.full_clean(exclude=["accepted_reply", "duplicate_of"])
    dilemma.save(update_fields=["conclusion", "status", "concluded_by", "concluded_at"])
    if previous.get("conclusion"):  # a first conclusion is no change of text
        publishing.record(dilemma, editor=user, action="conclude", previous=previous)
    _touch(dilemma)
    _reindex(dilemma)
    if dilemma.author_id != user.pk:
        _notify_named(
            recipients=[dilemma.author],
            kind=DilemmaNotification.DILEMMA_CONCLUDED,
            dilemma=dilemma,
            user=user,
            url=dilemma.get_absolute_url(),
        )
    return dilemma


def _require_moderator(user: User) -> None:
    if not is_moderator(user):
        raise PermissionDenied


@transaction.atomic
def dilemma_set_locked(*, user: User, dilemma: Dilemma, locked: bool) -> Dilemma:
    _require_moderator(user)
    dilemma.locked = locked
    dilemma.save(update_fields=["locked"])
    return dilemma


@transaction.atomic
def dilemma_set_hidden(*, user: User, dilemma: Dilemma, hidden: bool) -> Dilemma:
    """Hide or show a whole thread (moderators). Search follows at once: a hidden thread and
    its replies are not found, a shown one is again. Hiding closes its open flags."""
    _require_moderator(user)
    if dilemma.hidden == hidden:
        return dilemma
    dilemma.hidden = hidden
    dilemma.save(update_fields=["hidden"])
    publishing.record(
        dilemma, editor=user, action="hide" if hidden else "unhide", previous={"hidden": not hidden}
    )
    _reindex(dilemma, replies=True)
    if hidden:
        _close_flags(Flag.objects.filter(dilemma=dilemma), user, FlagStatus.HIDDEN)
    return dilemma


@transaction.atomic
def dilemma_mark_duplicate(*, user: User, dilemma: Dilemma, original: Dilemma | None) -> Dilemma:
    """Point a thread to the one that already covers it and close it (None reopens it)."""
    _require_moderator(user)
    if original is not None:
        if original.pk == dilemma.pk:
            raise ValidationError({"duplicate_of": _("A dilemma cannot duplicate itself.")})
        if original.duplicate_of_id == dilemma.pk:
            raise ValidationError(
                {"duplicate_of": _("That dilemma is already marked as a duplicate of this one.")}
            )
        dilemma.duplicate_of = original
        dilemma.status = DilemmaStatus.CLOSED
    else:
        dilemma.duplicate_of = None
        if dilemma.status == DilemmaStatus.CLOSED:
            dilemma.status = (
                DilemmaStatus.CONCLUDED
                if dilemma.conclusion
                else DilemmaStatus.ANSWERED
                if dilemma.accepted_reply_id
                else DilemmaStatus.OPEN
            )
    dilemma.save(update_fields=["duplicate_of", "status"])
    return dilemma


# --- Replies -------------------------------------------------------------------------------------


@transaction.atomic
def reply_create(*, author: User, dilemma: Dilemma, body: str, check_rate: bool = True) -> Reply:
    """Reply to a thread that is visible, not locked, closed or deleted; followers are told,
    and the replier starts following. Raises RateLimited past DILEMMAS_POST_RATE."""
    _require_member(author)
    # Lock the row so a moderator locking the thread at the same moment wins cleanly.
    dilemma = Dilemma.objects.select_for_update().get(pk=dilemma.pk)
    _require_visible(author, dilemma)
    if not dilemma.can_reply(author):
        raise PermissionDenied
    body = _nonblank(body, "body")
    if check_rate:
        _check_rate(author)
    reply = Reply(dilemma=dilemma, author=author, body=body)
    reply.full_clean()
    reply.save()
    _touch(dilemma, replies=1)
    search.index(reply)
    followers = [
        f.user for f in Follow.objects.filter(dilemma=dilemma).select_related("user").order_by("pk")
    ]
    _notify_named(
        recipients=[u for u in followers if u.pk != author.pk],
        kind=DilemmaNotification.REPLY_ON_FOLLOWED,
        dilemma=dilemma,
        user=author,
        url=reply.get_absolute_url(),
    )
    Follow.objects.get_or_create(user=author, dilemma=dilemma)
    return reply


@transaction.atomic
def reply_edit(*, user: User, reply: Reply, body: str) -> Reply:
    """Change a reply; the previous text is kept as a revision."""
    if not reply.can_edit(user):
        raise PermissionDenied
    body = _nonblank(body, "body")
    if body != reply.body:
        previous = {"body": reply.body}
        reply.body = body
        reply.edited_at = timezone.now()
        reply.full_clean()
        reply.save(update_fields=["body", "edited_at"])
        publishing.record(reply, editor=user, action="edit", previous=previous)
        search.index(reply)
    return reply


def _reply_visibility_changed(
    reply: Reply, was_counted: bool, *, keep_acceptance: bool = False
) -> None:
    """Keep the thread's counter and answer in step with a reply that (dis)appears.

    An accepted answer that disappears no longer answers the thread. A deleted one is gone
    for good; a hidden one stays the accepted reply (`keep_acceptance`), so that showing it
    again makes it the thread's answer again."""
    versions.bump(versions.DILEMMAS)  # the counter and status change through update()
    if was_counted and not reply.counts:
        Dilemma.objects.filter(pk=reply.dilemma_id).update(reply_count=F("reply_count") - 1)
        dilemma = Dilemma.objects.select_for_update().get(pk=reply.dilemma_id)
        if dilemma.accepted_reply_id == reply.pk:
            if not keep_acceptance:
                dilemma.accepted_reply = None
            if dilemma.status == DilemmaStatus.ANSWERED:
                dilemma.status = DilemmaStatus.OPEN
            dilemma.save(update_fields=["accepted_reply", "status"])
    elif not was_counted and reply.counts:
        Dilemma.objects.filter(pk=reply.dilemma_id).update(reply_count=F("reply_count") + 1)
        dilemma = Dilemma.objects.select_for_update().get(pk=reply.dilemma_id)
        if dilemma.accepted_reply_id == reply.pk and dilemma.status == DilemmaStatus.OPEN:
            dilemma.status = DilemmaStatus.ANSWERED
            dilemma.save(update_fields=["status"])
    if reply.is_deleted and not keep_acceptance:
        # Deleted while hidden: it was not counted, but it can never be the answer again.
        Dilemma.objects.filter(pk=reply.dilemma_id, accepted_reply=reply).update(
            accepted_reply=None
        )


@transaction.atomic
def reply_delete(*, user: User, reply: Reply) -> None:
    """Soft delete: the thread shows "This reply was deleted" in its place."""
    if not reply.can_edit(user):
        raise PermissionDenied
    if reply.deleted_at is not None:
        return
    was_counted = reply.counts
    reply.deleted_at = timezone.now()
    reply.save(update_fields=["deleted_at"])
    _reply_visibility_changed(reply, was_counted)
    search.index(reply)


@transaction.atomic
def reply_set_hidden(*, user: User, reply: Reply, hidden: bool) -> Reply:
    """Hide a reply from members (moderators still see it) or show it again (moderators).

    The thread's reply count and search follow at once. A hidden accepted answer no longer
    answers the thread (it is open again); shown again, it is the accepted answer again.
    Hiding closes the reply's open flags."""
    _require_moderator(user)
    if reply.hidden == hidden:
        return reply
    was_counted = reply.counts
    reply.hidden = hidden
    reply.save(update_fields=["hidden"])
    publishing.record(
        reply, editor=user, action="hide" if hidden else "unhide", previous={"hidden": not hidden}
    )
    _reply_visibility_changed(reply, was_counted, keep_acceptance=True)
    search.index(reply)
    if hidden:
        _close_flags(Flag.objects.filter(reply=reply), user, FlagStatus.HIDDEN)
    return reply


@transaction.atomic
def reply_toggle_helpful(*, user: User, reply: Reply) -> bool:
    """Mark or unmark a reply as helpful; return whether it is now marked. Not your own."""
    _require_member(user)
    _require_visible(user, reply.dilemma)
    if reply.author_id == user.pk:
        raise ValidationError(_("You cannot mark your own reply as helpful."))
    if reply.hidden or reply.is_deleted:
        raise ValidationError(_("This reply cannot be marked."))
    deleted, _details = HelpfulMark.objects.filter(reply=reply, user=user).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            HelpfulMark.objects.create(reply=reply, user=user)
    except IntegrityError:  # a double click raced us: it is marked
        return True
    _notify_named(
        recipients=[reply.author],
        kind=DilemmaNotification.REPLY_HELPFUL,
        dilemma=reply.dilemma,
        user=user,
        url=reply.get_absolute_url(),
    )
    return True


# --- Follows -------------------------------------------------------------------------------------


def dilemma_follow(*, user: User, dilemma: Dilemma) -> None:
    _require_member(user)
    _require_visible(user, dilemma)
    Follow.objects.get_or_create(user=user, dilemma=dilemma)


def dilemma_mark_seen(*, user: User, dilemma: Dilemma) -> bool:
    """The follower has read the thread: only later activity counts as new on their home page.
    Return whether `user` follows it (one query for both)."""
    following = bool(
        Follow.objects.filter(user=user, dilemma=dilemma).update(last_seen_at=timezone.now())
    )
    if following:
        versions.bump(versions.member(user.pk))  # the thread's news leaves their home page
    return following


def dilemma_unfollow(*, user: User, dilemma: Dilemma) -> None:
    Follow.objects.filter(user=user, dilemma=dilemma).delete()


# --- Flags ---------------------------------------------------------------------------------------


@transaction.atomic
def flag_create(
    *,
    reporter: User,
    reason: str,
    note: str = "",
    dilemma: Dilemma | None = None,
    reply: Reply | None = None,
) -> Flag:
    """Report a dilemma or a reply to the moderators: one open flag per person and item."""
    _require_member(reporter)
    if (dilemma is None) == (reply is None):
        raise ValueError("Flag exactly one of dilemma or reply.")
    _require_visible(reporter, dilemma or reply.dilemma)
    target = {"dilemma": dilemma} if dilemma else {"reply": reply}
    if Flag.objects.open().filter(reporter=reporter, **target).exists():
        raise ValidationError(_("You have already reported this. A moderator will look at it."))
    flag = Flag(reporter=reporter, reason=reason, note=(note or "").strip(), **target)
    flag.full_clean()
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError:
        raise ValidationError(
            _("You have already reported this. A moderator will look at it.")
        ) from None
    _tell_moderators_of_flag(flag, reporter)
    return flag


def _tell_moderators_of_flag(flag: Flag, reporter: User) -> None:
    """The moderators of the region where the reported text was written hear of the report,
    with who reported what (the reporter is not anonymous to moderators)."""
    thread = flag.dilemma or flag.reply.dilemma
    organisation = thread.organisation if flag.dilemma else flag.reply.author.organisation
    region = organisation.region if organisation is not None else ""
    notify_many(
        recipients=moderation.review_recipients(region=region, exclude=reporter),
        kind=DilemmaNotification.FLAG_NEW,
        title=thread.title,
        url=reverse("dilemmas:flags"),
        actor=reporter,
    )


def _close_flags(flags, user: User, status: str) -> int:
    versions.bump(versions.DILEMMAS)  # update() sends no signal: the moderators' open count
    return flags.filter(status=FlagStatus.OPEN).update(
        status=status, handled_by=user, handled_at=timezone.now()
    )


@transaction.atomic
def flag_handle(*, user: User, flag: Flag, action: str) -> Flag:
    """A moderator hides the flagged content or dismisses the report; either closes every open
    flag on that item."""
    _require_moderator(user)
    if action == "hide":
        if flag.dilemma_id:
            dilemma_set_hidden(user=user, dilemma=flag.dilemma, hidden=True)
        else:
            reply_set_hidden(user=user, reply=flag.reply, hidden=True)
        same_item = Flag.objects.filter(dilemma=flag.dilemma, reply=flag.reply)
        _close_flags(same_item, user, FlagStatus.HIDDEN)
    elif action == "dismiss":
        same_item = Flag.objects.filter(dilemma=flag.dilemma, reply=flag.reply)
        _close_flags(same_item, user, FlagStatus.DISMISSED)
    else:
        raise ValidationError(_("Unknown action."))
    flag.refresh_from_db()
    return flag


# --- Cases that answer a dilemma -----------------------------------------------------------------

CASE_NOT_PUBLISHED = _("Only published cases can be linked: “%(title)s” is not published.")
DILEMMA_NOT_LINKABLE = _("Cases can no longer be linked to this dilemma: it was deleted.")
# Where a notification about a linked case lands: the thread's list of answering cases.
ANSWERING_CASES_ANCHOR = "#answering-cases"


def _require_linkable(user: User, dilemma: Dilemma) -> None:
    _require_member(user)
    _require_visible(user, dilemma)
    if dilemma.is_deleted:
        raise ValidationError({"dilemma": DILEMMA_NOT_LINKABLE})


@transaction.atomic
def dilemma_link_case(*, user: User, dilemma: Dilemma, case) -> bool:
    """Record that `case` answers `dilemma`; any member may. Returns True for a new link and
    False when the two were linked already (nothing changes then, nobody is told).

    The thread must be visible to `user` (PermissionDenied) and not deleted, the case
    published (ValidationError). The case comes from the caller: dilemmas never imports the
    cases app. A new link is one revision of the thread (who linked it) and counts as activity;
    the asker and the thread's followers are told which case, and by whom."""
    _require_linkable(user, dilemma)
    if case.status != Status.PUBLISHED:
        raise ValidationError({"case": CASE_NOT_PUBLISHED % {"title": case.title}})
    before = sorted(dilemma.related_cases.values_list("pk", flat=True))
    if case.pk in before:
        return False
    try:
        with transaction.atomic():
            dilemma.related_cases.through.objects.create(dilemma=dilemma, case=case)
    except IntegrityError:  # the same link, made a moment ago by someone else
        return False
    publishing.record(dilemma, editor=user, action="related", previous={"related_cases": before})
    _touch(dilemma)
    _notify_case_linked(dilemma, case, user)
    return True


def _notify_case_linked(dilemma: Dilemma, case, user: User) -> None:
    """The asker hears that a case answers their dilemma, the other followers that one answers
    a dilemma they follow; the notification names the case and who linked it (an anonymous
    asker who links stays unnamed). Nobody is told of their own link, and nobody of a link to
    a hidden thread, which members cannot open."""
    if dilemma.hidden:
        return
    url = dilemma.get_absolute_url() + ANSWERING_CASES_ANCHOR
    title = f"{case.title} → {dilemma.title}"
    followers = [
        f.user
        for f in Follow.objects.filter(dilemma=dilemma)
        .exclude(user=user)
        .exclude(user_id=dilemma.author_id)
        .select_related("user")
        .order_by("pk")
    ]
    actor = _actor_for_notifications(dilemma, user)
    if dilemma.author_id != user.pk:
        notify_many(
            recipients=[dilemma.author],
            kind=DilemmaNotification.CASE_LINKED,
            title=title,
            url=url,
            actor=actor,
        )
    notify_many(
        recipients=followers,
        kind=DilemmaNotification.CASE_LINKED_FOLLOWED,
        title=title,
        url=url,
        actor=actor,
    )


@transaction.atomic
def dilemma_unlink_case(*, user: User, dilemma: Dilemma, case) -> bool:
    """Take back that `case` answers `dilemma` (moderators only: PermissionDenied for anyone
    else, whoever made the link). Returns False when they were not linked."""
    _require_moderator(user)
    before = sorted(dilemma.related_cases.values_list("pk", flat=True))
    if case.pk not in before:
        return False
    dilemma.related_cases.remove(case)
    publishing.record(dilemma, editor=user, action="related", previous={"related_cases": before})
    return True


# --- Admin-only writes ---------------------------------------------------------------------------


@transaction.atomic
def dilemma_set_related_cases(*, user: User, dilemma: Dilemma, related_cases) -> Dilemma:
    """Point a thread to the cases that help answer it (moderators)."""
    _require_moderator(user)
    before = sorted(dilemma.related_cases.values_list("pk", flat=True))
    if before != sorted(case.pk for case in related_cases):
        dilemma.related_cases.set(related_cases)
        publishing.record(
            dilemma, editor=user, action="related", previous={"related_cases": before}
        )
    return dilemma


@transaction.atomic
def dilemma_purge(*, user: User, dilemma: Dilemma) -> None:
    """Delete a thread for good, with its replies, follows, flags and helpful marks
    (moderators; members' own deletes are soft, see dilemma_delete). The thread and its replies
    leave search at once; the revision log keeps a last record of who deleted it."""
    _require_moderator(user)
    dilemma = Dilemma.objects.select_for_update().get(pk=dilemma.pk)
    replies = list(dilemma.replies.all())
    for item in [dilemma, *replies]:
        search.unindex(item)
    # Its replies go first: the accepted one must not leave an answered thread without answer.
    Dilemma.objects.filter(pk=dilemma.pk).update(accepted_reply=None, status=DilemmaStatus.OPEN)
    publishing.delete(dilemma, editor=user)


@transaction.atomic
def reply_purge(*, user: User, reply: Reply) -> None:
    """Delete a reply for good (moderators; members' own deletes are soft, see reply_delete).

    The thread's reply count follows, an accepted answer that goes leaves the thread open,
    and the reply leaves search at once."""
    _require_moderator(user)
    reply = Reply.objects.select_for_update().select_related("dilemma").get(pk=reply.pk)
    if reply.counts:
        reply.deleted_at = timezone.now()  # counted no more: the same bookkeeping as a delete
        _reply_visibility_changed(reply, True)
    Dilemma.objects.filter(pk=reply.dilemma_id, accepted_reply=reply).update(accepted_reply=None)
    search.unindex(reply)
    publishing.delete(reply, editor=user)


@transaction.atomic
def flag_delete(*, user: User, flag: Flag) -> None:
    """Remove a report for good (moderators), for one made in error: it hides nothing and
    changes nothing else."""
    _require_moderator(user)
    flag.delete()


NUDGE_INTERVAL_DAYS = 7


@transaction.atomic
def dilemma_nudge(*, dilemma: Dilemma, user: User) -> int:
    """A coordinator asks the members who work in the dilemma's sectors to help answer it:
    each gets a notification (and an e-mail as they chose). Only for public, open threads,
    and at most once every NUDGE_INTERVAL_DAYS days. Returns how many were notified."""
    _require_moderator(user)
    if dilemma.hidden or dilemma.deleted_at or dilemma.status != DilemmaStatus.OPEN:
        raise ValidationError(_("Only open dilemmas can be nudged."))
    sector_ids = list(dilemma.sectors.values_list("pk", flat=True))
    if not sector_ids:
        raise ValidationError(_("The dilemma names no sector, so there is no one to nudge."))
    url = dilemma.get_absolute_url()
    since = timezone.now() - timedelta(days=NUDGE_INTERVAL_DAYS)
    if Notification.objects.filter(
        kind=DilemmaNotification.DILEMMA_NUDGE, url=url, created_at__gte=since
    ).exists():
        raise ValidationError(_("This dilemma was nudged less than a week ago."))
    recipients = (
        User.objects.members()
        .filter(sectors__in=sector_ids)
        .exclude(pk=dilemma.author_id)
        .exclude(deleted_at__isnull=False)
    )
    created = notify_many(
        recipients=list(recipients),
        kind=DilemmaNotification.DILEMMA_NUDGE,
        title=str(_("Can you help answer: %(title)s") % {"title": dilemma.title}),
        url=url,
        actor=user,
    )
    return len(created)
