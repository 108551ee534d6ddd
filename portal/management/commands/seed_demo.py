from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from komvidere.models import SearchEntry
from portal import demo


class Command(BaseCommand):
    help = (
        "Load the demo people and content (portal/demo/*.toml) through the services, for a "
        "local run. Idempotent; refuses with DEBUG off."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (for tests and staging; never in production).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "seed_demo creates accounts with a known password: it runs only with "
                    "DJANGO_DEBUG=1 (or --force on a staging copy)."
                )
            )
        summary = demo.seed()
        self.stdout.write(
            _(
                "Created %(people)d people, %(cases)d cases (%(covers)d cover images), "
                "%(dilemmas)d dilemmas with %(replies)d replies and %(articles)d articles."
            )
            % {
                "people": summary.people,
                "cases": summary.cases,
                "covers": summary.covers,
                "dilemmas": summary.dilemmas,
                "replies": summary.replies,
                "articles": summary.articles,
            }
        )
        if summary.emissions:
            self.stdout.write(
                _("Sample emission figures (invented, labelled as sample data): %(count)d.")
                % {"count": summary.emissions}
            )
        self.stdout.write(
            _("Search index: %(count)d entries.") % {"count": SearchEntry.objects.count()}
        )
        self.stdout.write(self.style.SUCCESS(_("Demo content is ready. Log in with:")))
        roles = {"member": _("member"), "moderator": _("moderator"), "admin": _("admin")}
        for role, email in summary.logins:
            self.stdout.write(f"  {roles.get(role, role):<10} {email:<24} {summary.password}")
