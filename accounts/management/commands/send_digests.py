from django.core.management.base import BaseCommand

from accounts.notifications import send_digests


class Command(BaseCommand):
    help = (
        "E-mail the daily digest to every user who chose it: one mail with the notifications "
        "not yet e-mailed. Safe to run again or concurrently (nothing is sent twice). Run daily "
        "from cron."
    )

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"Sent {sent} digest(s).")
