"""Cover renditions for cases: made when a cover is stored (service, form, admin all go through
the services), gone with it, served by `?w=`, offered by srcset on every card; the
cover_renditions command fills in what is missing."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from cases import services
from cases.models import Case, Status
from komvidere.images import rendition_name
from tests.cases.conftest import case_form_data, png_bytes, upload
from tests.cases.test_facets import LIST_BUDGET, make_library
from tests.cases.test_services import create
from tests.factories import CaseFactory, silkeborg


def cover(size=(1200, 675), name="forside.png"):
    return upload(name, png_bytes(size), "image/png")


def renditions(name: str) -> dict[int, tuple[str, tuple[int, int]]]:
    """The renditions stored for the cover `name`: width → (format, size)."""
    found = {}
    for width in (400, 800):
        target = rendition_name(name, width)
        if default_storage.exists(target):
            with default_storage.open(target, "rb") as handle:
                image = Image.open(io.BytesIO(handle.read()))
                found[width] = (image.format, image.size)
    return found


@pytest.fixture
def with_cover(member, sector) -> Case:
    case = create(member, sector, cover_image=cover())
    services.case_submit(case=case, user=member)
    return case


# --- made when stored -----------------------------------------------------------------------------


def test_a_cover_stored_through_the_service_gets_webp_renditions(member, sector):
    case = create(member, sector, cover_image=cover((1200, 675)))

    assert renditions(case.cover_image.name) == {
        400: ("WEBP", (400, 225)),
        800: ("WEBP", (800, 450)),
    }


def test_a_small_cover_is_not_upscaled(member, sector):
    case = create(member, sector, cover_image=cover((500, 250)))

    assert renditions(case.cover_image.name) == {400: ("WEBP", (400, 200))}


def test_a_cover_uploaded_on_the_edit_form_gets_renditions(member_client, member, sector):
    case = create(member, sector)
    data = case_form_data([sector.pk], silkeborg().pk, title=case.title)

    response = member_client.post(case.get_edit_url(), {**data, "cover_image": cover()})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.cover_image.name.startswith(f"cases/{case.pk}/cover/")
    assert set(renditions(case.cover_image.name)) == {400, 800}


def test_saving_the_form_without_a_new_cover_keeps_the_renditions(
    member_client, with_cover, sector, django_capture_on_commit_callbacks
):
    name = with_cover.cover_image.name
    data = case_form_data([sector.pk], silkeborg().pk, title="Ny titel")

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(with_cover.get_edit_url(), data)

    assert response.status_code == 302
    with_cover.refresh_from_db()
    assert with_cover.cover_image.name == name
    assert set(renditions(name)) == {400, 800}


# --- gone with the cover --------------------------------------------------------------------------


def test_a_replaced_cover_takes_its_renditions_with_it_after_commit(
    member, with_cover, django_capture_on_commit_callbacks
):
    old = with_cover.cover_image.name

    with django_capture_on_commit_callbacks() as callbacks:
        case = services.case_update(
            case=with_cover, editor=member, cover_image=cover((900, 500), "ny.png")
        )
        assert set(renditions(old)) == {400, 800}  # until the commit
    for callback in callbacks:
        callback()

    assert renditions(old) == {}
    assert not default_storage.exists(old)
    assert renditions(case.cover_image.name) == {
        400: ("WEBP", (400, 222)),
        800: ("WEBP", (800, 444)),
    }


def test_a_cleared_cover_takes_its_renditions_with_it(
    member, with_cover, django_capture_on_commit_callbacks
):
    old = with_cover.cover_image.name

    with django_capture_on_commit_callbacks(execute=True):
        services.case_update(case=with_cover, editor=member, cover_image=False)

    assert renditions(old) == {}
    assert not default_storage.exists(old)


def test_deleting_a_case_removes_its_cover_renditions(
    moderator, with_cover, django_capture_on_commit_callbacks
):
    old = with_cover.cover_image.name

    with django_capture_on_commit_callbacks(execute=True):
        services.case_delete(case=with_cover, user=moderator)

    assert not Case.objects.filter(pk=with_cover.pk).exists()
    assert renditions(old) == {}
    assert not default_storage.exists(old)


# --- served by ?w= --------------------------------------------------------------------------------


def _cover_url(case) -> str:
    return reverse("cases:cover", args=[case.slug])


@pytest.mark.parametrize("width", [400, 800])
def test_w_serves_the_webp_rendition(member_client, with_cover, width):
    response = member_client.get(_cover_url(with_cover), {"w": width})

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert response["X-Content-Type-Options"] == "nosniff"
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert (image.format, image.width) == ("WEBP", width)


@pytest.mark.parametrize("width", ["", "401", "1200", "abc", "-400", "400.0", "8" * 40, "\x00"])
def test_any_other_w_serves_the_original(member_client, with_cover, width):
    response = member_client.get(_cover_url(with_cover), {"w": width})

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, max-age=3600"


def test_a_missing_rendition_falls_back_to_the_original(member_client, member, sector):
    case = create(member, sector, cover_image=cover((500, 250)))  # too small for 800
    default_storage.delete(rendition_name(case.cover_image.name, 400))

    for width in (400, 800):
        response = member_client.get(_cover_url(case), {"w": width})
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"


def test_a_case_without_a_cover_is_still_a_404_with_w(member_client, member, sector):
    case = create(member, sector)

    assert member_client.get(_cover_url(case), {"w": 400}).status_code == 404


def test_w_does_not_get_past_the_visibility_check(client, other_member, with_cover):
    other = Client()
    other.force_login(other_member)

    assert with_cover.status == Status.SUBMITTED  # another member may not see it
    for width in ("400", "800", "x"):
        assert other.get(_cover_url(with_cover), {"w": width}).status_code == 404
        response = client.get(_cover_url(with_cover), {"w": width})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# --- offered by srcset ----------------------------------------------------------------------------


def _srcset(case) -> str:
    url = _cover_url(case)
    return f'srcset="{url}?w=400 400w, {url}?w=800 800w"'


def _published_with_cover(moderator, case) -> Case:
    return services.case_publish(case=case, user=moderator, notify=False)


def test_home_tiles_offer_the_renditions_lazily(member_client, moderator, with_cover):
    case = _published_with_cover(moderator, with_cover)

    html = member_client.get(reverse("portal:home")).content.decode()

    tag = html[html.index(_srcset(case)) :].split(">", 1)[0]
    for attribute in ('loading="lazy"', 'decoding="async"', 'width="400"', 'height="225"'):
        assert attribute in tag
    assert 'sizes="' in tag
    assert 'alt=""' in tag


def test_case_list_cards_offer_the_renditions_or_the_placeholder(
    member_client, moderator, with_cover
):
    case = _published_with_cover(moderator, with_cover)
    plain = CaseFactory(title="Uden forsidebillede")

    html = member_client.get(reverse("cases:list")).content.decode()

    tag = html[html.index(_srcset(case)) :].split(">", 1)[0]
    for attribute in ('loading="lazy"', 'decoding="async"', 'width="400"', 'sizes="'):
        assert attribute in tag
    card = html[html.index(f'href="{plain.get_absolute_url()}"') - 600 :]
    assert "tile__image--placeholder" in card.split("case-card__body", 1)[0]


def test_the_case_page_offers_the_renditions_without_lazy_loading(member_client, with_cover):
    html = member_client.get(with_cover.get_absolute_url()).content.decode()

    url = _cover_url(with_cover)
    start = html.index(f'srcset="{url}?w=400 400w, {url}?w=800 800w, {url} 2400w"')
    tag = html[html.rindex("<img", 0, start) :].split(">", 1)[0]
    assert "loading=" not in tag
    assert 'sizes="' in tag


def test_covers_on_the_list_add_no_queries(
    member_client, django_assert_max_num_queries, sectors, themes, stages
):
    cases = make_library(25, sectors, themes, stages)
    # The cards read only the cover's name: no file needs to exist for the page to render.
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(cover_image="cases/x/cover/a.png")

    with django_assert_max_num_queries(LIST_BUDGET):
        response = member_client.get("/cases/?sort=co2e")

    assert response.content.decode().count("?w=800 800w") == 20


# --- the command ----------------------------------------------------------------------------------


@translation.override("en")
def test_the_command_makes_the_missing_renditions(member, sector):
    small = create(member, sector, title="Lille billede", cover_image=cover((500, 250)))
    large = create(member, sector, title="Stort billede", cover_image=cover((1600, 900)))
    create(member, sector, title="Intet billede")
    for case in (small, large):
        for width in (400, 800):
            default_storage.delete(rendition_name(case.cover_image.name, width))
    out = io.StringIO()

    call_command("cover_renditions", verbosity=2, stdout=out)

    assert renditions(small.cover_image.name) == {400: ("WEBP", (400, 200))}
    assert set(renditions(large.cover_image.name)) == {400, 800}
    text = out.getvalue()
    assert f"{large.slug}: 400w, 800w" in text
    assert "2 covers checked, 3 renditions made" in text

    again = io.StringIO()
    call_command("cover_renditions", stdout=again)
    assert "2 covers checked, 0 renditions made" in again.getvalue()

    replaced = io.StringIO()
    call_command("cover_renditions", "--replace", stdout=replaced)
    assert "2 covers checked, 3 renditions made" in replaced.getvalue()
