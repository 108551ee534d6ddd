from django.core.management.base import BaseCommand

from komvidere import search


class Command(BaseCommand):
    help = "Rebuild the search index from the content (after a restore or a change in indexing)."

    def handle(self, *args, **options):
        entries = search.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {entries} entries."))
