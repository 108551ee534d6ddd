from django.core.management.base import BaseCommand

from komvidere import search
from komvidere.tasks import rebuild_search_index


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the content (after a restore or a change in indexing). "
        "One type at a time, in chunks: safe to run in the background while the site serves. "
        "--enqueue hands it to the task worker instead of running it here."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the rebuild as a background task (TASKS_BACKEND) and return at once.",
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = rebuild_search_index.enqueue()
            self.stdout.write(f"Search index rebuild queued (task {result.id}).")
            return

        def progress(model, done):
            self.stdout.write(f"{model._meta.verbose_name_plural}: {done}")

        entries = search.rebuild(progress=progress if options["verbosity"] else None)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {entries} entries."))
