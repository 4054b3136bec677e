from ._refuse import RefusedCommand


class Command(RefusedCommand):
    help = "Not available: use manage.py export_clients, which exports what a user may see, readably."
    instead = "export_clients"
