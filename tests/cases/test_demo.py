import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from accounts.models import Region
from cases.models import Case, CaseLink, Status
from komvidere.images import rendition_name
from portal import demo
from portal.demo.covers import SIZE
from tests.portal.test_demo import seeded_demo


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    with seeded_demo(django_db_blocker, tmp_path_factory.mktemp("media")) as demo_run:
        yield demo_run


@pytest.fixture
def media(seeded, db, settings):
    settings.MEDIA_ROOT = seeded.media_root  # where the seeding stored the covers
    return seeded.media_root


def _revisions(action: str):
    """The cases' revision log entries for one action."""
    return Case.revisions.filter(history_change_reason=action)


def test_demo_cases_are_realistic_and_from_every_region(media):
    specs = demo.read("cases")["case"]
    assert Case.objects.count() == len(specs) >= 35
    published = Case.objects.published()
    assert published.count() == len(
        [s for s in specs if s.get("status", "published") == "published"]
    )
    assert Case.objects.submitted().exists()
    assert Case.objects.filter(status=Status.DRAFT).exists()
    assert published.filter(organisation__slug="samsoe", title__icontains="vindmøller").exists()
    assert published.filter(organisation__slug="viborg", title__icontains="skybrud").exists()
    assert published.filter(organisation__slug="skive", title__icontains="GreenLab").exists()
    assert published.filter(organisation__slug="kalundborg", title__icontains="symbiose").exists()
    assert published.values("organisation").distinct().count() >= 25
    assert published.values("sectors").distinct().count() >= 8
    regions = set(published.values_list("organisation__region", flat=True))
    assert regions == set(Region.values)


def test_demo_cases_went_through_the_workflow(media):
    specs = demo.read("cases")["case"]
    published = Case.objects.published()
    # Each publication and feature is in the revision log, as the services write it.
    assert _revisions("create").count() == Case.objects.count()
    assert _revisions("publish").count() == published.count()
    featured = Case.objects.filter(featured=True)
    assert featured.count() == len([s for s in specs if s.get("featured")]) >= 3
    assert not featured.exclude(status=Status.PUBLISHED).exists()
    assert _revisions("feature").count() == featured.count()
    assert CaseLink.objects.count() == sum(len(s.get("links", [])) for s in specs) > 0
    # Review dates are set for every published case; some are overdue for the dashboard.
    today = timezone.localdate()
    assert not published.filter(review_due__isnull=True).exists()
    assert published.filter(review_due__lt=today).exists()
    assert not published.filter(last_reviewed_at__gt=today).exists()
    assert (
        not Case.objects.exclude(status=Status.PUBLISHED)
        .filter(published_at__isnull=False)
        .exists()
    )


def test_every_demo_case_has_a_generated_cover_with_credit(media):
    cases = list(Case.objects.all())
    for case in cases:
        assert case.cover_image, case.title
        assert case.cover_credit.strip(), case.title
        assert case.cover_image.name.startswith(f"cases/{case.pk}/cover/")
        assert case.cover_image.name.endswith(".jpg")
        with case.cover_image.open("rb") as handle, Image.open(handle) as image:
            assert image.format == "JPEG"
            assert image.size == SIZE
        for width in (400, 800):  # made as the service stored the cover
            rendition = rendition_name(case.cover_image.name, width)
            storage = case.cover_image.storage
            with storage.open(rendition, "rb") as handle, Image.open(handle) as image:
                assert (image.format, image.width) == ("WEBP", width), case.title
    # One picture per case, not one file shared by all.
    assert len({case.cover_image.name for case in cases}) == len(cases)
    assert len({case.cover_image.size for case in cases}) > len(cases) // 2


def test_an_existing_demo_case_without_a_cover_gets_one(media):
    """Databases seeded before the demo had covers get them on the next run."""
    case = Case.objects.get(organisation__slug="samsoe", title__icontains="vindmøller")
    Case.objects.filter(pk=case.pk).update(cover_image="", cover_credit="")
    count = Case.objects.count()

    call_command("seed_demo", "--force", verbosity=0)

    case.refresh_from_db()
    assert case.cover_image and case.cover_credit
    assert case.cover_image.storage.exists(case.cover_image.name)
    assert case.cover_image.storage.exists(rendition_name(case.cover_image.name, 800))
    assert Case.objects.count() == count
    assert case.status == Status.PUBLISHED
    assert _revisions("edit").filter(id=case.pk).count() == 1


def test_an_existing_demo_cover_without_renditions_gets_them(media):
    """Covers seeded before covers had renditions get them on the next run."""
    case = Case.objects.get(organisation__slug="viborg", title__icontains="skybrud")
    storage, name = case.cover_image.storage, case.cover_image.name
    storage.delete(rendition_name(name, 400))

    call_command("seed_demo", "--force", verbosity=0)

    case.refresh_from_db()
    assert case.cover_image.name == name
    assert storage.exists(rendition_name(name, 400))
