"""Server time, weight and queries of the pages around the client list, at a million clients.

Run by hand, not by CI, against the database of bench/search.py (it fills it if needed):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mifos_bench \\
        .venv/bin/python bench/pages.py [--clients 1000000] [--repeat 20]

For a head-office admin and for the manager of the largest branch, it requests each page below
in-process (Django's test client, signed in, production settings) and prints its p50 and p95 in
ms, its size in KB and its number of queries. The pages are timed in turn, as in bench/search.py.
The pages that list offices or officers are the ones that grow with the institution: at 200
branches a head office chooses among hundreds of each.
"""

import argparse
import logging
import sys

# bench/search.py sets Django up under production settings, fills the database and times in turn.
import search as common  # noqa: I001
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext

from audit import demo as audit_demo
from clients.models import Client
from ledger import demo as ledger_demo
from ledger.models import Account
from offices.models import Office
from offices.roles import BRANCH_MANAGER, HEAD_OFFICE_ADMIN


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--clients", type=int, default=1_000_000, help="generated clients wanted (default 1M)"
    )
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per page (default 20)")
    return parser.parse_args()


def pages(client):
    return [
        ("home", "/"),
        ("client list", "/clients/"),
        ("dashboard", "/clients/dashboard/"),
        ("data quality", "/clients/quality/"),
        ("list: no phone", "/clients/?check=no_phone"),
        ("list: same phone", "/clients/?check=same_phone"),
        ("list: same name", "/clients/?check=same_name"),
        ("list: id expiring", "/clients/?check=id_expiring"),
        ("client page", f"/clients/{client.pk}/"),
        ("client timeline", f"/clients/{client.pk}/timeline/"),
        ("client history", f"/clients/{client.pk}/history/"),
        ("activity log", "/activity/"),
        ("activity: changes", "/activity/?event=clients.client.changed"),
        ("client accounts", f"/clients/{client.pk}/accounts/"),
        ("client transactions", f"/clients/{client.pk}/transactions/"),
        *account_pages(client),
        ("registration form", "/clients/new/individual/"),
        ("transfer form", f"/clients/{client.pk}/transfer/"),
        ("assign officer form", f"/clients/{client.pk}/assign-officer/"),
        ("reassign officers", "/clients/officers/reassign/"),
        ("group list", "/groups/"),
        ("new group form", "/groups/new/"),
        ("admin: clients", "/admin/clients/client/"),
        ("admin: search", "/admin/clients/client/?q=garcia"),
        ("admin: client", f"/admin/clients/client/{client.pk}/change/"),
        ("admin: staff", "/admin/offices/staff/"),
        ("admin: activity log", "/admin/audit/event/"),
        *admin_ledger_pages(client),
    ]


def admin_ledger_pages(client):
    """Admin's lists of accounts and transactions, the largest tables: searched and filtered."""
    account = Account.objects.filter(client=client).order_by("pk").first()
    number = account.number.lower() if account else "none"
    return [
        ("admin: account search", f"/admin/ledger/account/?q={number}"),
        ("admin: transaction search", f"/admin/ledger/transaction/?q={number}"),
        ("admin: deposits", "/admin/ledger/transaction/?kind__exact=deposit"),
    ]


def account_pages(client):
    """The page of the client's account with the latest history (a loan or savings account)."""
    account = Account.objects.filter(client=client).order_by("-last_transaction_on", "pk").first()
    return [("account page", f"/accounts/{account.pk}/")] if account else []


def run(label, user, client, repeat):
    browser = Browser()
    browser.force_login(user)
    measured = []
    for name, url in pages(client):
        with CaptureQueriesContext(connection) as queries:
            response = browser.get(url, secure=True)
        if response.status_code != 200:
            print(f"{label:<12} {name:<26} {response.status_code} (not for this user)")
            continue
        measured.append((name, url, len(response.content), len(queries)))
    times = common.timed_in_turn(
        [lambda url=url: browser.get(url, secure=True) for _name, url, *_ in measured], repeat
    )
    for (name, _url, size, query_count), (p50, p95) in zip(measured, times, strict=True):
        print(f"{label:<12} {name:<26} {p50:>8.1f} {p95:>8.1f} {size / 1024:>7.0f} {query_count:>7}")


def main():
    args = parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    logging.getLogger("django.request").setLevel(logging.ERROR)  # a page not for a user answers 403
    if not settings.DEBUG:
        call_command("collectstatic", interactive=False, verbosity=0)
    common.prepare(args.clients)
    with transaction.atomic():  # a database filled before the ledger existed gets its accounts now
        ledger_demo.seed(stdout=sys.stdout, clients=args.clients)
    with transaction.atomic():  # and history rows and events, for the History tab and activity log
        audit_demo.seed(stdout=sys.stdout, clients=args.clients)
    head = Office.objects.get(parent=None)
    branch = (
        Office.objects.filter(children=None)
        .exclude(parent=None)
        .annotate(size=Count("clients"))
        .order_by("-size")
    ).first()
    client = Client.objects.filter(office=branch, status="active").order_by("pk").first()
    admin = common.bench_user("bench-head", head, HEAD_OFFICE_ADMIN)
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    manager = common.bench_user("bench-manager", branch, BRANCH_MANAGER)
    print(f"{Client.objects.count():,} clients, {Office.objects.count()} offices; branch manager in {branch}")
    print(f"{'user':<12} {'page':<26} {'p50':>8} {'p95':>8} {'KB':>7} {'queries':>7}  (ms)")
    run("head office", admin, client, args.repeat)
    run("branch", manager, client, args.repeat)


if __name__ == "__main__":
    main()
