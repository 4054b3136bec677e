"""Server time of the client list at a million clients, next to the bare SQL of the same rows.

Run by hand, not by CI, against a PostgreSQL database of its own (it fills it if needed):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mifos_bench \\
        .venv/bin/python bench/search.py [--clients 1000000] [--repeat 40] [--explain]

It runs under production settings (DEBUG off, as gunicorn would; a throwaway SECRET_KEY unless
one is given), since DEBUG's query log and template checks cost time that production does not.

It tops the generated demo clients up to --clients (``seed_demo --clients``), then requests the
list page in-process (Django's test client, signed in) as a head-office user and as a branch
user, for each case below, the cases in turn. For each it prints the p50 and p95 of the page and of
its queries of clients run bare (the SQL the page ran, with the same parameters: the page's ids,
then its rows), and their ratio; first, for scale, the times of a page that lists nothing (the
password form).
Targets at a million clients: every p95 under 50 ms, and within 3x of the bare query.
"""

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mifos.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(60))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client as Browser  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from clients.demo_clients import generated_clients  # noqa: E402
from clients.filters import ClientFilterSet  # noqa: E402
from clients.models import Client, Identification  # noqa: E402
from offices.models import Office, Staff, User  # noqa: E402
from offices.roles import BRANCH_STAFF, HEAD_OFFICE_ADMIN  # noqa: E402

URL = reverse("clients:client_list")
FLOOR_URL = reverse("password_change")
TARGET_MS = 50


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--clients", type=int, default=1_000_000, help="generated clients wanted (default 1M)"
    )
    parser.add_argument("--repeat", type=int, default=40, help="timed runs per case (default 40)")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of each bare query")
    return parser.parse_args()


def prepare(clients):
    if connection.vendor != "postgresql":
        sys.exit("This benchmark measures PostgreSQL: set DATABASE_URL=postgres://...")
    if generated_clients().count() < clients:
        started = time.perf_counter()
        call_command("seed_demo", clients=clients, quiet_logins=True)
        print(f"seeded {clients:,} clients in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        # What autovacuum does soon after a load: visibility maps, so index-only scans pay off.
        for model in (Client, Identification):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def bench_user(username, office, role):
    user, _created = User.objects.get_or_create(username=username, defaults={"office": office})
    user.groups.add(Group.objects.get(name=role))
    return user


def sample_client(office):
    """A generated individual in ``office`` (the middle one by number), to search for by its numbers."""
    clients = generated_clients().filter(office__path__startswith=office.path, legal_form="individual")
    client = clients.order_by("account_no")[clients.count() // 2]
    identification = client.identifications.order_by("id").first()
    return client, identification


def spaced(phone):
    return f"{phone[:4]} {phone[4:7]} {phone[7:10]} {phone[10:]}"


def cases(office, officer):
    client, identification = sample_client(office)
    area = office if office.depth > 0 else office.children.order_by("path").first()  # a region, or the branch
    return [
        ("no filter", {}),
        ("common name", {"q": "garcia"}),
        ("rare name", {"q": "berenice desrosiers"}),
        ("client number", {"q": client.account_no}),
        ("identification", {"q": identification.number}),
        ("phone", {"q": spaced(client.mobile_phone)}),
        ("office + status", {"office": area.pk, "status": "active"}),
        (
            "officer + dates",
            {"officer": officer.pk, "submitted_after": "2022-01-01", "submitted_before": "2023-12-31"},
        ),
    ]


def main_queries(browser, params):
    """The SQL of the page's queries of clients (its ids, then its rows), as the page ran them."""
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(URL, params, secure=True)
    assert response.status_code == 200, response.status_code
    return [query["sql"] for query in queries.captured_queries if 'FROM "clients_client"' in query["sql"]]


def check_valid(user, params):
    request = RequestFactory().get(URL, params)
    request.user = user
    filterset = ClientFilterSet(request.GET, request=request)
    assert filterset.is_valid(), filterset.errors


def percentiles(samples):
    samples = sorted(samples)
    return statistics.median(samples), samples[max(0, round(len(samples) * 0.95) - 1)]


def timed_in_turn(functions, repeat):
    """p50 and p95 of each function, in ms, timed in turn: one call of each, ``repeat`` times over,
    so that a slow spell of this shared machine falls on every case alike, not on one."""
    for function in functions:
        function()  # warm the caches
    samples = [[] for _function in functions]
    for _run in range(repeat):
        for function, times in zip(functions, samples, strict=True):
            started = time.perf_counter()
            function()
            times.append((time.perf_counter() - started) * 1000)
    return [percentiles(times) for times in samples]


def run(label, user, office, officer, repeat, explain):
    browser = Browser()
    browser.force_login(user)
    names, pages, bares, statements_of = [], [], [], {}
    for name, params in cases(office, officer):
        check_valid(user, params)
        statements = main_queries(browser, params)

        def page(params=params):
            return browser.get(URL, params, secure=True)

        def bare(statements=statements):
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
                    rows = cursor.fetchall()
            return rows

        names.append(name)
        pages.append(page)
        bares.append(bare)
        statements_of[name] = statements
    # What any signed-in page costs here (session, user, permissions, base template), for scale.
    floor, *page_times = timed_in_turn([lambda: browser.get(FLOOR_URL, secure=True), *pages], repeat)
    sql_times = timed_in_turn(bares, repeat)
    print(f"{label:<12} {'(password page)':<16} {'':>4} {floor[0]:>8.1f} {floor[1]:>8.1f}")
    for name, bare, (page_p50, page_p95), (sql_p50, sql_p95) in zip(
        names, bares, page_times, sql_times, strict=True
    ):
        verdict = "ok" if page_p95 < TARGET_MS else "SLOW"
        print(
            f"{label:<12} {name:<16} {len(bare()):>4} {page_p50:>8.1f} {page_p95:>8.1f}"
            f" {sql_p50:>8.1f} {sql_p95:>8.1f} {page_p95 / sql_p95:>6.1f}x {verdict}"
        )
        if explain:
            with connection.cursor() as cursor:
                for sql in statements_of[name]:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                    print("\n".join(f"    {line}" for (line,) in cursor.fetchall()))


def main():
    args = parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if not settings.DEBUG:  # production serves hashed static names from the manifest
        call_command("collectstatic", interactive=False, verbosity=0)
    prepare(args.clients)
    head = Office.objects.get(parent=None)
    branch = (  # the branch with the most clients
        Office.objects.filter(children=None)
        .exclude(parent=None)
        .annotate(size=Count("clients"))
        .order_by("-size")
    ).first()
    officer = Staff.objects.filter(office=branch, is_credit_officer=True).order_by("pk").first()
    total = Client.objects.count()
    print(
        f"{total:,} clients, {Office.objects.count()} offices; branch user in {branch} "
        f"({Client.objects.filter(office=branch).count():,} clients)"
    )
    print(
        f"{'user':<12} {'case':<16} {'rows':>4} {'page p50':>8} {'p95':>8} {'sql p50':>8} {'p95':>8}"
        f" {'ratio':>7}  (ms; ratio = page p95 / sql p95)"
    )
    run(
        "head office",
        bench_user("bench-head", head, HEAD_OFFICE_ADMIN),
        head,
        officer,
        args.repeat,
        args.explain,
    )
    run(
        "branch", bench_user("bench-branch", branch, BRANCH_STAFF), branch, officer, args.repeat, args.explain
    )


if __name__ == "__main__":
    main()
