from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cases import services
from cases.models import Case

CHUNK = 200


class Command(BaseCommand):
    help = (
        "Make the WebP renditions (400 and 800 pixels wide) that the cases' cover images are "
        "missing, e.g. for covers stored before renditions existed or after a storage move. "
        "Reads the cases in chunks; safe to run while the site serves and to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Make every rendition anew, replacing those that exist.",
        )

    def handle(self, *args, replace=False, verbosity=1, **options):
        covers = (
            Case.objects.exclude(cover_image="")
            .only("pk", "slug", "cover_image")
            .order_by("pk")
            .iterator(chunk_size=CHUNK)
        )
        seen = made = 0
        for case in covers:
            seen += 1
            widths = services.case_cover_renditions(case=case, replace=replace)
            made += len(widths)
            if widths and verbosity >= 2:
                self.stdout.write(f"{case.slug}: {', '.join(f'{w}w' for w in widths)}")
            if verbosity and seen % CHUNK == 0:
                self.stdout.write(
                    _("%(seen)d covers checked, %(made)d renditions made")
                    % {"seen": seen, "made": made}
                )
        self.stdout.write(
            self.style.SUCCESS(
                _("Cover renditions: %(seen)d covers checked, %(made)d renditions made.")
                % {"seen": seen, "made": made}
            )
        )
