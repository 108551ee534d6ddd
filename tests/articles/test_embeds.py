"""The embed allow-list: only exact hosts, strict ids, and a src we build ourselves."""

import pytest

from articles.embeds import SANDBOX, embed_for, host_of
from tests.factories import ArticleFactory

YT = "https://www.youtube-nocookie.com/embed/"
SPOTIFY_ID = "4rOoJ6Egrf8K2IrywzwOMk"


@pytest.mark.parametrize(
    ("url", "src"),
    [
        ("https://www.youtube.com/watch?v=aqz-KE-bpKQ", YT + "aqz-KE-bpKQ"),
        ("https://youtube.com/watch?v=aqz-KE-bpKQ&t=42s", YT + "aqz-KE-bpKQ"),
        ("http://m.youtube.com/watch?v=aqz-KE-bpKQ", YT + "aqz-KE-bpKQ"),
        ("https://youtu.be/aqz-KE-bpKQ", YT + "aqz-KE-bpKQ"),
        ("https://youtu.be/aqz-KE-bpKQ?si=abc", YT + "aqz-KE-bpKQ"),
        ("https://www.youtube.com/embed/aqz-KE-bpKQ", YT + "aqz-KE-bpKQ"),
        ("https://www.YouTube.com/shorts/aqz-KE-bpKQ", YT + "aqz-KE-bpKQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871"),
        (
            f"https://open.spotify.com/episode/{SPOTIFY_ID}",
            f"https://open.spotify.com/embed/episode/{SPOTIFY_ID}",
        ),
        (
            f"https://open.spotify.com/episode/{SPOTIFY_ID}?si=123abc",
            f"https://open.spotify.com/embed/episode/{SPOTIFY_ID}",
        ),
        (
            f"https://open.spotify.com/intl-da/episode/{SPOTIFY_ID}",
            f"https://open.spotify.com/embed/episode/{SPOTIFY_ID}",
        ),
        (
            f"https://open.spotify.com/show/{SPOTIFY_ID}",
            f"https://open.spotify.com/embed/show/{SPOTIFY_ID}",
        ),
    ],
)
def test_allow_listed_hosts_give_our_player(url, src):
    embed = embed_for(url)

    assert embed is not None
    assert embed.src == src
    assert embed.title


@pytest.mark.parametrize(
    "url",
    [
        "",
        None,
        "javascript:alert(1)",
        "javascript://www.youtube.com/watch?v=aqz-KE-bpKQ",
        "data:text/html,<script>alert(1)</script>",
        "ftp://youtube.com/watch?v=aqz-KE-bpKQ",
        "//www.youtube.com/watch?v=aqz-KE-bpKQ",
        "https://evil.example/watch?v=aqz-KE-bpKQ",
        "https://youtube.com.evil.com/watch?v=aqz-KE-bpKQ",
        "https://evilyoutube.com/watch?v=aqz-KE-bpKQ",
        "https://www.youtube.com.evil.com/watch?v=aqz-KE-bpKQ",
        "https://youtu.be.evil.com/aqz-KE-bpKQ",
        "https://notyoutu.be/aqz-KE-bpKQ",
        "https://www.youtube.com@evil.com/watch?v=aqz-KE-bpKQ",
        "https://user:pw@www.youtube.com/watch?v=aqz-KE-bpKQ",
        "https://www.youtube.com:8443/watch?v=aqz-KE-bpKQ",
        "https://vimeo.com.evil.com/76979871",
        "https://evilvimeo.com/76979871",
        "https://open.spotify.com.evil.com/episode/" + SPOTIFY_ID,
        "https://spotify.com/episode/" + SPOTIFY_ID,
        # ids that do not match the strict patterns
        'https://www.youtube.com/watch?v="><script>alert(1)</script>',
        "https://www.youtube.com/watch?v=aqz-KE-bpK",
        "https://www.youtube.com/watch?v=aqz-KE-bpKQQ",
        "https://www.youtube.com/watch?v=aqz-KE-bpKQ%0a",
        "https://www.youtube.com/watch?v=aqz-KE-bpKQ&v=other-id-12",
        "https://youtu.be/aqz-KE-bpKQ/extra",
        "https://youtu.be/../../evil",
        "https://vimeo.com/76979871abc",
        "https://vimeo.com/channels/staffpicks",
        "https://open.spotify.com/episode/short",
        "https://open.spotify.com/track/" + SPOTIFY_ID,
        "https://open.spotify.com/episode/" + SPOTIFY_ID + "/../../x",
        "https://www.youtube.com/watch?v=aqz-KE-bpKQ\n",
        " https://www.youtube.com/watch?v=aqz-KE-bpKQ",
        "https://www.youtube.com\\@evil.com/watch?v=aqz-KE-bpKQ",
        "https://www.youtube.com/watch?v=aqz-KE-bpKQ" + "x" * 600,
        "https://[::1/",
        "https://soundcloud.com/some/episode",
    ],
)
def test_anything_else_gives_no_player(url):
    assert embed_for(url) is None


def test_host_of_names_the_site_for_the_fallback_link():
    assert host_of("https://www.podcaster.dk/afsnit/12") == "podcaster.dk"
    assert host_of("javascript:alert(1)") == ""


@pytest.mark.django_db
def test_only_podcasts_and_videos_get_a_player():
    url = "https://www.youtube.com/watch?v=aqz-KE-bpKQ"

    assert ArticleFactory(kind="video", media_url=url).embed is not None
    assert ArticleFactory(kind="guide", media_url=url).embed is None


@pytest.mark.django_db
def test_detail_page_shows_a_sandboxed_player(member_client):
    article = ArticleFactory(
        kind="podcast", media_url=f"https://open.spotify.com/episode/{SPOTIFY_ID}"
    )

    html = member_client.get(article.get_absolute_url()).content.decode()

    assert html.count("<iframe") == 1
    assert f'src="https://open.spotify.com/embed/episode/{SPOTIFY_ID}"' in html
    assert f'sandbox="{SANDBOX}"' in html
    assert 'loading="lazy"' in html
    assert 'referrerpolicy="strict-origin-when-cross-origin"' in html
    assert f': {article.title}"' in html  # the iframe's title names the episode


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "https://youtube.com.evil.com/watch?v=aqz-KE-bpKQ",
        "https://www.podcaster.dk/afsnit/12",
    ],
)
def test_other_hosts_get_a_link_not_an_iframe(member_client, url):
    article = ArticleFactory(kind="video", media_url=url)

    html = member_client.get(article.get_absolute_url()).content.decode()

    assert "<iframe" not in html
    assert f'href="{url}"' in html


def test_the_csp_allows_exactly_the_player_origins(settings):
    from articles.embeds import EMBED_ORIGINS

    frame_src = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"]
    assert set(frame_src) - {"'self'"} == set(EMBED_ORIGINS)
