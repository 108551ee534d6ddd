from django.core.management.base import BaseCommand

from komvidere import search


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the content (after a restore or a change in indexing). "
        "One type at a time, in chunks: safe to run in the background while the site serves."
    )

    def handle(self, *args, **options):
        def progress(model, done):
            self.stdout.write(f"{model._meta.verbose_name_plural}: {done}")

        entries = search.rebuild(progress=progress if options["verbosity"] else None)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {entries} entries."))
