from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from clients import summaries


class Command(BaseCommand):
    help = "Count the dashboard's client summaries again from the clients (triggers keep them)."

    def handle(self, *args, **options):
        summaries.rebuild()
        self.stdout.write(_("Client summaries counted again."))
