"""The rules of dilemma threads, enforced by the services (and the database where it can)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Notification
from dilemmas import services
from dilemmas.models import (
    Dilemma,
    DilemmaStatus,
    Flag,
    FlagStatus,
    Follow,
    HelpfulMark,
    Reply,
)
from komvidere import ratelimit
from tests.factories import DilemmaFactory, ModeratorFactory, ReplyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _reply(dilemma, author, body="Vi brugte et borgerpanel."):
    return services.reply_create(author=author, dilemma=dilemma, body=body, check_rate=False)


# --- Asking ---------------------------------------------------------------------------------------


def test_asking_copies_the_organisation_and_follows(member):
    dilemma = services.dilemma_create(
        author=member, kind="dilemma", title="Scope 3?", body="Hvordan?", tags=["scope 3"]
    )

    assert dilemma.organisation == member.organisation
    assert dilemma.status == DilemmaStatus.OPEN
    assert Follow.objects.filter(user=member, dilemma=dilemma).exists()
    assert [t.name for t in dilemma.tags.all()] == ["scope 3"]


@pytest.mark.parametrize(
    ("title", "body"), [("", "tekst"), ("   ", "tekst"), ("Titel", ""), ("Ti\x00tel", "tekst")]
)
def test_asking_refuses_empty_or_control_characters(member, title, body):
    with pytest.raises(ValidationError):
        services.dilemma_create(author=member, kind="question", title=title, body=body)

    assert not Dilemma.objects.exists()


def test_posting_is_rate_limited_per_user(member, other_member, settings):
    settings.DILEMMAS_POST_RATE = "2/10m"
    for n in range(2):
        services.dilemma_create(author=member, kind="question", title=f"T {n}", body="B")

    with pytest.raises(services.RateLimited):
        services.dilemma_create(author=member, kind="question", title="T 3", body="B")

    assert Dilemma.objects.count() == 2
    # Another person has their own budget.
    services.dilemma_create(author=other_member, kind="question", title="T", body="B")


def test_replies_count_against_the_same_rate_limit(dilemma, other_member, settings):
    settings.DILEMMAS_POST_RATE = "1/m"
    services.reply_create(author=other_member, dilemma=dilemma, body="Første")

    with pytest.raises(services.RateLimited):
        services.reply_create(author=other_member, dilemma=dilemma, body="Anden")

    assert dilemma.replies.count() == 1


def test_rate_limit_windows_are_fixed():
    assert ratelimit.parse_rate("10/10m") == (10, 600)
    assert ratelimit.parse_rate("5/h") == (5, 3600)
    with pytest.raises(ValueError):
        ratelimit.parse_rate("ten per minute")

    assert ratelimit.hit("k", "2/m", now=60.0)
    assert ratelimit.hit("k", "2/m", now=61.0)
    assert not ratelimit.hit("k", "2/m", now=62.0)
    assert ratelimit.hit("k", "2/m", now=120.0)  # the next window


# --- Replying -------------------------------------------------------------------------------------


def test_a_reply_counts_touches_and_follows(dilemma, other_member):
    before = dilemma.last_activity_at

    reply = _reply(dilemma, other_member)

    dilemma.refresh_from_db()
    assert dilemma.reply_count == 1
    assert dilemma.last_activity_at > before
    assert Follow.objects.filter(user=other_member, dilemma=dilemma).exists()
    assert reply.get_absolute_url() == f"/dilemmas/{dilemma.pk}/#reply-{reply.pk}"


def test_nobody_replies_to_a_locked_thread(dilemma, other_member, member):
    moderator = ModeratorFactory()
    services.dilemma_set_locked(user=moderator, dilemma=dilemma, locked=True)

    for user in (other_member, member):
        with pytest.raises(PermissionDenied):
            _reply(dilemma, user)

    assert not Reply.objects.exists()


def test_members_cannot_reply_to_a_hidden_thread(dilemma, other_member):
    services.dilemma_set_hidden(user=ModeratorFactory(), dilemma=dilemma, hidden=True)

    with pytest.raises(PermissionDenied):
        _reply(dilemma, other_member)

    assert not Reply.objects.exists()


def test_only_moderators_lock_hide_and_mark_duplicates(dilemma, member):
    other = DilemmaFactory()
    for call in (
        lambda: services.dilemma_set_locked(user=member, dilemma=dilemma, locked=True),
        lambda: services.dilemma_set_hidden(user=member, dilemma=dilemma, hidden=True),
        lambda: services.dilemma_mark_duplicate(user=member, dilemma=dilemma, original=other),
    ):
        with pytest.raises(PermissionDenied):
            call()

    dilemma.refresh_from_db()
    assert not dilemma.locked and not dilemma.hidden and dilemma.duplicate_of is None


def test_a_duplicate_is_closed_and_points_to_the_original(dilemma):
    moderator = ModeratorFactory()
    original = DilemmaFactory()

    services.dilemma_mark_duplicate(user=moderator, dilemma=dilemma, original=original)
    dilemma.refresh_from_db()
    assert dilemma.status == DilemmaStatus.CLOSED and dilemma.duplicate_of == original
    with pytest.raises(ValidationError):
        services.dilemma_mark_duplicate(user=moderator, dilemma=dilemma, original=dilemma)

    services.dilemma_mark_duplicate(user=moderator, dilemma=dilemma, original=None)
    dilemma.refresh_from_db()
    assert dilemma.status == DilemmaStatus.OPEN


# --- Accepting and concluding ---------------------------------------------------------------------


def test_the_asker_accepts_a_reply(dilemma, member, other_member):
    reply = _reply(dilemma, other_member)

    services.dilemma_accept_reply(user=member, dilemma=dilemma, reply=reply)

    dilemma.refresh_from_db()
    assert dilemma.status == DilemmaStatus.ANSWERED
    assert dilemma.accepted_reply == reply


def test_only_the_asker_or_a_moderator_accepts(dilemma, other_member):
    reply = _reply(dilemma, other_member)
    stranger = UserFactory()

    with pytest.raises(PermissionDenied):
        services.dilemma_accept_reply(user=stranger, dilemma=dilemma, reply=reply)
    with pytest.raises(PermissionDenied):
        services.dilemma_accept_reply(user=other_member, dilemma=dilemma, reply=reply)
    dilemma.refresh_from_db()
    assert dilemma.accepted_reply is None

    services.dilemma_accept_reply(user=ModeratorFactory(), dilemma=dilemma, reply=reply)
    dilemma.refresh_from_db()
    assert dilemma.accepted_reply == reply


def test_the_accepted_reply_must_belong_to_the_same_thread(dilemma, member, other_member):
    elsewhere = ReplyFactory(author=other_member)

    with pytest.raises(ValidationError):
        services.dilemma_accept_reply(user=member, dilemma=dilemma, reply=elsewhere)

    dilemma.refresh_from_db()
    assert dilemma.accepted_reply is None and dilemma.status == DilemmaStatus.OPEN
    # The model's clean() says the same (the admin goes through it).
    dilemma.accepted_reply = elsewhere
    with pytest.raises(ValidationError):
        dilemma.full_clean()


def test_the_database_refuses_answered_without_a_reply_and_concluded_without_text(dilemma):
    with pytest.raises(IntegrityError), transaction.atomic():
        Dilemma.objects.filter(pk=dilemma.pk).update(status=DilemmaStatus.ANSWERED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dilemma.objects.filter(pk=dilemma.pk).update(status=DilemmaStatus.CONCLUDED)


def test_hidden_or_deleted_replies_cannot_be_accepted(dilemma, member, other_member):
    reply = _reply(dilemma, other_member)
    services.reply_delete(user=other_member, reply=reply)

    with pytest.raises(ValidationError):
        services.dilemma_accept_reply(user=member, dilemma=dilemma, reply=reply)


def test_deleting_the_accepted_reply_reopens_the_thread(dilemma, member, other_member):
    reply = _reply(dilemma, other_member)
    services.dilemma_accept_reply(user=member, dilemma=dilemma, reply=reply)

    services.reply_delete(user=other_member, reply=reply)

    dilemma.refresh_from_db()
    assert dilemma.accepted_reply is None
    assert dilemma.status == DilemmaStatus.OPEN
    assert dilemma.reply_count == 0
    assert Reply.objects.get(pk=reply.pk).body  # soft: the row and its text stay


def test_concluding(dilemma, member, other_member):
    with pytest.raises(PermissionDenied):
        services.dilemma_conclude(user=other_member, dilemma=dilemma, conclusion="Nej")
    with pytest.raises(ValidationError):
        services.dilemma_conclude(user=member, dilemma=dilemma, conclusion="  ")

    services.dilemma_conclude(user=member, dilemma=dilemma, conclusion="Vi valgte borgerpanel.")

    dilemma.refresh_from_db()
    assert dilemma.status == DilemmaStatus.CONCLUDED
    assert dilemma.conclusion == "Vi valgte borgerpanel."
    assert dilemma.concluded_by == member


# --- Editing keeps history ------------------------------------------------------------------------


def test_edits_keep_the_previous_text(dilemma, member, other_member):
    reply = _reply(dilemma, other_member, body="Første udgave")

    services.dilemma_edit(user=member, dilemma=dilemma, title="Ny titel", body="Ny tekst")
    services.reply_edit(user=other_member, reply=reply, body="Anden udgave")

    revision = dilemma.revisions.get()
    assert revision.previous_values["title"].startswith("Hvordan inddrager")
    assert sorted(revision.changed_fields) == ["body", "title"]
    assert (revision.editor, revision.action, revision.title) == (member, "edit", "Ny titel")
    reply_revision = reply.revisions.get()
    assert (reply_revision.previous_values["body"], reply_revision.editor) == (
        "Første udgave",
        other_member,
    )
    assert reply_revision.body == "Anden udgave"  # the snapshot is the text after the edit
    reply.refresh_from_db()
    assert reply.edited_at is not None


def test_others_cannot_edit_or_delete(dilemma, member, other_member):
    reply = _reply(dilemma, other_member)

    with pytest.raises(PermissionDenied):
        services.dilemma_edit(user=other_member, dilemma=dilemma, title="X", body="Y")
    with pytest.raises(PermissionDenied):
        services.reply_edit(user=member, reply=reply, body="X")
    with pytest.raises(PermissionDenied):
        services.reply_delete(user=member, reply=reply)
    with pytest.raises(PermissionDenied):
        services.dilemma_delete(user=other_member, dilemma=dilemma)

    # A moderator may.
    services.reply_edit(user=ModeratorFactory(), reply=reply, body="Rettet af moderator")


# --- Helpful marks, follows, flags ----------------------------------------------------------------


def test_helpful_toggles_once_per_user(dilemma, member, other_member):
    reply = _reply(dilemma, other_member)

    assert services.reply_toggle_helpful(user=member, reply=reply) is True
    assert services.reply_toggle_helpful(user=member, reply=reply) is False
    assert services.reply_toggle_helpful(user=member, reply=reply) is True
    assert HelpfulMark.objects.filter(reply=reply).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpfulMark.objects.create(reply=reply, user=member)


def test_nobody_marks_their_own_reply_helpful(dilemma, other_member):
    reply = _reply(dilemma, other_member)

    with pytest.raises(ValidationError):
        services.reply_toggle_helpful(user=other_member, reply=reply)


def test_one_follow_per_user(dilemma, member):
    services.dilemma_follow(user=member, dilemma=dilemma)
    services.dilemma_follow(user=member, dilemma=dilemma)

    assert Follow.objects.filter(user=member, dilemma=dilemma).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(user=member, dilemma=dilemma)


def test_one_open_flag_per_user_and_item(dilemma, other_member):
    services.flag_create(reporter=other_member, dilemma=dilemma, reason="spam")

    with pytest.raises(ValidationError):
        services.flag_create(reporter=other_member, dilemma=dilemma, reason="other")
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(reporter=other_member, dilemma=dilemma, reason="other")


def test_hiding_flagged_content_closes_every_open_flag_on_it(dilemma, member, other_member):
    reply = _reply(dilemma, other_member)
    first = services.flag_create(reporter=member, reply=reply, reason="offensive", note="Groft")
    second = services.flag_create(reporter=UserFactory(), reply=reply, reason="spam")
    moderator = ModeratorFactory()

    services.flag_handle(user=moderator, flag=first, action="hide")

    reply.refresh_from_db()
    assert reply.hidden
    for flag in (first, second):
        flag.refresh_from_db()
        assert flag.status == FlagStatus.HIDDEN
        assert flag.handled_by == moderator and flag.handled_at is not None
    dilemma.refresh_from_db()
    assert dilemma.reply_count == 0
    # A closed flag does not block a new report.
    services.flag_create(reporter=member, reply=reply, reason="other")


def test_dismissing_closes_the_flags_and_leaves_the_content(dilemma, other_member):
    flag = services.flag_create(reporter=other_member, dilemma=dilemma, reason="off_topic")

    with pytest.raises(PermissionDenied):
        services.flag_handle(user=other_member, flag=flag, action="dismiss")
    services.flag_handle(user=ModeratorFactory(), flag=flag, action="dismiss")

    flag.refresh_from_db()
    dilemma.refresh_from_db()
    assert flag.status == FlagStatus.DISMISSED and not dilemma.hidden


def test_reply_notifications_do_not_reveal_an_anonymous_asker(member, other_member):
    dilemma = services.dilemma_create(
        author=member, kind="question", title="Hemmeligt", body="B", anonymous=True
    )
    _reply(dilemma, other_member)

    _reply(dilemma, member, body="Tak, asker svarer")  # the anonymous asker replies

    notification = Notification.objects.get(recipient=other_member)
    assert notification.actor is None
