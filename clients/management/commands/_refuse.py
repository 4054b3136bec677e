"""django-import-export's generic ``import`` and ``export`` commands wrote clients around every rule
(an Active six-year-old, no identification, no creator, no timeline) and exported raw ids. These
commands of the same name take their place (clients is listed before import_export) and refuse."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class RefusedCommand(BaseCommand):
    instead = ""

    def add_arguments(self, parser):
        parser.add_argument("args", nargs="*")
        parser.add_argument("--format", "--resource-class", dest="ignored", help="Not used.")

    def handle(self, *args, **options):
        raise CommandError(
            _(
                "This generic command would bypass the registration rules and is not available. "
                "Use manage.py %(command)s (see manage.py %(command)s --help)."
            )
            % {"command": self.instead}
        )
