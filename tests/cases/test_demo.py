from django.core.management import call_command

from cases.models import Case, Status


def test_seed_demo_adds_realistic_cases_and_is_idempotent(db):
    call_command("seed_demo", "--force", verbosity=0)
    count = Case.objects.count()

    assert Case.objects.published().count() >= 20
    assert Case.objects.submitted().exists()
    assert Case.objects.filter(status=Status.DRAFT).exists()
    published = Case.objects.published()
    assert published.filter(organisation__slug="samsoe", title__icontains="vindmøller").exists()
    assert published.filter(featured=True).exists()
    assert published.values("organisation").distinct().count() >= 15
    assert published.values("sectors").distinct().count() >= 8
    assert Case.revisions.filter(history_change_reason="publish").count() == published.count()

    call_command("seed_demo", "--force", verbosity=0)
    assert Case.objects.count() == count
