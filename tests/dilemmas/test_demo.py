from django.core.management import call_command

from dilemmas.models import Dilemma, DilemmaStatus


def test_seed_demo_adds_dilemmas_once(db):
    call_command("seed_demo", "--force", verbosity=0)
    count = Dilemma.objects.count()
    call_command("seed_demo", "--force", verbosity=0)

    assert count >= 15
    assert Dilemma.objects.count() == count
    statuses = set(Dilemma.objects.values_list("status", flat=True))
    assert {DilemmaStatus.OPEN, DilemmaStatus.ANSWERED, DilemmaStatus.CONCLUDED} <= statuses
    assert Dilemma.objects.filter(anonymous=True).exists()
    assert Dilemma.objects.filter(reply_count__gt=0).count() >= 10
    for dilemma in Dilemma.objects.all():
        assert dilemma.reply_count == dilemma.replies.count()
