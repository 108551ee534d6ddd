"""Search: the query builder and ranking, on PostgreSQL (Danish full text) and SQLite."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from komvidere import search
from komvidere.models import SearchEntry

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Danish full-text search needs PostgreSQL"
)


def make_entries(*rows):
    """Entries as the content apps would index them: (title, body) or dicts."""
    content_type = ContentType.objects.get_for_model(SearchEntry)
    entries = []
    for i, row in enumerate(rows, start=1):
        fields = row if isinstance(row, dict) else {"title": row[0], "body": row[1]}
        fields.setdefault("kind", "case")
        fields.setdefault("url", f"/cases/item-{i}/")
        entries.append(
            SearchEntry(
                content_type=content_type,
                object_id=i,
                published_at=timezone.now(),
                **fields,
            )
        )
    SearchEntry.objects.bulk_create(entries)
    if search.is_postgres():
        SearchEntry.objects.update(document=search.DOCUMENT_VECTOR)


def titles(query, kind=None):
    return [entry.title for entry in search.search(query, kind)]


@pytest.mark.django_db
class TestTerms:
    @pytest.mark.parametrize(
        "query",
        [
            "'\"",
            "&|!():*",
            "a & b | !c:*",
            "x" * 10_000,
            "null\x00byte",
            "'; DROP TABLE komvidere_searchentry; --",
            "<script>alert(1)</script>",
            "🌍 klima 🌱",
            "   ",
        ],
    )
    def test_hostile_input_never_breaks_the_query(self, query):
        make_entries(("Klima og energi", "Tekst om klima"))
        list(search.search(query))  # evaluates the SQL: must not raise
        assert SearchEntry.objects.count() == 1

    def test_terms_keep_only_words_and_are_bounded(self):
        assert search.terms("Skybrud & |kommune:* 'x'") == ["skybrud", "kommune", "x"]
        assert len(search.terms("ord " * 100)) == search.MAX_TERMS
        assert all(len(t) <= search.MAX_TERM_LENGTH for t in search.terms("a" * 500))

    def test_empty_query_finds_nothing(self):
        make_entries(("Klima", ""))
        assert titles("") == []
        assert titles("&&&") == []

    def test_type_filter(self):
        make_entries(
            {"title": "Varmeplan", "kind": "case"},
            {"title": "Varmeplan spørgsmål", "kind": "dilemma"},
        )
        assert titles("varmeplan", "dilemma") == ["Varmeplan spørgsmål"]
        assert search.counts_by_kind("varmeplan") == {"case": 1, "dilemma": 1}


@postgres_only
@pytest.mark.django_db
class TestDanishFullText:
    def test_stemming_finds_inflected_forms(self):
        make_entries(("Samarbejde på tværs", "Alle kommunerne i regionen deltog"))
        assert titles("kommune") == ["Samarbejde på tværs"]
        assert titles("Kommunen") == ["Samarbejde på tværs"]

    def test_prefix_finds_danish_compounds(self):
        make_entries(("Skybrudssikring i Viborg", "Regnvand"), ("Cykelstier", "Trafik"))
        assert titles("skybrud") == ["Skybrudssikring i Viborg"]

    def test_typo_tolerance(self):
        make_entries(("Klimatilpasning langs Gudenåen", "Diger"), ("Biogas", "Gylle"))
        assert titles("Klimatilpasnig") == ["Klimatilpasning langs Gudenåen"]

    def test_title_match_ranks_above_body_match(self):
        make_entries(
            ("Borgerinddragelse i vindmøllesager", "Tekst"),
            ("Et andet emne", "Her står der lidt om vindmøller i teksten"),
        )
        assert titles("vindmølle") == [
            "Borgerinddragelse i vindmøllesager",
            "Et andet emne",
        ]

    def test_every_word_must_match(self):
        make_entries(("Fjernvarme i Silkeborg", ""), ("Fjernvarme i Aarhus", ""))
        assert titles("fjernvarme silkeborg") == ["Fjernvarme i Silkeborg"]

    def test_headline_marks_matches_and_is_sanitised(self, member_client):
        make_entries(
            {
                "title": "Biogas",
                "body": "Anlægget <script>alert(1)</script> leverer biogas til nettet",
                "url": "/cases/biogas/",
            }
        )
        html = member_client.get(reverse("portal:search"), {"q": "biogas"}).content.decode()
        assert "<mark>biogas</mark>" in html
        assert "<script>alert(1)</script>" not in html

    def test_spelling_suggestion(self):
        make_entries(("Klimatilpasning langs Gudenåen", ""))
        assert search.spelling_suggestion("klimatilpasnin gudenåen") is not None
        assert search.spelling_suggestion("klimatilpasning") is None

    def test_explain_uses_the_gin_index_on_10000_rows(self):
        words = [
            "energi",
            "transport",
            "landbrug",
            "affald",
            "bygninger",
            "vand",
            "borgere",
            "plan",
            "mål",
            "data",
        ]
        filler = [
            {
                "title": f"Emne {i} om {words[i % 10]}",
                "summary": f"Et resumé om {words[(i * 3) % 10]} og {words[(i * 7) % 10]}.",
                "body": " ".join(f"{words[(i + j) % 10]}{i % 97}" for j in range(30)),
            }
            for i in range(10_000)
        ]
        filler.append({"title": "Skybrudssikring", "body": "Regnvandsbassin"})
        make_entries(*filler)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE komvidere_searchentry")
        queryset = search.search("skybrud")
        plan = queryset.explain()
        assert "searchentry_document_gin" in plan
        assert [e.title for e in queryset] == ["Skybrudssikring"]


@pytest.mark.django_db
class TestSearchPage:
    def test_visitor_is_sent_to_login(self, client):
        response = client.get(reverse("portal:search"), {"q": "klima"})
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]

    def test_results_page(self, member_client, django_assert_max_num_queries):
        make_entries(*[(f"Klimaprojekt {i}", "Energi og klima") for i in range(30)])
        with django_assert_max_num_queries(8):
            response = member_client.get(reverse("portal:search"), {"q": "klimaprojekt"})
        assert response.status_code == 200
        assert response.context["total"] == 30
        assert len(response.context["results"]) == 20
        assert response.content.decode().count("<h1") == 1

    @pytest.mark.parametrize(
        "params",
        [
            {"q": "x" * 10_000},
            {"q": "\x00"},
            {"q": "'\"&|!():*"},
            {"q": "klima", "type": "nonsense"},
            {"q": "klima", "page": "999"},
            {"q": "klima", "page": "abc"},
        ],
    )
    def test_bad_input_never_500(self, member_client, params):
        make_entries(("Klima", "tekst"))
        response = member_client.get(reverse("portal:search"), params)
        assert response.status_code in (200, 404)

    def test_empty_result_suggests_broader_search(self, member_client):
        make_entries(("Fjernvarme", ""))
        response = member_client.get(reverse("portal:search"), {"q": "fjernvarme xyzzy"})
        assert response.context["total"] == 0
        assert response.context["broader"] == ["fjernvarme", "xyzzy"]


@pytest.mark.django_db
def test_drafts_and_hidden_items_never_appear(member):
    from dilemmas import services as dilemma_services
    from tests.factories import ArticleFactory, CaseFactory, ModeratorFactory

    published = CaseFactory(title="Varmeplan for Odder")
    draft = CaseFactory(title="Varmeplan i kladde", status="draft", published_at=None)
    archived = ArticleFactory(title="Varmeplan guide arkiveret", status="archived")
    dilemma = dilemma_services.dilemma_create(
        author=member,
        kind="question",
        title="Varmeplan og fjernvarme?",
        body="Hvordan?",
        check_rate=False,
    )
    reply = dilemma_services.reply_create(
        author=member, dilemma=dilemma, body="Vores varmeplan virker", check_rate=False
    )
    search.rebuild()
    assert {e.title for e in search.search("varmeplan")} == {
        "Varmeplan for Odder",
        "Varmeplan og fjernvarme?",  # the dilemma and its reply
    }
    assert draft.title not in {e.title for e in search.search("kladde")}
    assert archived.title not in {e.title for e in search.search("arkiveret")}
    moderator = ModeratorFactory()
    dilemma_services.reply_set_hidden(user=moderator, reply=reply, hidden=True)
    assert [e.kind for e in search.search("virker")] == []
    dilemma_services.dilemma_set_hidden(user=moderator, dilemma=dilemma, hidden=True)
    assert [e.title for e in search.search("varmeplan")] == [published.title]


def test_fallback_highlight_escapes_and_marks():
    html = search.highlight("Skybrud <script>x</script> og SKYBRUD", "skybrud & script")
    assert html.count("<mark>") == 4
    assert "<script>" not in html
