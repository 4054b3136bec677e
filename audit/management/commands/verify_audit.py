from django.core.management.base import BaseCommand, CommandError

from audit.recording import seal
from audit.verify import verify


class Command(BaseCommand):
    help = "Check the activity log's hash chain; name the first altered or missing event."

    def handle(self, *args, **options):
        # Events of a process that stopped between its commit and their sealing join the chain first.
        sealed = seal()
        if sealed:
            self.stdout.write(f"{sealed} events waiting to be chained were chained first.")
        checked, broken = verify()
        if broken is not None:
            raise CommandError(broken.message)
        self.stdout.write(self.style.SUCCESS(f"The activity log is intact: {checked} events checked."))
