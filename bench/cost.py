"""Where each page's time goes: Python in the server process, and PostgreSQL planning and running its queries.

Run by hand, not by CI, against the database of bench/search.py (``seed_demo --clients 1000000``):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mifos_bench \\
        .venv/bin/python bench/cost.py [--requests 200]

bench/throughput.py measures requests per second over HTTP, where the load generator, gunicorn and
PostgreSQL share the two cores and the figures move with whatever else runs. This one explains
them: it calls the WSGI application in-process under production settings (the pages of
bench/throughput.py, signed in as its head-office user), takes the CPU time of the Python side
(the best of five batches, so a busy neighbour costs less), then asks PostgreSQL to plan and run
each of the page's queries again (EXPLAIN ANALYZE, warm connection, best of three). The sum is a
page's CPU cost on the machine; its ratio to the signed-out sign-in page's is what throughput's
ratios tend to when the CPU is the limit, as it is there.

The last column, "ceiling", is the best ratio a page could reach with the queries it makes: the
sign-in page's cost, plus those queries sent by hand (the same SQL through a bare cursor, rows
fetched) and PostgreSQL's planning and running them, and nothing else: no ORM, no template, no
view. A target above a page's ceiling needs fewer queries, not faster Python.

With prepared statements on (settings' ``DATABASE_PREPARED_STATEMENTS``, the default), PostgreSQL
plans a page's repeated queries once per connection, not per request: the "plan" column is then
shown but left out of the total and the ceiling. (A list's search, planned each time by
``mifos.plans.custom_plans``, pays its planning still: those ceilings err high by a few tenths.)
"""

import argparse
import io
import re
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# bench/throughput.py sets production settings up and names the pages and their targets.
import throughput  # noqa: E402, I001

from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client as Browser  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from mifos.plans import prepares_statements  # noqa: E402
from offices.models import User  # noqa: E402

HOST = "127.0.0.1"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page (default 200)")
    parser.add_argument("--user", default="admin", help="a head-office sign-in of seed_demo (default admin)")
    return parser.parse_args()


class Caller:
    """Requests a path from the WSGI application as a browser would, signed in or not."""

    def __init__(self, session_key):
        self.application = get_wsgi_application()
        self.session_key = session_key

    def __call__(self, path, signed_in):
        path, _, query = path.partition("?")
        cookie = "csrftoken=" + "c" * 32 + (f"; sessionid={self.session_key}" if signed_in else "")
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": HOST,
            "SERVER_PORT": "80", "HTTP_HOST": HOST, "HTTP_COOKIE": cookie, "REMOTE_ADDR": HOST,
            "HTTP_ACCEPT_LANGUAGE": "en", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }  # fmt: skip
        status = []
        body = b"".join(self.application(environ, lambda line, headers, *_: status.append(line)))
        return status[0], body


def python_ms(call, path, signed_in, requests):
    """CPU milliseconds of the Python side per request: the best of five batches."""
    for _ in range(10):
        call(path, signed_in)
    batch = max(1, requests // 5)
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        for _ in range(batch):
            call(path, signed_in)
        best = min(best, (time.process_time() - start) / batch * 1000)
    return best


def database_ms(call, path, signed_in):
    """(queries, planning ms, execution ms, bare ms) of one request: each SELECT planned and run again,
    and all of them sent again through a bare cursor (the Python CPU of the queries alone)."""
    with CaptureQueriesContext(connection) as captured:
        call(path, signed_in)
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    planning = execution = 0.0
    with connection.cursor() as cursor:
        bare = bare_ms(cursor, selects)
        for sql in selects:
            best = None
            for _ in range(3):
                cursor.execute("EXPLAIN (ANALYZE, SUMMARY) " + sql)
                text = "\n".join(row[0] for row in cursor.fetchall())
                plan = float(re.search(r"Planning Time: ([\d.]+)", text).group(1))
                run = float(re.search(r"Execution Time: ([\d.]+)", text).group(1))
                best = (plan, run) if best is None or plan + run < sum(best) else best
            planning += best[0]
            execution += best[1]
    return len(captured.captured_queries), planning, execution, bare


def bare_ms(cursor, selects, rounds=20):
    """CPU milliseconds of sending ``selects`` through ``cursor`` and fetching their rows: the best of
    five batches. (The statements a page writes, if any, are left out: the ceiling errs high.)"""
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        for _ in range(rounds):
            for sql in selects:
                cursor.execute(sql)
                cursor.fetchall()
        best = min(best, (time.process_time() - start) / rounds * 1000)
    return best


def main():
    args = parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark measures PostgreSQL: set DATABASE_URL=postgres://...")
    call_command("collectstatic", interactive=False, verbosity=0)  # into throughput's temporary folder
    try:
        measure(args)
    finally:
        shutil.rmtree(throughput.STATIC_ROOT, ignore_errors=True)


def measure(args):
    user = User.objects.get(username=args.user)
    browser = Browser(HTTP_HOST=HOST)
    browser.force_login(user)
    call = Caller(browser.cookies["sessionid"].value)
    print(f"per request, in-process, production settings, user {args.user}; ms of CPU")
    columns = ("python", 7), ("queries", 7), ("plan", 6), ("run", 6), ("total", 6), ("ratio", 6)
    print(f"{'page':<34}", *(f"{title:>{width}}" for title, width in columns), "target", "ceiling")
    floor = None
    per_request_planning = not prepares_statements(connection)
    if not per_request_planning:
        print("prepared statements on: planning (plan) is left out of total and ceiling")
    for name, path, signed_in, target in throughput.pages(user):
        status, _body = call(path, signed_in)
        if not status.startswith("200"):
            sys.exit(f"{path} answered {status}")
        python = python_ms(call, path, signed_in, args.requests)
        queries, planning, execution, bare = database_ms(call, path, signed_in)
        planned = planning if per_request_planning else 0.0
        total = python + planned + execution
        floor = total if name == throughput.SIGN_IN else floor
        ratio = f"{floor / total:6.2f}" if floor else ""
        goal = f">={target}" if target else ""
        ceiling = f"{floor / (floor + bare + planned + execution):7.2f}" if floor and queries else ""
        print(
            f"{name:<34} {python:>7.2f} {queries:>7} {planning:>6.2f} {execution:>6.2f}"
            f" {total:>6.2f} {ratio:>6} {goal:>6} {ceiling}"
        )


if __name__ == "__main__":
    main()
