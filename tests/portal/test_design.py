"""The look and the law: header and footer, the accessibility statement, transcripts, lang."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from tests.factories import ArticleFactory, CaseFactory, DilemmaFactory

pytestmark = pytest.mark.django_db


@override_settings(
    SERVICE_OWNER_NAME="Region Syddanmark",
    SERVICE_OWNER_ADDRESS="Damhaven 12, 7100 Vejle",
    SERVICE_OWNER_PHONE="+45 7663 1000",
    SERVICE_OWNER_EMAIL="klima@rsyd.dk",
)
def test_the_footer_names_the_responsible_authority_on_every_page(client, member_client):
    for response in (client.get("/accounts/login/"), member_client.get("/")):
        html = response.content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        assert "Region Syddanmark" in footer
        assert "Damhaven 12, 7100 Vejle" in footer
        assert 'href="tel:+4576631000"' in footer
        assert 'href="mailto:klima@rsyd.dk"' in footer


def test_the_statement_link_is_ours_until_the_official_one_is_set(client):
    html = client.get("/accounts/login/").content.decode()
    assert f'href="{reverse("portal:accessibility")}"' in html
    with override_settings(ACCESSIBILITY_STATEMENT_URL="https://www.was.digst.dk/komvidere-dk"):
        html = client.get("/accounts/login/").content.decode()
    assert 'href="https://www.was.digst.dk/komvidere-dk">Tilgængelighedserklæring' in html


@override_settings(
    SERVICE_OWNER_PHONE="+45 3370 3370",
    SERVICE_OWNER_EMAIL="support@komvidere.dk",
    ACCESSIBILITY_STATEMENT_DATE="2026-11-30",
)
def test_the_accessibility_statement_has_the_parts_the_law_asks_for(client):
    response = client.get(reverse("portal:accessibility"))  # no login needed
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    for part in (
        "Overholdelsesstatus",
        "overholder delvist",
        "Indhold, der ikke er tilgængeligt",
        "30. november 2026",  # the date
        'href="mailto:support@komvidere.dk"',  # written contact
        'href="tel:+4533703370"',  # phone contact
        "Digitaliseringsstyrelsen",  # the complaint route
        "20 16 36 12",
    ):
        assert part in main, part


def test_a_bad_statement_date_leaves_the_date_out_rather_than_failing(client):
    with override_settings(ACCESSIBILITY_STATEMENT_DATE="not a date"):
        response = client.get(reverse("portal:accessibility"))
    assert response.status_code == 200
    assert "sidst gennemgået" not in response.content.decode()


def test_the_header_has_a_menu_button_and_the_tag_index(member_client):
    html = member_client.get("/").content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert '<details class="menu">' in header
    assert '<summary class="menu__button">' in header
    assert f'href="{reverse("portal:tag_list")}"' in header
    assert '<nav class="main-nav" aria-label="Hovedmenu">' in header


def test_podcast_transcript_under_the_player(member_client):
    podcast = ArticleFactory(
        kind="podcast",
        media_url="https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
        transcript="**Vært:** Velkommen til afsnittet om <script>x</script>varmeplaner.",
    )
    html = member_client.get(podcast.get_absolute_url()).content.decode()
    assert "Læs afsnittet som tekst" in html
    assert "<strong>Vært:</strong> Velkommen til afsnittet" in html
    assert "<script>x" not in html
    assert html.index("embed__frame") < html.index('id="transcript"')

    guide = ArticleFactory(kind="guide", transcript="Ikke vist")
    assert "Ikke vist" not in member_client.get(guide.get_absolute_url()).content.decode()


def test_content_carries_its_own_language_in_english_mode(member_client):
    case = CaseFactory(title="Fjernvarme i Thisted", language="da")
    dilemma = DilemmaFactory(title="Hvordan når vi borgerne?", language="da")
    english = ArticleFactory(title="Heat planning in Europe", language="en")
    member_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    with translation.override("en"):
        case_html = member_client.get(case.get_absolute_url()).content.decode()
        thread_html = member_client.get(dilemma.get_absolute_url()).content.decode()
        article_html = member_client.get(english.get_absolute_url()).content.decode()
    assert '<html lang="en">' in case_html
    assert '<h1 lang="da">Fjernvarme i Thisted</h1>' in case_html
    assert '<h1 lang="da">Hvordan når vi borgerne?</h1>' in thread_html
    assert '<h1 lang="en">Heat planning in Europe</h1>' in article_html


def test_organisations_show_what_they_have_shared_not_zero_counts(member_client):
    from accounts.models import Organisation

    silkeborg = Organisation.objects.get(slug="silkeborg")
    CaseFactory(organisation=silkeborg)
    CaseFactory(organisation=silkeborg)
    CaseFactory(organisation=silkeborg, status="draft", published_at=None)
    DilemmaFactory(organisation=silkeborg)
    DilemmaFactory(organisation=silkeborg, anonymous=True)  # would reveal who asked

    html = member_client.get(reverse("accounts:organisation_list")).content.decode()

    entry = html[html.index(f'href="{silkeborg.get_absolute_url()}"') :].split("</li>", 1)[0]
    assert "2 cases · 1 dilemma" in entry
    assert "0 medlemmer" not in html and "0 cases" not in html
    assert "Intet delt endnu" in html  # an organisation that has shared nothing says so
