"""Members link the cases that answer a dilemma, from the thread and from the case page:
the services, the pages (with and without JavaScript), who may remove a link, the
notifications and the query budgets."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import Notification
from dilemmas import services
from dilemmas.models import Dilemma
from dilemmas.registration import DilemmaNotification
from komvidere.models import Sector
from tests.factories import CaseFactory, DilemmaFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(settings):
    """The messages are asserted as written; tests/test_language.py checks the Danish."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


@pytest.fixture
def case(db):
    return CaseFactory(title="Borgerpanel om vindmøller i Silkeborg", slug="borgerpanel-vind")


@pytest.fixture
def sectors_energi(db):
    return Sector.objects.get(slug="energi")


def linked_pks(dilemma) -> set[int]:
    return set(dilemma.related_cases.values_list("pk", flat=True))


def link_url(dilemma) -> str:
    return f"/dilemmas/{dilemma.pk}/cases/"


def case_link_url(case) -> str:
    return f"/dilemmas/answered-by/{case.slug}/"


def unlink_url(dilemma, case) -> str:
    return f"/dilemmas/{dilemma.pk}/cases/{case.pk}/remove/"


def section(html: str, anchor: str) -> str:
    """The HTML of the <section id=anchor> (up to its closing tag)."""
    start = html.index(f'id="{anchor}"')
    return html[start : html.index("</section>", start)]


# --- Services ------------------------------------------------------------------------------------


def test_a_member_links_a_case_and_the_asker_is_told_who_did(dilemma, member, other_member, case):
    assert services.dilemma_link_case(user=other_member, dilemma=dilemma, case=case) is True

    assert linked_pks(dilemma) == {case.pk}
    notification = Notification.objects.get(recipient=member)
    assert notification.kind == DilemmaNotification.CASE_LINKED
    assert notification.actor == other_member
    assert case.title in notification.title and dilemma.title in notification.title
    assert notification.url == f"{dilemma.get_absolute_url()}#answering-cases"
    assert not Notification.objects.filter(recipient=other_member).exists()
    inbox = client_for(member).get("/notifications/").content.decode()
    assert "Ole Andersen (Silkeborg):" in inbox
    # The link is a revision of the thread: who linked which case stays on record.
    revision = dilemma.revisions.latest("history_date")
    assert revision.history_change_reason == "related"
    assert revision.history_user == other_member


def test_followers_hear_of_the_link_too(dilemma, member, other_member, case):
    follower = UserFactory(name="Frida Følger")
    services.dilemma_follow(user=follower, dilemma=dilemma)

    services.dilemma_link_case(user=other_member, dilemma=dilemma, case=case)

    told = Notification.objects.get(recipient=follower)
    assert told.kind == DilemmaNotification.CASE_LINKED_FOLLOWED
    assert told.actor == other_member
    # The asker follows their own thread but gets one notification, the one for askers.
    assert Notification.objects.filter(recipient=member).count() == 1


def test_the_asker_linking_is_not_told_and_an_anonymous_asker_stays_unnamed(
    member, other_member, case
):
    dilemma = services.dilemma_create(
        author=member, kind="question", title="Anonymt spørgsmål", body="B", anonymous=True
    )
    services.dilemma_follow(user=other_member, dilemma=dilemma)

    services.dilemma_link_case(user=member, dilemma=dilemma, case=case)

    assert not Notification.objects.filter(recipient=member).exists()
    assert Notification.objects.get(recipient=other_member).actor is None


def test_a_duplicate_link_is_harmless(dilemma, member, other_member, case):
    services.dilemma_link_case(user=other_member, dilemma=dilemma, case=case)

    assert services.dilemma_link_case(user=other_member, dilemma=dilemma, case=case) is False

    assert linked_pks(dilemma) == {case.pk}
    assert Notification.objects.filter(recipient=member).count() == 1


@pytest.mark.parametrize("status", ["draft", "submitted", "archived"])
def test_only_published_cases_can_be_linked(dilemma, member, status):
    case = CaseFactory(status=status, author=member)

    with pytest.raises(ValidationError) as error:
        services.dilemma_link_case(user=member, dilemma=dilemma, case=case)

    assert "Only published cases can be linked" in " ".join(error.value.messages)
    assert linked_pks(dilemma) == set()


def test_a_hidden_or_deleted_dilemma_cannot_be_linked(dilemma, member, other_member, moderator):
    case = CaseFactory()
    services.dilemma_set_hidden(user=moderator, dilemma=dilemma, hidden=True)
    with pytest.raises(PermissionDenied):
        services.dilemma_link_case(user=other_member, dilemma=dilemma, case=case)
    services.dilemma_set_hidden(user=moderator, dilemma=dilemma, hidden=False)
    services.dilemma_delete(user=member, dilemma=dilemma)
    with pytest.raises(ValidationError):
        services.dilemma_link_case(user=other_member, dilemma=dilemma, case=case)
    assert linked_pks(dilemma) == set()


