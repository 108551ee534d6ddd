from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts import services


class Command(BaseCommand):
    help = (
        "Import municipal greenhouse-gas accounts from a CSV file with the columns "
        "municipality_code, year, sector, tonnes_co2e, source (see the README). All or "
        "nothing: if any line is wrong, every bad line is listed and nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file (UTF-8; comma or semicolon separated).")
        parser.add_argument(
            "--sample",
            action="store_true",
            help="Mark the figures as invented sample data (shown as such on every page).",
        )

    def handle(self, *args, path, sample=False, **options):
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(_("No such file: %(path)s") % {"path": path}) from None
        except UnicodeDecodeError:
            raise CommandError(
                _("%(path)s is not UTF-8 text. Save it as CSV UTF-8.") % {"path": path}
            ) from None
        try:
            result = services.emissions_import(text=text, is_sample=sample)
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(
                _("Nothing was imported: %(count)d line(s) must be corrected first.")
                % {"count": len(exc.messages)}
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported %(rows)d figures: %(created)d new, %(updated)d updated.")
                % {"rows": result.rows, "created": result.created, "updated": result.updated}
            )
        )
