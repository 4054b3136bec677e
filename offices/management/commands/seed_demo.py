from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

# Each app with demo data has a ``demo`` module with ``seed(stdout=..., **options)``; order matters.
DEMO_MODULES = [
    "offices.demo",
    "clients.demo",
    "clients.demo_clients",
    "groups.demo",
    "ledger.demo",
    "documents.demo",
    "audit.demo",
]


class Command(BaseCommand):
    help = "Load demo offices, staff and sign-ins (and, as apps grow, clients). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo sign-ins.")
        parser.add_argument(
            "--clients",
            type=int,
            default=0,
            metavar="N",
            help="Top the generated demo clients up to N (bulk inserts; a million takes minutes).",
        )

    def handle(self, *args, **options):
        with transaction.atomic():
            for module in DEMO_MODULES:
                import_module(module).seed(stdout=self.stdout, **options)
        if not options["quiet_logins"]:
            from offices.demo import sign_ins

            self.stdout.write(_("Demo sign-ins:"))
            for username, password, role, office in sign_ins():
                self.stdout.write(f"  {username:<10} {password:<18} {role} ({office})")
