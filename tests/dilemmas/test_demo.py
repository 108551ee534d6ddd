import pytest
from django.db.models import Count, F, Q

from accounts.models import Notification, Region
from dilemmas.models import Dilemma, DilemmaStatus, HelpfulMark, Reply
from portal import demo
from tests.portal.test_demo import seeded_demo


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    with seeded_demo(django_db_blocker, tmp_path_factory.mktemp("media")) as demo_run:
        yield demo_run


def test_demo_dilemmas_cover_every_region_and_status(seeded, db):
    specs = demo.read("dilemmas")["dilemma"]
    assert Dilemma.objects.count() == len(specs) >= 20
    statuses = set(Dilemma.objects.values_list("status", flat=True))
    assert {DilemmaStatus.OPEN, DilemmaStatus.ANSWERED, DilemmaStatus.CONCLUDED} <= statuses
    assert Dilemma.objects.filter(anonymous=True).count() >= 2
    assert Dilemma.objects.filter(reply_count__gt=0).count() >= 15
    assert Dilemma.objects.filter(reply_count=0).exists()  # an unanswered one for the home page
    assert set(Dilemma.objects.values_list("organisation__region", flat=True)) == set(Region.values)
    # Members were notified in the portal (replies on followed threads, accepted answers,
    # helpful marks), but nobody was e-mailed.
    assert Notification.objects.exists()
    assert seeded.emails_sent == 0


def test_demo_threads_are_what_the_data_file_says(seeded, db):
    for spec in demo.read("dilemmas")["dilemma"]:
        dilemma = Dilemma.objects.get(title=spec["title"])
        replies = list(dilemma.replies.order_by("pk"))
        reply_specs = spec.get("reply", [])
        assert [r.body for r in replies] == [r["body"] for r in reply_specs]
        assert [r.author.email for r in replies] == [r["author"] for r in reply_specs]
        assert dilemma.author.email == spec["author"]
        assert dilemma.anonymous == spec.get("anonymous", False)
        assert sorted(dilemma.tags.names()) == sorted(spec.get("tags", []))
        for reply, reply_spec in zip(replies, reply_specs, strict=True):
            markers = set(reply.helpful_marks.values_list("user__email", flat=True))
            assert markers == set(reply_spec.get("helpful", []))
        accepted = [r for r, s in zip(replies, reply_specs, strict=True) if s.get("accepted")]
        assert dilemma.accepted_reply == (accepted[0] if accepted else None)
        if spec.get("conclusion"):
            assert dilemma.status == DilemmaStatus.CONCLUDED
            assert dilemma.conclusion == spec["conclusion"]
            assert dilemma.concluded_by == dilemma.author
        elif accepted:
            assert dilemma.status == DilemmaStatus.ANSWERED
        else:
            assert dilemma.status == DilemmaStatus.OPEN
        # The asker, everyone who replied and the named followers follow the thread.
        followers = set(dilemma.follows.values_list("user__email", flat=True))
        expected = {spec["author"], *spec.get("followers", []), *(r["author"] for r in reply_specs)}
        assert followers == expected


def test_demo_counters_agree_with_the_rows(seeded, db):
    counted = Dilemma.objects.annotate(
        visible_replies=Count(
            "replies", filter=Q(replies__hidden=False, replies__deleted_at__isnull=True)
        )
    )
    for dilemma in counted:
        assert dilemma.reply_count == dilemma.visible_replies == dilemma.replies.count()
        assert dilemma.last_activity_at is not None
        if dilemma.accepted_reply_id:
            assert dilemma.accepted_reply.dilemma_id == dilemma.pk
            assert dilemma.status in (DilemmaStatus.ANSWERED, DilemmaStatus.CONCLUDED)
    specs = demo.read("dilemmas")["dilemma"]
    replies = [r for spec in specs for r in spec.get("reply", [])]
    assert Reply.objects.count() == len(replies) >= 35
    assert HelpfulMark.objects.count() == sum(len(r.get("helpful", [])) for r in replies) > 0
    assert Dilemma.objects.filter(accepted_reply__isnull=False).count() == len(
        [r for r in replies if r.get("accepted")]
    )
    assert not HelpfulMark.objects.filter(user=F("reply__author")).exists()
