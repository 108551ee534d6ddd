from django.core.management.base import BaseCommand

from accounts.tasks import send_digests


class Command(BaseCommand):
    help = (
        "E-mail the daily digest to every user who chose it: one mail with the notifications "
        "not yet e-mailed, and send the immediate e-mails that are still unsent. Runs as a task "
        "(at once with TASKS_BACKEND=immediate, by the worker with the database backend). Safe "
        "to run again or concurrently (nothing is sent twice). Run daily from cron."
    )

    def handle(self, *args, **options):
        result = send_digests.enqueue()
        if result.is_finished:
            if result.status == "FAILED":
                self.stderr.write("The digest task failed: see the log.")
                return
            self.stdout.write(f"Sent {result.return_value['digests']} digest(s).")
        else:
            self.stdout.write(f"Enqueued the digests (task {result.id}).")
