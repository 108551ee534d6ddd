from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import demo as accounts_demo
from articles import demo as articles_demo
from cases import demo as cases_demo
from dilemmas import demo as dilemmas_demo
from komvidere import search


class Command(BaseCommand):
    help = "Load demo people and content for a local run. Idempotent; refuses with DEBUG off."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (for tests and staging; never in production).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a known password: it runs only with "
                "DJANGO_DEBUG=1 (or --force on a staging copy)."
            )
        with transaction.atomic():
            users = accounts_demo.seed()
            for seeder in self.content_seeders():
                seeder(users)
            entries = search.rebuild()
        self.stdout.write(f"Search index: {entries} entries.")
        self.stdout.write(self.style.SUCCESS("Demo content is ready. Log in with:"))
        for email, role in [
            ("planner@silkeborg.dk", "member"),
            ("coordinator@rm.dk", "moderator"),
            ("admin@komvidere.dk", "admin"),
        ]:
            self.stdout.write(f"  {role:<10} {email:<24} {accounts_demo.DEMO_PASSWORD}")

    def content_seeders(self):
        """Each content app's demo.seed(users), in dependency order."""
        return [cases_demo.seed, dilemmas_demo.seed, articles_demo.seed]
