"""Review, and being told: moderators hear of submitted and edited cases, a moderator can
send a case back with a comment, and the history reads as sentences."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.models import Notification, Organisation, Region
from cases import services
from cases.models import Case, Status
from komvidere import moderation
from tests.factories import CaseFactory, ModeratorFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _english(client):
    """Pages in English (the language switcher's cookie), so the sentences can be read here
    whatever the Danish catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def south_moderator(db):
    """A coordinator in Region Syddanmark (the member and `moderator` are in Midtjylland)."""
    return ModeratorFactory(
        name="Sune Syd", organisation=OrganisationFactory(region=Region.SYDDANMARK)
    )


def _draft(author, **extra):
    return services.case_create(
        author=author,
        title="Solceller på skolerne",
        summary="Solceller på alle kommunens skoler.",
        organisation=author.organisation,
        origin="municipality",
        work_status="ongoing",
        **extra,
    )


def test_moderators_group_name_matches_accounts():
    from accounts.models import MODERATORS_GROUP

    assert moderation.MODERATORS_GROUP == MODERATORS_GROUP


def test_submitting_tells_the_regions_moderators_in_app_and_by_email(
    member, moderator, south_moderator, django_capture_on_commit_callbacks
):
    case = _draft(member)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_submit(case=case, user=member)

    told = Notification.objects.filter(kind="case_submitted")
    assert [n.recipient for n in told] == [moderator]
    notification = told.get()
    assert notification.title == case.title
    assert notification.actor == member
    assert notification.url == case.get_absolute_url()
    assert [m.to for m in mail.outbox] == [[moderator.email]]
    assert f"Mette Klimasen (Silkeborg): {case.title}" in mail.outbox[0].body


def test_a_moderator_who_opts_in_hears_of_every_region(member, moderator, south_moderator):
    south_moderator.review_notifications_all = True
    south_moderator.save()
    services.case_create(
        author=member,
        title="Cykelstier",
        summary="Nye cykelstier.",
        organisation=member.organisation,
        origin="municipality",
        work_status="planned",
        submit=True,
    )
    recipients = set(
        Notification.objects.filter(kind="case_submitted").values_list("recipient", flat=True)
    )
    assert recipients == {moderator.pk, south_moderator.pk}


def test_a_region_without_coordinators_tells_every_moderator(south_moderator):
    bornholm = Organisation.objects.create(
        name="Testø Kommune", short_name="Testø", slug="testoe", region=Region.HOVEDSTADEN
    )
    author = UserFactory(organisation=bornholm, name="Bo Ø")
    case = _draft(author)
    services.case_submit(case=case, user=author)
    assert Notification.objects.filter(kind="case_submitted", recipient=south_moderator).exists()


def test_daily_digest_moderators_get_it_in_the_digest_not_at_once(
    member, moderator, django_capture_on_commit_callbacks
):
    moderator.email_notifications = "daily"
    moderator.save()
    case = _draft(member)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_submit(case=case, user=member)
    assert mail.outbox == []
    from accounts.notifications import send_digests

    assert send_digests() == 1
    assert case.title in mail.outbox[0].body


def _edit_told(case, kind: str, *, moderator, editor) -> Notification:
    """The one notification of `kind`: to the moderator, naming the editor, linking to what
    the case's last revision changed."""
    notification = Notification.objects.get(kind=kind)
    assert notification.recipient == moderator
    assert notification.actor == editor
    revision = case.revisions.first()
    assert notification.url == reverse(
        "cases:changes", kwargs={"slug": case.slug, "revision": revision.pk}
    )
    return notification


def test_editing_a_published_case_tells_moderators_with_a_link_to_the_diff(
    member, moderator, client
):
    before = "Skolerne bruger meget strøm om sommeren, når ventilationen kører for fuld kraft."
    after = "Skolerne bruger meget strøm om dagen, når ventilationen kører for fuld kraft."
    case = CaseFactory(author=member, challenge=before)
    services.case_update(
        case=case,
        editor=member,
        challenge=after,
        co2e_tonnes_per_year=12.5,
    )
    case.refresh_from_db()
    assert case.status == Status.PUBLISHED  # edits go live at once
    notification = _edit_told(case, "case_edited", moderator=moderator, editor=member)

    client.force_login(moderator)
    inbox = client.get(reverse("accounts:notifications")).content.decode()
    assert f"Mette Klimasen (Silkeborg): {case.title}" in inbox
    page = _english(client).get(notification.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<del>sommeren,</del><ins>dagen,</ins>" in html
    assert "<dd>12.5</dd>" in html  # the figure's new value next to its old "—"
    assert "Mette Klimasen changed" in html


def test_editing_a_draft_tells_nobody(member, moderator):
    case = _draft(member)
    services.case_update(case=case, editor=member, summary="Ny opsummering.")
    assert not Notification.objects.filter(kind="case_edited").exists()


def test_editing_a_case_under_review_tells_the_moderators(member, moderator):
    """What the moderators are reviewing changed: they are told, with the diff; the case stays
    in the queue. A moderator's own edit tells nobody but the others."""
    case = _draft(member)
    services.case_submit(case=case, user=member)
    services.case_update(case=case, editor=member, summary="Ny opsummering efter indsendelse.")
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
    _edit_told(case, "case_edited_in_review", moderator=moderator, editor=member)
    services.case_update(case=case, editor=moderator, summary="Rettet af moderatoren.")
    assert Notification.objects.filter(kind="case_edited_in_review").count() == 1


def test_members_may_not_see_the_diff_of_someone_elses_case(member, other_client):
    case = CaseFactory(author=member)
    services.case_update(case=case, editor=member, summary="Ny opsummering.")
    revision = case.revisions.first()
    url = reverse("cases:changes", kwargs={"slug": case.slug, "revision": revision.pk})
    assert other_client.get(url).status_code == 403


# --- send back ------------------------------------------------------------------------------------


def test_send_back_makes_a_draft_tells_the_author_and_keeps_the_comment(
    member, moderator, django_capture_on_commit_callbacks
):
    case = _draft(member, submit=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_send_back(
            case=case, user=moderator, comment="Tilføj gerne tal for besparelsen i kWh."
        )
    case.refresh_from_db()
    assert case.status == Status.DRAFT
    notification = Notification.objects.get(kind="case_sent_back")
    assert notification.recipient == member
    assert "Tilføj gerne tal for besparelsen i kWh." in notification.title
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Tilføj gerne tal for besparelsen i kWh." in mail.outbox[0].body
    revision = case.revisions.first()
    assert revision.history_change_reason == "send_back"
    assert revision.comment == "Tilføj gerne tal for besparelsen i kWh."
    assert revision.history_user == moderator


def test_only_submitted_cases_can_be_sent_back(member, moderator):
    from django.core.exceptions import ValidationError

    case = _draft(member)
    with pytest.raises(ValidationError):
        services.case_send_back(case=case, user=moderator, comment="Nej")
    assert Case.objects.get(pk=case.pk).status == Status.DRAFT


def test_members_cannot_send_back(member, other_member):
    from django.core.exceptions import PermissionDenied

    case = _draft(member, submit=True)
    with pytest.raises(PermissionDenied):
        services.case_send_back(case=case, user=other_member, comment="Nej")


def test_send_back_on_the_site_with_an_empty_comment_keeps_the_case_and_says_why(
    member, moderator_client
):
    case = _draft(member, submit=True)
    response = moderator_client.post(
        reverse("cases:send_back", args=[case.slug]), {"comment": "   "}
    )
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED
    assert 'id="id_comment_error"' in response.content.decode()


def test_send_back_on_the_site_and_the_author_sees_the_comment_and_the_history(
    member, moderator_client, member_client
):
    case = _draft(member, submit=True)
    response = moderator_client.post(
        reverse("cases:send_back", args=[case.slug]),
        {"comment": "Beskriv <b>borgerinddragelsen</b>."},
    )
    assert response.status_code == 302
    page = _english(member_client).get(case.get_absolute_url())
    html = page.content.decode()
    assert "Sent back to you with a comment" in html
    assert "Beskriv &lt;b&gt;borgerinddragelsen&lt;/b&gt;." in html
    assert "Maja Moderator sent it back to the author with a comment." in html
    assert "Mette Klimasen submitted it for review." in html
    assert "(submit)" not in html and "send_back" not in html


def test_moderation_actions_come_before_the_case_text(member, moderator_client):
    case = _draft(member, submit=True, challenge="Udfordringen er stor.")
    html = moderator_client.get(case.get_absolute_url()).content.decode()
    assert html.index('id="moderation-heading"') < html.index('id="heading-challenge"')
    assert reverse("cases:send_back", args=[case.slug]) in html


def test_a_link_added_to_a_published_case_tells_the_moderators(member, moderator):
    case = CaseFactory(author=member)
    services.link_add(case=case, user=member, title="Rapport", url="https://example.org/r")
    notification = Notification.objects.get(kind="case_edited")
    assert notification.recipient == moderator
    revision = case.revisions.first()
    assert revision.history_change_reason == "link_add"
    assert notification.url.endswith(f"/changes/{revision.pk}/")
