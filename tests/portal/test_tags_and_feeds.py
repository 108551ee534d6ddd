"""Tag pages, tag merging and the Atom feeds (with their secret keys)."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from accounts.feeds import feed_token_renew
from accounts.models import FeedToken
from komvidere import search
from komvidere.tagging import tag_merge, usage_counts
from tests.factories import ArticleFactory, CaseFactory, DilemmaFactory, UserFactory

pytestmark = pytest.mark.django_db


def tagged_dilemma(*tags, **kwargs):
    dilemma = DilemmaFactory(**kwargs)
    dilemma.tags.set(list(tags))
    return dilemma


class TestTagPages:
    def test_tag_page_lists_visible_items_of_every_type(self, member_client):
        CaseFactory(title="Solceller på taget", tags=["sol"])
        CaseFactory(title="Kladde om sol", tags=["sol"], status="draft", published_at=None)
        tagged_dilemma("sol", title="Hvordan regner vi solcellers CO2?")
        tagged_dilemma("sol", title="Skjult dilemma om sol", hidden=True)
        ArticleFactory(title="Guide til solenergi", tags=["sol"])
        response = member_client.get(reverse("portal:tag_detail", args=["sol"]))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Solceller på taget" in html
        assert "Hvordan regner vi solcellers CO2?" in html
        assert "Guide til solenergi" in html
        assert "Kladde om sol" not in html
        assert "Skjult dilemma om sol" not in html
        assert html.count("<h1") == 1

    def test_unicode_tag_slug(self, member_client):
        CaseFactory(title="Bæredygtigt byggeri", tags=["bæredygtighed"])
        tag = Tag.objects.get(name="bæredygtighed")
        response = member_client.get(reverse("portal:tag_detail", args=[tag.slug]))
        assert response.status_code == 200
        assert "Bæredygtigt byggeri" in response.content.decode()

    def test_tag_index_counts_visible_items(self, member_client):
        CaseFactory(tags=["vind"])
        CaseFactory(tags=["vind"])
        CaseFactory(tags=["vind"], status="draft", published_at=None)
        tagged_dilemma("vind")
        response = member_client.get(reverse("portal:tag_list"))
        counts = {tag.name: tag.count for tag in response.context["tags"]}
        assert counts == {"vind": 3}

    def test_unknown_tag_is_404(self, member_client):
        assert (
            member_client.get(reverse("portal:tag_detail", args=["findes-ikke"])).status_code == 404
        )

    def test_query_budget(self, member_client, django_assert_max_num_queries):
        for i in range(30):
            CaseFactory(tags=["klima", f"emne{i}"])
            tagged_dilemma("klima")
            ArticleFactory(tags=["klima"])
        with django_assert_max_num_queries(14):
            response = member_client.get(reverse("portal:tag_detail", args=["klima"]))
        assert response.context["case_count"] == 30
        with django_assert_max_num_queries(10):
            member_client.get(reverse("portal:tag_list"))


class TestTagMerge:
    def test_merge_moves_items_and_removes_duplicates(self):
        both = CaseFactory(tags=["klimatilpasning", "klimatilpasing"])
        typo_only = CaseFactory(tags=["klimatilpasing"])
        dilemma = tagged_dilemma("Klima-tilpasning")
        survivor = Tag.objects.get(name="klimatilpasning")
        others = Tag.objects.exclude(pk=survivor.pk)
        moved = tag_merge(survivor=survivor, others=list(others))
        assert moved == 2
        assert list(Tag.objects.values_list("name", flat=True)) == ["klimatilpasning"]
        for obj in (both, typo_only, dilemma):
            assert [t.name for t in obj.tags.all()] == ["klimatilpasning"]
        assert usage_counts() == {survivor.pk: 3}

    def test_admin_merge_action(self, admin_client):
        CaseFactory(tags=["cykel"])
        CaseFactory(tags=["cykler"])
        keep = Tag.objects.get(name="cykel")
        ids = [str(pk) for pk in Tag.objects.values_list("pk", flat=True)]
        url = reverse("admin:taggit_tag_changelist")
        page = admin_client.post(url, {"action": "merge_tags", "_selected_action": ids})
        assert page.status_code == 200
        assert "cykler" in page.content.decode()
        response = admin_client.post(
            url,
            {"action": "merge_tags", "_selected_action": ids, "survivor": keep.pk, "apply": "1"},
        )
        assert response.status_code == 302
        assert list(Tag.objects.values_list("name", flat=True)) == ["cykel"]


class TestFeeds:
    def test_member_reads_feeds_while_logged_in(self, member_client):
        CaseFactory(title="Borgerejede vindmøller på Samsø")
        response = member_client.get(reverse("portal:feed_cases"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        assert "Borgerejede vindmøller på Samsø" in response.content.decode()

    def test_visitor_needs_a_key(self, client, member):
        CaseFactory(title="Fjernvarme i Aarhus")
        assert client.get(reverse("portal:feed_cases")).status_code == 302
        key = feed_token_renew(user=member).key
        response = client.get(reverse("portal:feed_cases", kwargs={"key": key}))
        assert response.status_code == 200
        assert "Fjernvarme i Aarhus" in response.content.decode()

    def test_wrong_renewed_or_revoked_key_is_404(self, client, member_client, member):
        old = feed_token_renew(user=member).key
        assert (
            client.get(reverse("portal:feed_dilemmas", kwargs={"key": "x" * 43})).status_code == 404
        )
        member_client.post(reverse("accounts:feed_token"), {"action": "renew"})
        assert client.get(reverse("portal:feed_dilemmas", kwargs={"key": old})).status_code == 404
        new = FeedToken.objects.get(user=member).key
        assert client.get(reverse("portal:feed_dilemmas", kwargs={"key": new})).status_code == 200
        member_client.post(reverse("accounts:feed_token"), {"action": "revoke"})
        assert client.get(reverse("portal:feed_dilemmas", kwargs={"key": new})).status_code == 404

    def test_key_of_an_inactive_member_stops_working(self, client):
        user = UserFactory()
        key = feed_token_renew(user=user).key
        user.is_active = False
        user.save()
        assert client.get(reverse("portal:feed_cases", kwargs={"key": key})).status_code == 404

    def test_feeds_hide_drafts_hidden_posts_and_anonymous_askers(self, member_client):
        CaseFactory(title="Hemmelig kladde", status="draft", published_at=None)
        asker = UserFactory(name="Anonym Askesen")
        DilemmaFactory(title="Et anonymt spørgsmål", author=asker, anonymous=True)
        DilemmaFactory(title="Skjult tråd", hidden=True)
        cases = member_client.get(reverse("portal:feed_cases")).content.decode()
        dilemmas = member_client.get(reverse("portal:feed_dilemmas")).content.decode()
        assert "Hemmelig kladde" not in cases
        assert "Et anonymt spørgsmål" in dilemmas
        assert "Anonym Askesen" not in dilemmas
        assert asker.organisation.name not in dilemmas
        assert "Skjult tråd" not in dilemmas

    def test_tag_feed(self, member_client):
        CaseFactory(title="Biogas i Herning", tags=["biogas"])
        ArticleFactory(title="Guide til biogas", tags=["biogas"])
        tagged_dilemma("biogas", title="Lugtgener fra biogas?")
        CaseFactory(title="Uden tag")
        xml = member_client.get(
            reverse("portal:feed_tag", kwargs={"slug": "biogas"})
        ).content.decode()
        for title in ("Biogas i Herning", "Guide til biogas", "Lugtgener fra biogas?"):
            assert title in xml
        assert "Uden tag" not in xml

    def test_profile_shows_feed_addresses(self, member_client, member):
        member_client.post(reverse("accounts:feed_token"), {"action": "renew"})
        html = member_client.get(reverse("accounts:profile")).content.decode()
        assert FeedToken.objects.get(user=member).key in html


def test_index_keeps_search_in_step_with_visibility(db):
    dilemma = tagged_dilemma("vand", title="Regnvand på villaveje")
    search.index(dilemma)
    assert [e.title for e in search.search("regnvand")] == ["Regnvand på villaveje"]
    dilemma.hidden = True
    search.index(dilemma)
    assert list(search.search("regnvand")) == []
