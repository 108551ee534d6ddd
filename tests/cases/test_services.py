"""The services: permissions, validation, the revision log and the e-mail after commit."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Notification
from cases import services
from cases.models import Case, CaseAttachment, Status
from cases.registration import CaseNotification
from komvidere import publishing
from tests.cases.conftest import docx_bytes, pdf_bytes, png_bytes, upload
from tests.factories import CaseFactory, OrganisationFactory, silkeborg


def create(author, sector, **fields):
    defaults = {
        "title": "Solceller på skolerne",
        "summary": "Solceller på alle skoletage.",
        "organisation": silkeborg(),
        "sectors": [sector],
    }
    return services.case_create(author=author, **{**defaults, **fields})


def test_create_makes_a_draft_with_a_unique_slug_and_a_revision(member, sector):
    first = create(member, sector, tags=["sol", "skoler"])
    second = create(member, sector)

    assert first.status == Status.DRAFT
    assert first.slug == "solceller-paa-skolerne"
    assert second.slug == "solceller-paa-skolerne-2"
    assert sorted(first.tags.names()) == ["skoler", "sol"]
    assert list(first.sectors.all()) == [sector]
    assert first.revisions.get().action == "create"


def test_a_slug_never_shadows_a_fixed_url(member, sector):
    assert create(member, sector, title="New").slug != "new"
    assert create(member, sector, title="Review").slug != "review"


def test_create_and_submit(member, sector):
    case = create(member, sector, submit=True)

    assert case.status == Status.SUBMITTED
    assert [r.action for r in case.revisions.order_by("pk")] == ["create", "submit"]


def test_invalid_fields_write_nothing(member, sector):
    with pytest.raises(ValidationError) as excinfo:
        create(member, sector, year_start=2024, year_end=2020, co2e_tonnes_per_year=-5)

    assert "co2e_tonnes_per_year" in excinfo.value.message_dict
    assert not Case.objects.exists()
    assert not Case.revisions.exists()


def test_the_database_refuses_years_out_of_order_and_negative_figures(member):
    case = CaseFactory()
    for values in [
        {"year_start": 2024, "year_end": 2020},
        {"year_start": 1800},
        {"co2e_tonnes_per_year": -1},
        {"budget_dkk": -1},
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Case.objects.filter(pk=case.pk).update(**values)


def test_update_logs_who_changed_what_with_the_old_values(member, moderator, sector, sectors):
    case = create(member, sector, tags=["sol"])

    services.case_update(
        case=case,
        editor=moderator,
        title="Solceller på alle skoler",
        summary=case.summary,
        sectors=[sector, sectors["bygninger"]],
        tags=["sol", "skoler"],
    )

    revision = case.revisions.filter(history_change_reason="edit").get()
    assert revision.editor == moderator
    assert revision.changed_fields == ["sectors", "tags", "title"]
    assert revision.previous_values["title"] == "Solceller på skolerne"
    assert revision.previous_values["sectors"] == [sector.pk]
    assert revision.previous_values["tags"] == ["sol"]
    case.refresh_from_db()
    assert case.title == "Solceller på alle skoler"
    assert case.slug == "solceller-paa-skolerne"  # links keep working


def test_an_unchanged_save_writes_no_revision(member, sector):
    case = create(member, sector)

    services.case_update(case=case, editor=member, title=case.title, sectors=[sector])

    assert not case.revisions.filter(history_change_reason="edit").exists()


def test_only_the_author_or_a_moderator_may_edit(member, other_member, moderator, sector):
    case = create(member, sector)

    with pytest.raises(PermissionDenied):
        services.case_update(case=case, editor=other_member, title="Overtaget")
    services.case_update(case=case, editor=moderator, title="Rettet af moderator")

    services.case_publish(case=case, user=moderator)
    services.case_archive(case=case, user=moderator)
    with pytest.raises(PermissionDenied):
        services.case_update(case=case, editor=member, title="Arkiveret")


def test_members_may_not_publish_archive_or_feature(member, sector):
    case = create(member, sector, submit=True)

    for service in (services.case_publish, services.case_archive, services.case_unpublish):
        with pytest.raises(PermissionDenied):
            service(case=case, user=member)
    with pytest.raises(PermissionDenied):
        services.case_set_featured(case=case, user=member, featured=True)
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_another_member_may_not_submit(member, other_member, sector):
    case = create(member, sector)

    with pytest.raises(PermissionDenied):
        services.case_submit(case=case, user=other_member)


def test_publish_tells_the_author_after_commit(
    member, moderator, sector, django_capture_on_commit_callbacks
):
    case = create(member, sector, submit=True)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.case_publish(case=case, user=moderator)
    assert mail.outbox == []  # nothing is sent before the commit
    for callback in callbacks:
        callback()

    case.refresh_from_db()
    assert case.status == Status.PUBLISHED
    assert case.published_at is not None
    assert case.last_reviewed_at == timezone.localdate()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert case.title in message.subject
    assert case.get_absolute_url() in message.body
    inbox = Notification.objects.get(recipient=member)
    assert inbox.kind == CaseNotification.PUBLISHED
    assert inbox.url == case.get_absolute_url()


def test_publish_respects_the_authors_notification_preference(member, moderator, sector):
    member.email_notifications = member.NotifyBy.NEVER
    member.save()
    case = create(member, sector, submit=True)
    services.case_publish(case=case, user=moderator)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=member).count() == 1


def test_a_failed_email_is_logged_and_the_case_stays_published(
    member, moderator, sector, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    case = create(member, sector, submit=True)

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken)
    with (
        caplog.at_level(logging.ERROR, logger="accounts.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.case_publish(case=case, user=moderator)

    case.refresh_from_db()
    assert case.status == Status.PUBLISHED
    assert "Could not e-mail notification" in caplog.text
    notification = Notification.objects.get(recipient=member)
    assert notification.emailed_at is None  # left for a later attempt


def test_a_rolled_back_publish_sends_nothing(member, moderator, sector):
    case = create(member, sector, submit=True)

    with pytest.raises(RuntimeError), transaction.atomic():
        services.case_publish(case=case, user=moderator)
        raise RuntimeError

    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
    assert mail.outbox == []


def test_feature_only_published_cases(member, moderator, sector):
    case = create(member, sector)
    with pytest.raises(ValidationError):
        services.case_set_featured(case=case, user=moderator, featured=True)

    services.case_publish(case=case, user=moderator)
    services.case_set_featured(case=case, user=moderator, featured=True)
    assert Case.objects.featured().get() == case

    services.case_archive(case=case, user=moderator)
    case.refresh_from_db()
    assert case.featured is False


def test_review_dates(member, moderator, sector):
    case = create(member, sector)
    today = timezone.localdate()

    with pytest.raises(ValidationError):
        services.case_set_review(
            case=case, user=moderator, review_due=None, last_reviewed_at=today + timedelta(1)
        )
    services.case_set_review(
        case=case,
        user=moderator,
        review_due=today + timedelta(days=365),
        last_reviewed_at=today,
    )

    case.refresh_from_db()
    assert case.review_due == today + timedelta(days=365)
    assert case.revisions.filter(history_change_reason="review").exists()
    with pytest.raises(PermissionDenied):
        services.case_set_review(case=case, user=member, review_due=None, last_reviewed_at=None)


@pytest.mark.parametrize(
    ("name", "content"),
    [("rapport.pdf", pdf_bytes()), ("notat.docx", docx_bytes()), ("kort.png", png_bytes())],
)
def test_attachments_of_allowed_types_are_stored_under_random_names(member, sector, name, content):
    case = create(member, sector)

    attachment = services.attachment_add(
        case=case, user=member, file=upload(name, content), title="Bilag"
    )

    assert attachment.file.name.startswith(f"cases/{case.pk}/files/")
    assert name.split(".")[0] not in attachment.file.name
    assert attachment.original_name == name
    assert attachment.size == len(content)
    assert attachment.uploaded_by == member


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", b"just text pretending to be a PDF"),
        ("rapport.pdf", png_bytes()),  # a real image, misnamed
        ("script.exe", b"MZ\x90\x00"),
        ("notat.txt", b"hello"),
        ("side.html", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_attachments_are_checked_by_content(member, sector, name, content):
    case = create(member, sector)

    with pytest.raises(ValidationError):
        services.attachment_add(case=case, user=member, file=upload(name, content), title="X")

    assert not CaseAttachment.objects.exists()


def test_attachments_are_size_limited(member, sector):
    case = create(member, sector)
    big = upload("stor.pdf", pdf_bytes() + b"0" * (10 * 1024 * 1024))

    with pytest.raises(ValidationError):
        services.attachment_add(case=case, user=member, file=big, title="For stor")


def test_another_member_may_not_attach_or_delete(member, other_member, sector):
    case = create(member, sector)
    attachment = services.attachment_add(
        case=case, user=member, file=upload("a.pdf", pdf_bytes()), title="A"
    )

    with pytest.raises(PermissionDenied):
        services.attachment_add(
            case=case, user=other_member, file=upload("b.pdf", pdf_bytes()), title="B"
        )
    with pytest.raises(PermissionDenied):
        services.attachment_delete(attachment=attachment, user=other_member)


def test_deleting_an_attachment_removes_its_file_after_commit(
    member, sector, django_capture_on_commit_callbacks
):
    case = create(member, sector)
    attachment = services.attachment_add(
        case=case, user=member, file=upload("a.pdf", pdf_bytes()), title="A"
    )
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(attachment=attachment, user=member)

    assert not storage.exists(name)
    assert not CaseAttachment.objects.exists()


def test_for_organisation_lists_lead_and_partner_cases(member):
    other = OrganisationFactory()
    lead = CaseFactory(organisation=other)
    partner = CaseFactory()
    partner.partners.add(other)
    CaseFactory(organisation=other, status=Status.DRAFT, published_at=None)
    CaseFactory()

    assert set(Case.objects.for_organisation(other)) == {lead, partner}


def test_a_slug_clash_at_the_last_moment_is_retried(member, sector, monkeypatch):
    create(member, sector)
    # Simulate a concurrent request that took the slug after we looked.
    monkeypatch.setattr(publishing, "unique_slug", lambda *args, **kw: "solceller-paa-skolerne")

    case = create(member, sector)

    assert case.slug.startswith("solceller-paa-skolerne-")
    assert Case.objects.count() == 2


def test_only_published_cases_are_in_the_search_index(member, moderator, sector):
    from komvidere import search
    from komvidere.models import SearchEntry

    case = create(member, sector, tags=["solceller"], submit=True)
    assert not SearchEntry.objects.exists()

    services.case_publish(case=case, user=moderator)
    entry = SearchEntry.objects.get()
    assert entry.kind == "case"
    assert entry.url == case.get_absolute_url()
    assert "solceller" in entry.tags
    assert list(search.search("skolerne")) == [entry]

    services.case_update(case=case, editor=member, title="Solceller på rådhuset")
    assert SearchEntry.objects.get().title == "Solceller på rådhuset"

    services.case_archive(case=case, user=moderator)
    assert not SearchEntry.objects.exists()


def test_the_database_refuses_a_featured_draft(member, sector):
    from django.db import IntegrityError, transaction

    case = create(member, sector)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(featured=True)
    assert not Case.objects.filter(featured=True).exists()
