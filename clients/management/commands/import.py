from ._refuse import RefusedCommand


class Command(RefusedCommand):
    help = "Not available: use manage.py import_clients, which applies the registration rules."
    instead = "import_clients"
