from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from clients import quality, summaries


class Command(BaseCommand):
    help = "Count the dashboard's client summaries and the data quality checks again from the clients."

    def handle(self, *args, **options):
        summaries.rebuild()
        quality.recount()
        self.stdout.write(_("Client summaries counted again."))