def test_only_moderators_remove_links(dilemma, other_member, moderator, case):
    services.dilemma_link_case(user=other_member, dilemma=dilemma, case=case)

    with pytest.raises(PermissionDenied):  # not even the member who made the link
        services.dilemma_unlink_case(user=other_member, dilemma=dilemma, case=case)
    assert linked_pks(dilemma) == {case.pk}

    assert services.dilemma_unlink_case(user=moderator, dilemma=dilemma, case=case) is True
    assert linked_pks(dilemma) == set()
    assert services.dilemma_unlink_case(user=moderator, dilemma=dilemma, case=case) is False


# --- From the thread -----------------------------------------------------------------------------


def test_visitors_are_sent_to_log_in(dilemma, case):
    response = Client().post(link_url(dilemma), {"cases": [case.pk]})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert linked_pks(dilemma) == set()


def test_linking_from_the_thread_shows_on_both_pages(dilemma, other_member, case):
    client = client_for(other_member)
    thread = client.get(dilemma.get_absolute_url()).content.decode()
    form = section(thread, "answering-cases")
    assert 'data-autocomplete-url="/cases/suggest/cases/"' in form
    assert '<label class="autocomplete__label" for="id_cases_add">' in form

    # With JavaScript the suggestion ticks a checkbox with the case's id.
    response = client.post(link_url(dilemma), {"cases": [case.pk]}, follow=True)

    assert response.redirect_chain[-1][0] == f"{dilemma.get_absolute_url()}#answering-cases"
    html = response.content.decode()
    assert "is now linked as an answer" in html
    assert case.get_absolute_url() in section(html, "answering-cases")
    case_page = client.get(case.get_absolute_url()).content.decode()
    assert dilemma.get_absolute_url() in section(case_page, "answered-dilemmas")


def test_linked_items_come_first_in_the_related_boxes(dilemma, other_member, sectors_energi):
    dilemma.sectors.set([sectors_energi])
    # Cases that share a sector are related anyway; the linked one comes first.
    for n in range(3):
        CaseFactory(title=f"Sektorfælle {n}", sectors=[sectors_energi])
    linked = CaseFactory(title="Den der svarer")
    services.dilemma_link_case(user=other_member, dilemma=dilemma, case=linked)
    client = client_for(other_member)

    thread = client.get(dilemma.get_absolute_url())
    case_page = client.get(linked.get_absolute_url())

    assert thread.context["related"][0] == linked
    assert case_page.context["related"][0] == dilemma
    assert len(thread.context["related"]) == 4


@pytest.mark.parametrize(
    "typed",
    [
        "Borgerpanel om vindmøller i Silkeborg",
        "  borgerpanel OM vindmøller i silkeborg ",
        "borgerpanel-vind",
        "https://komvidere.dk/cases/borgerpanel-vind/",
    ],
)
def test_without_javascript_a_typed_title_slug_or_address_is_looked_up(
    dilemma, other_member, case, typed
):
    response = client_for(other_member).post(link_url(dilemma), {"cases_add": typed})

    assert response.status_code == 302
    assert linked_pks(dilemma) == {case.pk}


def _field_error(html: str, field: str) -> str:
    start = html.index(f'<ul class="field__errors" id="id_{field}_error">')
    return html[start : html.index("</ul>", start)]


