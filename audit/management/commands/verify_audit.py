from django.core.management.base import BaseCommand, CommandError

from audit.verify import verify


class Command(BaseCommand):
    help = "Check the activity log's hash chain; name the first altered or missing event."

    def handle(self, *args, **options):
        checked, broken = verify()
        if broken is not None:
            raise CommandError(broken.message)
        self.stdout.write(self.style.SUCCESS(f"The activity log is intact: {checked} events checked."))
