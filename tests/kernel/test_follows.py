"""Following cases, articles, tags and sectors: the notifications, the digest and the pages."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from taggit.models import Tag

from accounts.models import Notification
from articles import services as article_services
from cases import services as case_services
from komvidere import follows
from komvidere.models import Follow, Sector
from tests.factories import ArticleFactory, CaseFactory

pytestmark = pytest.mark.django_db


def _submitted_case(author, **extra):
    return case_services.case_create(
        author=author,
        title="Biogas fra gylle",
        summary="Et biogasanlæg ved Testrup.",
        organisation=author.organisation,
        origin="municipality",
        work_status="completed",
        submit=True,
        **extra,
    )


def test_following_a_tag_brings_a_notification_when_a_case_with_it_is_published(
    member, other_member, moderator, django_capture_on_commit_callbacks
):
    tag = Tag.objects.create(name="biogas", slug="biogas")
    follows.follow_add(user=other_member, item=tag)
    case = _submitted_case(member, tags=["biogas"])
    assert not Notification.objects.filter(recipient=other_member).exists()  # not yet public
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_publish(case=case, user=moderator)
    notification = Notification.objects.get(recipient=other_member)
    assert notification.kind == "followed_published"
    assert (notification.title, notification.actor) == (case.title, member)
    assert notification.url == case.get_absolute_url()
    sent = [m for m in mail.outbox if other_member.email in m.to]
    assert len(sent) == 1 and f"Mette Klimasen (Silkeborg): {case.title}" in sent[0].body

    # Published again after being taken back: no second "new" notification.
    case_services.case_unpublish(case=case, user=moderator)
    case_services.case_publish(case=case, user=moderator)
    assert Notification.objects.filter(recipient=other_member).count() == 1


def test_following_a_sector_goes_to_the_daily_digest(
    member, other_member, moderator, django_capture_on_commit_callbacks
):
    other_member.email_notifications = "daily"
    other_member.save()
    energi = Sector.objects.get(slug="energi")
    follows.follow_add(user=other_member, item=energi)
    case = _submitted_case(member, sectors=[energi])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_publish(case=case, user=moderator)
    assert not [m for m in mail.outbox if other_member.email in m.to]
    from accounts.notifications import send_digests

    send_digests()
    digest = [m for m in mail.outbox if other_member.email in m.to]
    assert len(digest) == 1 and case.title in digest[0].body


def test_an_article_with_a_followed_sector_is_announced_once(other_member, moderator):
    energi = Sector.objects.get(slug="energi")
    follows.follow_add(user=other_member, item=energi)
    article = ArticleFactory(author=moderator, status="draft", published_at=None)
    article.sectors.set([energi])
    article_services.article_publish(article=article, user=moderator)
    assert Notification.objects.filter(
        recipient=other_member, kind="followed_published", url=article.get_absolute_url()
    ).exists()


def test_following_a_case_tells_of_its_updates(member, other_member):
    case = CaseFactory(author=member)
    follows.follow_add(user=other_member, item=case)
    follows.follow_add(user=other_member, item=case)  # twice is once
    assert Follow.objects.filter(user=other_member).count() == 1
    case_services.case_update(case=case, editor=member, summary="Nu med resultater.")
    notification = Notification.objects.get(recipient=other_member, kind="followed_updated")
    assert (notification.title, notification.actor) == (case.title, member)
    follows.follow_remove(user=other_member, item=case)
    case_services.case_update(case=case, editor=member, summary="Endnu flere resultater.")
    assert Notification.objects.filter(recipient=other_member).count() == 1


def test_the_follow_button_and_the_following_page(member, other_client, other_member):
    case = CaseFactory(author=member)
    other_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = other_client.get(case.get_absolute_url()).content.decode()
    url = reverse("portal:follow", args=["case", case.pk])
    assert f'action="{url}"' in page
    response = other_client.post(url, {"action": "follow", "next": case.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert follows.is_following(other_member, case)
    page = other_client.get(case.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in page
    listing = other_client.get(reverse("portal:following")).content.decode()
    assert case.title in listing
    # An outside address as "next" is not followed.
    response = other_client.post(url, {"action": "unfollow", "next": "https://evil.example/"})
    assert response["Location"] == reverse("portal:following")
    assert not follows.is_following(other_member, case)


def test_drafts_and_unknown_kinds_cannot_be_followed(member, other_client):
    draft = CaseFactory(author=member, status="draft", published_at=None)
    assert other_client.post(reverse("portal:follow", args=["case", draft.pk])).status_code == 404
    assert other_client.post(reverse("portal:follow", args=["user", 1])).status_code == 404
    assert other_client.post(reverse("portal:follow", args=["case", 99999])).status_code == 404
    assert other_client.get(reverse("portal:follow", args=["case", draft.pk])).status_code == 405


def test_follows_are_in_the_data_export(member, other_member):
    tag = Tag.objects.create(name="vind", slug="vind")
    follows.follow_add(user=other_member, item=tag)
    assert follows.export_personal_data(other_member)["follows"][0]["item"] == "vind"
    follows.anonymise_personal_data(other_member)
    assert not Follow.objects.filter(user=other_member).exists()