def test_an_unknown_title_is_an_error_next_to_the_field_with_the_text_kept(
    dilemma, other_member, case
):
    response = client_for(other_member).post(link_url(dilemma), {"cases_add": "Solceller på <b>"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Not found: “Solceller på &lt;b&gt;”" in _field_error(html, "cases")
    box = html[html.index('id="id_cases_add"') - 60 : html.index('id="id_cases_add"') + 400]
    assert 'value="Solceller på &lt;b&gt;"' in box
    assert 'aria-describedby="id_cases_error id_cases_addhelp"' in box
    assert 'aria-invalid="true"' in box
    assert 'class="error-summary"' in html
    assert linked_pks(dilemma) == set()


def test_an_ambiguous_title_is_an_error_next_to_the_field_with_the_text_kept(dilemma, other_member):
    CaseFactory(title="Varmeplan 2030")
    CaseFactory(title="Varmeplan 2030")

    response = client_for(other_member).post(link_url(dilemma), {"cases_add": "Varmeplan 2030"})

    html = response.content.decode()
    assert "matches more than one" in _field_error(html, "cases")
    assert 'value="Varmeplan 2030"' in html
    assert linked_pks(dilemma) == set()


def test_a_draft_case_is_refused_with_a_message(dilemma, other_member):
    draft = CaseFactory(title="Mit udkast om vind", status="draft", author=other_member)
    client = client_for(other_member)

    # The author can see their own draft: they are told why it cannot be linked.
    response = client.post(link_url(dilemma), {"cases_add": "Mit udkast om vind"})
    assert "Only published cases can be linked: “Mit udkast om vind” is not published." in (
        _field_error(response.content.decode(), "cases")
    )
    # Someone else's draft, sent by its id, is no valid choice.
    response = client_for(UserFactory()).post(link_url(dilemma), {"cases": [draft.pk]})
    assert response.status_code == 200
    assert 'id="id_cases_error"' in response.content.decode()
    assert linked_pks(dilemma) == set()


def test_linking_twice_from_the_thread_says_so_kindly(dilemma, other_member, case):
    client = client_for(other_member)
    client.post(link_url(dilemma), {"cases": [case.pk]})

    response = client.post(link_url(dilemma), {"cases": [case.pk]}, follow=True)

    assert response.status_code == 200
    assert "was already linked to" in response.content.decode()
    assert linked_pks(dilemma) == {case.pk}


def test_a_hidden_thread_is_a_404_for_members(dilemma, other_member, moderator, case):
    services.dilemma_set_hidden(user=moderator, dilemma=dilemma, hidden=True)

    response = client_for(other_member).post(link_url(dilemma), {"cases": [case.pk]})

    assert response.status_code == 404
    assert linked_pks(dilemma) == set()


def test_linking_needs_the_csrf_token(dilemma, other_member, case):
    client = client_for(other_member, enforce_csrf_checks=True)

    assert client.post(link_url(dilemma), {"cases": [case.pk]}).status_code == 403
    assert client.post(case_link_url(case), {"dilemmas": [dilemma.pk]}).status_code == 403
    assert linked_pks(dilemma) == set()


# --- From the case -------------------------------------------------------------------------------


def test_linking_from_the_case_page_shows_on_both_pages(dilemma, other_member, case):
    client = client_for(other_member)
    page = client.get(case.get_absolute_url()).content.decode()
    form = section(page, "answered-dilemmas")
    assert f'action="{case_link_url(case)}"' in form
    assert 'data-autocomplete-url="/dilemmas/suggest/dilemmas/"' in form

    response = client.post(case_link_url(case), {"dilemmas": [dilemma.pk]}, follow=True)

    assert response.redirect_chain[-1][0] == f"{case.get_absolute_url()}#answered-dilemmas"
    assert dilemma.get_absolute_url() in section(response.content.decode(), "answered-dilemmas")
    thread = client.get(dilemma.get_absolute_url()).content.decode()
    assert case.get_absolute_url() in section(thread, "answering-cases")


@pytest.mark.parametrize("typed", ["title", "number", "address"])
def test_from_the_case_a_typed_title_number_or_address_is_looked_up(
    dilemma, other_member, case, typed
):
    text = {
        "title": dilemma.title.replace("Hvordan", "HVORDAN"),  # SQLite folds ASCII only
        "number": f"#{dilemma.pk}",
        "address": f"https://komvidere.dk/dilemmas/{dilemma.pk}/",
    }[typed]

    response = client_for(other_member).post(case_link_url(case), {"dilemmas_add": text})

    assert response.status_code == 302
    assert linked_pks(dilemma) == {case.pk}


def test_from_the_case_an_unknown_or_hidden_dilemma_is_an_error_with_the_text_kept(
    dilemma, other_member, moderator, case
):
    hidden = DilemmaFactory(title="Skjult tråd om vind")
    services.dilemma_set_hidden(user=moderator, dilemma=hidden, hidden=True)
    client = client_for(other_member)

    for text in ("Ingen tråd hedder sådan", "Skjult tråd om vind", f"#{hidden.pk}"):
        response = client.post(case_link_url(case), {"dilemmas_add": text})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Not found" in _field_error(html, "dilemmas")
        assert f'value="{text}"' in html
        assert html.count("<h1") == 1
    assert linked_pks(hidden) == set()
    assert linked_pks(dilemma) == set()


def test_a_draft_case_offers_no_link_form(member, dilemma):
    draft = CaseFactory(status="draft", author=member)
    client = client_for(member)

    assert 'id="answered-dilemmas"' not in client.get(draft.get_absolute_url()).content.decode()
    response = client.post(case_link_url(draft), {"dilemmas": [dilemma.pk]})
    assert "Only published cases can be linked to a dilemma" in response.content.decode()
    assert linked_pks(dilemma) == set()
    # Someone else's draft is not there at all.
    assert client_for(UserFactory()).get(case_link_url(draft)).status_code == 404


def test_the_dilemma_suggestions_offer_what_the_member_may_see(member_client, moderator):
    shown = DilemmaFactory(title="Varmepumper i landsbyer")
    hidden = DilemmaFactory(title="Varmepumper bag lukkede døre")
    services.dilemma_set_hidden(user=moderator, dilemma=hidden, hidden=True)

    results = member_client.get("/dilemmas/suggest/dilemmas/?q=varmepumper").json()["results"]

    assert [r["id"] for r in results] == [shown.pk]
    assert results[0]["label"] == "Varmepumper i landsbyer"
    assert member_client.get("/dilemmas/suggest/dilemmas/?q=").json() == {"results": []}
    assert Client().get("/dilemmas/suggest/dilemmas/?q=varme").status_code == 302


# --- Removing ------------------------------------------------------------------------------------


def test_a_member_sees_no_remove_button_and_is_refused(dilemma, member, other_member, case):
    services.dilemma_link_case(user=other_member, dilemma=dilemma, case=case)

    for user in (member, other_member):  # the asker, and the member who linked it
        client = client_for(user)
        assert "Remove link" not in client.get(dilemma.get_absolute_url()).content.decode()
        assert "Remove link" not in client.get(case.get_absolute_url()).content.decode()
        assert client.post(unlink_url(dilemma, case)).status_code == 403
    assert linked_pks(dilemma) == {case.pk}


def test_a_moderator_removes_a_link_from_either_page(dilemma, other_member, moderator, case):
    services.dilemma_link_case(user=other_member, dilemma=dilemma, case=case)
    client = client_for(moderator)
    thread = client.get(dilemma.get_absolute_url()).content.decode()
    assert f'action="{unlink_url(dilemma, case)}"' in section(thread, "answering-cases")

    response = client.post(unlink_url(dilemma, case), follow=True)

    assert response.redirect_chain[-1][0] == f"{dilemma.get_absolute_url()}#answering-cases"
    assert "is no longer linked to" in response.content.decode()
    assert linked_pks(dilemma) == set()

    services.dilemma_link_case(user=other_member, dilemma=dilemma, case=case)
    page = client.get(case.get_absolute_url()).content.decode()
    assert f'action="{unlink_url(dilemma, case)}"' in section(page, "answered-dilemmas")
    response = client.post(unlink_url(dilemma, case), {"back": "case"})
    assert response["Location"] == f"{case.get_absolute_url()}#answered-dilemmas"
    assert linked_pks(dilemma) == set()


def test_removing_needs_a_post(dilemma, moderator, case):
    assert client_for(moderator).get(unlink_url(dilemma, case)).status_code == 405


# --- Query budgets -------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_thread_lists_its_cases_in_a_fixed_number_of_queries(
    dilemma, other_member, django_assert_max_num_queries
):
    client = client_for(other_member)
    services.dilemma_link_case(user=other_member, dilemma=dilemma, case=CaseFactory())
    client.get(dilemma.get_absolute_url())  # warm: the session and the moderator flag
    one = _count(client, dilemma.get_absolute_url())
    for _n in range(7):
        services.dilemma_link_case(user=other_member, dilemma=dilemma, case=CaseFactory())

    with django_assert_max_num_queries(16):  # the budget of the thread page
        response = client.get(dilemma.get_absolute_url())

    assert len(response.context["answering_cases"]) == 8
    assert _count(client, dilemma.get_absolute_url()) == one


def test_the_case_page_lists_its_dilemmas_in_a_fixed_number_of_queries(
    other_member, case, django_assert_max_num_queries
):
    from tests.cases.test_facets import DETAIL_BUDGET

    client = client_for(other_member)
    first = DilemmaFactory()
    services.dilemma_link_case(user=other_member, dilemma=first, case=case)
    client.get(case.get_absolute_url())
    one = _count(client, case.get_absolute_url())
    for _n in range(7):
        services.dilemma_link_case(user=other_member, dilemma=DilemmaFactory(), case=case)

    with django_assert_max_num_queries(DETAIL_BUDGET + 1):  # + whether the member follows it
        response = client.get(case.get_absolute_url())

    html = response.content.decode()
    assert section(html, "answered-dilemmas").count('class="answer-links__item"') == 8
    assert _count(client, case.get_absolute_url()) == one
    assert Dilemma.objects.filter(related_cases=case).count() == 8


def test_a_moderators_link_to_a_hidden_thread_tells_nobody(dilemma, member, moderator, case):
    services.dilemma_set_hidden(user=moderator, dilemma=dilemma, hidden=True)

    assert services.dilemma_link_case(user=moderator, dilemma=dilemma, case=case) is True

    assert not Notification.objects.filter(kind__endswith="case_linked").exists()
