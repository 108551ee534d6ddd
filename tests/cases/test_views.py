"""The pages: the permission ladder, the form, moderation, files and the CSV export."""

import csv
import io

import pytest
from django.core import mail
from django.test import Client

from cases import services
from cases.models import Case, CaseAttachment, Status
from komvidere import search
from tests.cases.conftest import case_form_data, pdf_bytes, png_bytes, upload
from tests.factories import CaseFactory, UserFactory, silkeborg
from tests.helpers import count_h1


@pytest.fixture
def draft(member, sector):
    return CaseFactory(
        author=member, status=Status.DRAFT, published_at=None, sectors=[sector], title="Udkast"
    )


@pytest.fixture
def published(member, sector):
    return CaseFactory(author=member, sectors=[sector], title="Offentliggjort case")


# --- the ladder -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/cases/", "/cases/new/", "/cases/review/", "/cases/export.csv"])
def test_a_visitor_is_sent_to_login(client, db, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_visitor_is_sent_to_login_from_a_case_and_its_files(client, published):
    attachment = services.attachment_add(
        case=published, user=published.author, file=upload("a.pdf", pdf_bytes()), title="A"
    )
    for path in [
        published.get_absolute_url(),
        published.get_edit_url(),
        attachment.get_absolute_url(),
    ]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_member_sees_published_cases_and_only_their_own_drafts(
    member_client, other_member, draft, published
):
    others_draft = CaseFactory(
        author=other_member, status=Status.DRAFT, published_at=None, title="Andres udkast"
    )

    listed = member_client.get("/cases/").context["cases"]
    assert list(listed) == [published]

    mine = member_client.get("/cases/?mine=1").context["cases"]
    assert set(mine) == {draft, published}

    assert member_client.get(draft.get_absolute_url()).status_code == 200
    assert member_client.get(others_draft.get_absolute_url()).status_code == 404
    assert member_client.get(others_draft.get_edit_url()).status_code == 404


def test_the_author_may_edit_another_member_may_not(member_client, other_member, published):
    other = Client()
    other.force_login(other_member)

    assert member_client.get(published.get_edit_url()).status_code == 200
    assert other.get(published.get_edit_url()).status_code == 403
    data = case_form_data([s.pk for s in published.sectors.all()], silkeborg().pk)
    assert other.post(published.get_edit_url(), {**data, "title": "Overtaget"}).status_code == 403
    published.refresh_from_db()
    assert published.title == "Offentliggjort case"

    response = member_client.post(published.get_edit_url(), {**data, "title": "Ny titel"})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.title == "Ny titel"
    assert (
        published.revisions.get(history_change_reason="edit").editor.email == published.author.email
    )


def test_a_member_cannot_moderate(member_client, draft):
    for path in ["publish", "archive", "unpublish", "feature", "review"]:
        response = member_client.post(f"{draft.get_absolute_url()}{path}/")
        assert response.status_code == 403, path
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_moderator_reviews_and_publishes(
    moderator_client, member_client, member, sector, django_capture_on_commit_callbacks
):
    data = case_form_data([sector.pk], silkeborg().pk, action="submit")
    response = member_client.post("/cases/new/", data)
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.status == Status.SUBMITTED

    queue = moderator_client.get("/cases/review/")
    assert list(queue.context["submitted"]) == [case]
    detail = moderator_client.get(case.get_absolute_url())
    assert detail.status_code == 200
    assert 'action="/cases/varmepumper-i-landsbyerne/publish/"' in detail.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(f"{case.get_absolute_url()}publish/")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.PUBLISHED
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert case in member_client.get("/cases/").context["cases"]

    moderator_client.post(f"{case.get_absolute_url()}feature/", {"featured": "1"})
    case.refresh_from_db()
    assert case.featured

    response = moderator_client.post(
        f"{case.get_absolute_url()}review/",
        {"last_reviewed_at": "2025-01-15", "review_due": "2026-01-15"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.review_due.isoformat() == "2026-01-15"

    moderator_client.post(f"{case.get_absolute_url()}archive/")
    case.refresh_from_db()
    assert case.status == Status.ARCHIVED
    assert not case.featured
    assert case not in member_client.get("/cases/").context["cases"]


def test_bad_review_dates_show_an_error_on_the_detail_page(moderator_client, published):
    response = moderator_client.post(
        f"{published.get_absolute_url()}review/",
        {"last_reviewed_at": "2999-01-01", "review_due": "not a date"},
    )

    assert response.status_code == 200
    assert response.context["review_form"].errors
    assert count_h1(response) == 1
    published.refresh_from_db()
    assert published.review_due is None


def test_the_review_queue_shows_a_member_only_their_own_submissions(
    member_client, other_member, member
):
    mine = CaseFactory(author=member, status=Status.SUBMITTED, published_at=None)
    CaseFactory(author=other_member, status=Status.SUBMITTED, published_at=None)

    response = member_client.get("/cases/review/")

    assert response.status_code == 200
    assert list(response.context["submitted"]) == [mine]


def test_the_author_submits_and_withdraws_from_the_detail_page(member_client, draft):
    member_client.post(f"{draft.get_absolute_url()}submit/")
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED

    member_client.post(f"{draft.get_absolute_url()}withdraw/")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_actions_need_post(moderator_client, published):
    assert moderator_client.get(f"{published.get_absolute_url()}publish/").status_code == 405


# --- the form -------------------------------------------------------------------------------------


def test_create_a_case_with_two_sectors_and_tags(member_client, member, sectors):
    data = case_form_data([sectors["energi"].pk, sectors["bygninger"].pk], silkeborg().pk)

    response = member_client.post("/cases/new/", data)

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == case.get_edit_url()
    assert case.author == member
    assert case.status == Status.DRAFT
    assert set(case.sectors.values_list("slug", flat=True)) == {"energi", "bygninger"}
    assert sorted(case.tags.names()) == ["landsbyer", "varmepumper"]
    assert str(case.co2e_tonnes_per_year) == "120.5"


def test_the_form_explains_each_section_and_has_two_buttons(member_client):
    response = member_client.get("/cases/new/")

    html = response.content.decode()
    assert count_h1(response) == 1
    assert 'name="action" value="draft"' in html
    assert 'name="action" value="submit"' in html
    assert "What problem did you set out to solve?" in html or "Hvilket problem" in html
    assert html.count('class="form-group"') >= 6  # one fieldset per group
    assert response.context["form"]["organisation"].value() == silkeborg().pk


BAD_INPUT = [
    ({"year_start": "2024", "year_end": "2020"}, "year_end"),
    ({"year_start": "1200"}, "year_start"),
    ({"year_end": "99999999"}, "year_end"),
    ({"co2e_tonnes_per_year": "-5"}, "co2e_tonnes_per_year"),
    ({"co2e_tonnes_per_year": "mange"}, "co2e_tonnes_per_year"),
    ({"budget_dkk": "-1"}, "budget_dkk"),
    ({"budget_dkk": "1" + "0" * 30}, "budget_dkk"),
    ({"title": "<script>alert(1)</script>"}, "title"),
    ({"summary": "Læs <b>her</b>"}, "summary"),
    ({"title": "Nul\x00byte"}, "title"),
    ({"challenge": "Nul\x00byte"}, "challenge"),
    ({"title": ""}, "title"),
    ({"title": "x" * 500}, "title"),
    ({"summary": "x" * 501}, "summary"),
    ({"sectors": []}, "sectors"),
    ({"sectors": ["999999"]}, "sectors"),
    ({"partners": ["999999"]}, "partners"),
    ({"organisation": "abc"}, "organisation"),
    ({"origin": "alien"}, "origin"),
    ({"contact_email": "ikke en adresse"}, "contact_email"),
    ({"tags": "a" * 80}, "tags"),
    ({"tags": ",".join(f"t{i}" for i in range(30))}, "tags"),
    ({"related_cases": ["999999"]}, "related_cases"),
]


@pytest.mark.parametrize(("change", "field"), BAD_INPUT, ids=[f for _c, f in BAD_INPUT])
def test_bad_input_gives_a_form_error_keeps_the_input_and_saves_nothing(
    member_client, sector, change, field
):
    data = case_form_data([sector.pk], silkeborg().pk, action="submit", **change)
    data["lessons_learned"] = "Det her skal ikke gå tabt 🌱"

    response = member_client.post("/cases/new/", data)

    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    html = response.content.decode()
    assert "error-summary" in html
    assert "Det her skal ikke gå tabt 🌱" in html
    assert not Case.objects.exists()
    assert not Case.revisions.exists()


def test_bad_input_on_edit_changes_nothing(member_client, published, sector):
    data = case_form_data([sector.pk], silkeborg().pk, year_start="2024", year_end="2020")

    response = member_client.post(published.get_edit_url(), {**data, "title": "Ændret"})

    assert response.status_code == 200
    assert "year_end" in response.context["form"].errors
    published.refresh_from_db()
    assert published.title == "Offentliggjort case"
    assert not published.revisions.exists()
    assert "Offentliggjort case" in response.content.decode()  # the saved title, in the kicker


def test_a_cover_image_is_validated_and_served_privately(member_client, other_member, sector):
    data = case_form_data([sector.pk], silkeborg().pk)
    fake = upload("forside.png", b"not an image at all")
    response = member_client.post("/cases/new/", {**data, "action": "submit", "cover_image": fake})
    assert "cover_image" in response.context["form"].errors
    assert not Case.objects.exists()

    image = upload("forside.png", png_bytes(), "image/png")
    response = member_client.post("/cases/new/", {**data, "cover_image": image})
    case = Case.objects.get()
    assert case.cover_image.name.startswith(f"cases/{case.pk}/cover/")

    response = member_client.get(f"{case.get_absolute_url()}cover/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    other = Client()
    other.force_login(other_member)
    assert other.get(f"{case.get_absolute_url()}cover/").status_code == 404  # a draft


def test_a_misnamed_cover_image_is_refused(member_client, sector):
    data = case_form_data([sector.pk], silkeborg().pk)
    image = upload("forside.jpg", png_bytes(), "image/jpeg")

    response = member_client.post("/cases/new/", {**data, "action": "submit", "cover_image": image})

    assert "cover_image" in response.context["form"].errors
    assert not Case.objects.exists()


# --- links and attachments ------------------------------------------------------------------------


def test_attach_download_and_delete_a_file(member_client, other_member, draft):
    response = member_client.post(
        f"{draft.get_absolute_url()}attachments/add/",
        {"title": "Evaluering", "file": upload("evaluering.pdf", pdf_bytes())},
    )
    assert response.status_code == 302
    attachment = CaseAttachment.objects.get()

    response = member_client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == pdf_bytes()

    other = Client()
    other.force_login(other_member)
    assert other.get(attachment.get_absolute_url()).status_code == 404  # a draft of another
    assert (
        other.post(f"{draft.get_absolute_url()}attachments/{attachment.pk}/delete/").status_code
        == 404
    )

    member_client.post(f"{draft.get_absolute_url()}attachments/{attachment.pk}/delete/")
    assert not CaseAttachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", b"This is a text file, whatever its name says."),
        ("billede.exe", b"MZ\x90\x00\x03"),
        ("kort.png", pdf_bytes()),
    ],
)
def test_a_wrong_type_attachment_gives_a_form_error(member_client, draft, name, content):
    response = member_client.post(
        f"{draft.get_absolute_url()}attachments/add/",
        {"title": "Bilag med titel", "file": upload(name, content)},
    )

    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert 'value="Bilag med titel"' in response.content.decode()
    assert count_h1(response) == 1
    assert not CaseAttachment.objects.exists()


def test_a_20_mb_attachment_gives_a_form_error(member_client, draft):
    big = upload("stor.pdf", pdf_bytes() + b"0" * (20 * 1024 * 1024))

    response = member_client.post(
        f"{draft.get_absolute_url()}attachments/add/", {"title": "Stor", "file": big}
    )

    assert response.status_code == 200
    assert "10" in response.context["form"].errors["file"][0]
    assert not CaseAttachment.objects.exists()


def test_add_and_remove_a_link(member_client, draft):
    bad = member_client.post(
        f"{draft.get_absolute_url()}links/add/", {"title": "Rapport", "url": "javascript:alert(1)"}
    )
    assert bad.status_code == 200
    assert "url" in bad.context["form"].errors

    member_client.post(
        f"{draft.get_absolute_url()}links/add/",
        {"title": "Rapport", "url": "https://www.silkeborg.dk/rapport"},
    )
    link = draft.links.get()
    assert link.url == "https://www.silkeborg.dk/rapport"
    member_client.post(f"{draft.get_absolute_url()}links/{link.pk}/delete/")
    assert not draft.links.exists()


# --- the detail page ------------------------------------------------------------------------------


def test_the_detail_page_shows_sections_figures_and_facts(member_client, published, sectors):
    published.challenge = "Et **svært** problem"
    published.results = ""
    published.co2e_tonnes_per_year = 1234
    published.contact_name = "Mette Kjær"
    published.save()
    published.tags.add("fjernvarme")
    related = CaseFactory(title="Beslægtet case")
    published.related_cases.add(related)

    response = member_client.get(published.get_absolute_url())

    html = response.content.decode()
    assert count_h1(response) == 1
    assert "<strong>svært</strong>" in html
    assert 'id="section-challenge"' in html
    assert 'id="section-results"' not in html  # empty sections are left out
    assert "1.234" in html or "1,234" in html
    assert "Mette Kjær" in html
    assert "#fjernvarme" in html
    assert "Beslægtet case" in html
    assert published.get_edit_url() in html


def test_markdown_in_sections_is_rendered_safely(member_client, published):
    published.solution = (
        "<script>alert('x')</script>\n\n"
        "[klik](javascript:alert(1))\n\n"
        '<img src="x" onerror="alert(1)">\n\n'
        '<a href="https://example.org" onclick="alert(1)">ok</a>'
    )
    published.save()

    html = member_client.get(published.get_absolute_url()).content.decode()
    body = html.split('id="section-solution"')[1].split("</section>")[0]

    assert "<script" not in body
    assert "javascript:" not in body
    assert "onerror" not in body
    assert "onclick" not in body
    assert 'href="https://example.org"' in body


# --- the list -------------------------------------------------------------------------------------


def test_sorting(member_client):
    small = CaseFactory(title="B lille", co2e_tonnes_per_year=10)
    big = CaseFactory(title="A stor", co2e_tonnes_per_year=5000)
    unknown = CaseFactory(title="C ukendt", co2e_tonnes_per_year=None)

    def order(sort):
        return list(member_client.get(f"/cases/?sort={sort}").context["cases"])

    assert order("co2e") == [big, small, unknown]
    assert order("title") == [big, small, unknown]
    assert order("newest") == [unknown, big, small]
    assert order("nonsense")  # an unknown sort falls back, never fails


def test_the_text_filter(member_client):
    heat = CaseFactory(title="Fjernvarme i Hinnerup", summary="x", solution="")
    CaseFactory(title="Cykelstier", summary="x", solution="")
    in_section = CaseFactory(title="Andet", summary="x", solution="Vi udbyggede fjernvarmen")
    search.rebuild()  # factories write no search entries; the text filter is the search

    found = member_client.get("/cases/?q=fjernvarme").context["cases"]

    assert set(found) == {heat, in_section}


def test_pagination_is_20_a_page_and_a_bad_page_is_404(member_client):
    CaseFactory.create_batch(25)

    assert len(member_client.get("/cases/").context["cases"]) == 20
    assert len(member_client.get("/cases/?page=2").context["cases"]) == 5
    assert member_client.get("/cases/?page=9").status_code == 404
    assert member_client.get("/cases/?page=abc").status_code == 404


# --- CSV export -----------------------------------------------------------------------------------


def read_csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_csv_export_uses_the_list_filters(member_client, sectors):
    energy = CaseFactory(title="Energi-case", sectors=[sectors["energi"]], tags=["sol"])
    CaseFactory(title="Transport-case", sectors=[sectors["transport"]])
    CaseFactory(title="Udkast", sectors=[sectors["energi"]], status=Status.DRAFT, published_at=None)

    response = member_client.get("/cases/export.csv?sector=energi")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert len(rows) == 2  # the header and one case
    header, row = rows
    assert row[header.index(header[0])] == energy.title
    assert "sol" in row
    assert energy.get_absolute_url() in row[1]


def test_csv_export_neutralises_formulas(member_client):
    CaseFactory(
        title='=HYPERLINK("https://evil.example")',
        summary="+SUM(A1:A9)",
        contact_name="@navn",
        contact_email="",
    )
    CaseFactory(title="-2+3", summary="Almindelig tekst")

    rows = read_csv(member_client.get("/cases/export.csv?sort=title"))

    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("https://evil.example")' in cells
    assert "'+SUM(A1:A9)" in cells
    assert "'@navn" in cells
    assert "'-2+3" in cells
    assert "Almindelig tekst" in cells
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)


def test_every_case_page_has_one_h1(member_client, moderator_client, published, draft):
    for client in (member_client, moderator_client):
        for path in [
            "/cases/",
            "/cases/?mine=1",
            "/cases/new/",
            "/cases/review/",
            published.get_absolute_url(),
            published.get_edit_url(),
            draft.get_absolute_url(),
            f"{draft.get_absolute_url()}links/add/",
            f"{draft.get_absolute_url()}attachments/add/",
        ]:
            response = client.get(path)
            assert response.status_code == 200, path
            assert count_h1(response) == 1, path


def test_a_moderator_may_edit_any_case_and_see_drafts(moderator_client, draft):
    assert moderator_client.get(draft.get_absolute_url()).status_code == 200
    assert moderator_client.get(draft.get_edit_url()).status_code == 200


def test_an_unverified_or_inactive_user_gets_nothing(db, published):
    inactive = UserFactory(is_active=False)
    client = Client()
    client.force_login(inactive)

    assert client.get("/cases/").status_code == 302


def test_organisation_and_person_sections_list_published_cases(member, draft):
    from django.template.loader import render_to_string

    from cases import registration
    from tests.factories import OrganisationFactory

    partner = OrganisationFactory(short_name="Partnerby", slug="partnerby")
    lead = CaseFactory(author=member, title="Ledet af Silkeborg")
    shared = CaseFactory(title="Med Partnerby som partner")
    shared.partners.add(partner)

    context = registration.organisation_context(silkeborg(), member)
    assert set(context["cases"]) == {lead, shared}  # not the draft
    assert registration.organisation_context(partner, member)["cases"] == [shared]
    html = render_to_string("cases/includes/organisation_section.html", {"section": context})
    assert "Ledet af Silkeborg" in html
    assert "?organisation=silkeborg" in html

    context = registration.person_context(member, member)
    assert context["cases"] == [lead]
    html = render_to_string("cases/includes/person_section.html", {"section": context})
    assert lead.title in html


def test_the_text_filter_highlights_the_words_found(member_client):
    from komvidere import search

    CaseFactory(title="Varmepumper i landsbyerne", summary="Fælles varmepumper til 40 huse.")
    CaseFactory(title="Cykelstier", summary="Nye stier langs vejen.")
    search.rebuild()

    html = member_client.get("/cases/", {"q": "varmepumpe"}).content.decode()

    assert "<mark>varmepumper</mark>" in html.lower()
    assert "Cykelstier" not in html


def test_csv_export_opens_in_danish_excel(member_client):
    CaseFactory(
        title="Grøn omstilling på Ærø",
        co2e_tonnes_per_year="12.5",
        budget_dkk=2_500_000,
        challenge="Øens færger kørte på diesel.\nNu: el.",
        lessons_learned="Start tidligt; tal med borgerne.",
    )
    response = member_client.get("/cases/export.csv")
    raw = response.content
    assert raw.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    header, row = read_csv(response)
    assert len(header) == len(row) > 20
    assert row[0] == "Grøn omstilling på Ærø"
    assert "12,5" in row and "2500000" in row
    assert "Øens færger kørte på diesel.\nNu: el." in row
    assert "Start tidligt; tal med borgerne." in row  # a ";" in a text stays inside its cell
