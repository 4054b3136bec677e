"""Requests per second of the main pages over HTTP: gunicorn under production settings, driven by wrk.

Run by hand, not by CI, against the database of bench/search.py (``seed_demo --clients 1000000``):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mifos_bench \\
        .venv/bin/python bench/throughput.py [--duration 10] [--rounds 3] [--connections 12]

It collects the static files into a temporary folder, starts gunicorn (3 workers, DEBUG off, a
throwaway SECRET_KEY, plain HTTP), signs the demo head-office admin in over HTTP, and runs wrk
(Debian's package) over each page below in turn, once per round. For each page it prints the
median requests per second and p95 over the rounds, the spread of requests per second (min-max),
and the median ratio to the signed-out sign-in page measured just before it, beside the target of
issue #18. Load generator and server share the machine, so absolute figures depend on it; the
ratios are what compares. Every page is checked to answer 200 to the signed-in user first.
"""

import argparse
import http.cookiejar
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="bench-static-"))
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "mifos.settings",
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "STATIC_ROOT": str(STATIC_ROOT),
    # Plain HTTP between wrk and gunicorn, as docker-compose runs it.
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "LOG_LEVEL": "ERROR",
}
os.environ.update(PRODUCTION)

import django  # noqa: E402

django.setup()

from django.contrib.staticfiles.storage import staticfiles_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402

from clients.choices import ClientStatus  # noqa: E402
from clients.models import Client  # noqa: E402
from mifos import tabs  # noqa: E402
from offices.demo import DEMO_PASSWORD  # noqa: E402
from offices.models import User  # noqa: E402

SIGN_IN = "the sign-in page, signed out"
# wrk prints percentiles 50/75/90/99 only; this asks it for the 95th (in microseconds) and errors.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("p95_us %d\\n", latency:percentile(95)))
  io.write(string.format("errors %d\\n", summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="times every page is measured (default 3)")
    parser.add_argument("--connections", type=int, default=12, help="wrk connections (default 12)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--port", type=int, default=8718)
    parser.add_argument("--user", default="admin", help="a head-office sign-in of seed_demo (default admin)")
    return parser.parse_args()


def pages(user):
    """(name, path, signed in, target ratio to the sign-in page) of every page measured."""
    client = Client.objects.filter(status=ClientStatus.ACTIVE).order_by("pk").first()
    client_list = reverse("clients:client_list")
    return [
        ("a static file (WhiteNoise)", staticfiles_storage.url("css/app.css"), False, None),
        (SIGN_IN, reverse("login"), False, None),
        ("the password page, signed in", reverse("password_change"), True, 0.9),
        # The same frame with no form on it: what being signed in costs (the session, the user, the menu).
        ("signed in, nothing on the page", reverse("password_change_done"), True, 0.9),
        *[
            (f"client page: {tab.name}", reverse(tab.url_name, args=[client.pk]), True, 0.8)
            for tab in tabs.tabs_for("clients.client", user)
        ],
        ("client list, no filter", client_list, True, 0.6),
        ("client list, a name", f"{client_list}?q=garcia", True, 0.5),
        ("admin: client list", reverse("admin:clients_client_changelist"), True, 0.3),
    ]


def start_gunicorn(port, workers, log):
    command = [
        sys.executable, "-m", "gunicorn", "mifos.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--access-logfile", "-", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + reverse("login"), timeout=2)
            return server, base
        except OSError:
            if server.poll() is not None:
                sys.exit(f"gunicorn stopped at start-up; see {log.name}")
            time.sleep(0.2)
    server.terminate()
    sys.exit(f"gunicorn did not answer in 20 s; see {log.name}")


def sign_in(base, username):
    """The cookies of a browser that signed ``username`` in through the sign-in form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(base + reverse("login"))
    token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    response = opener.open(base + reverse("login"), data=urllib.parse.urlencode(form).encode())
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies or response.url.endswith(reverse("login")):
        sys.exit(f"could not sign {username} in with the demo password (run seed_demo)")
    return cookies


def check(base, path, cookie):
    """The page answers 200 itself, not a redirect to the sign-in page nor an error."""
    request = urllib.request.Request(base + path, headers={"Cookie": cookie})
    response = urllib.request.urlopen(request)
    if response.status != 200 or response.url != base + path:
        sys.exit(f"{path} answered {response.status} at {response.url}")
    for _ in range(20):  # warm every worker's caches
        urllib.request.urlopen(request).read()


def wrk(url, cookie, duration, connections, script):
    command = [
        "wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s", "--latency",
        "--timeout", "10s", "-s", script, "-H", f"Cookie: {cookie}", url,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p95 = int(re.search(r"p95_us (\d+)", output).group(1)) / 1000
    errors = int(re.search(r"errors (\d+)", output).group(1))
    return rate, p95, errors


def main():
    args = parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark measures PostgreSQL: set DATABASE_URL=postgres://...")
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    call_command("collectstatic", interactive=False, verbosity=0)
    user = User.objects.get(username=args.user)
    measured = pages(user)
    connection.close()
    log = tempfile.NamedTemporaryFile("w", prefix="bench-gunicorn-", suffix=".log", delete=False)
    server, base = start_gunicorn(args.port, args.workers, log)
    script = Path(STATIC_ROOT / "p95.lua")
    script.write_text(WRK_SCRIPT)
    try:
        try:
            cookies = sign_in(base, args.user)
            signed_in = f"csrftoken={cookies['csrftoken']}; sessionid={cookies['sessionid']}"
            # A returning browser keeps its CSRF cookie when signed out too.
            signed_out = f"csrftoken={cookies['csrftoken']}"
            for _name, path, is_signed_in, _target in measured:
                check(base, path, signed_in if is_signed_in else signed_out)
        except urllib.error.HTTPError as error:
            sys.exit(f"{error.url} answered {error.code}; see {log.name} (is the database migrated?)")
        # Each page is measured right after the sign-in page, and its ratio taken to that one: the
        # other work on a shared machine changes by the minute, so only neighbours compare.
        results = {name: [] for name, *_ in measured}
        floors = {name: [] for name, *_ in measured}
        sign_in_path = next(path for name, path, *_ in measured if name == SIGN_IN)
        for round_ in range(args.rounds):
            print(f"round {round_ + 1} of {args.rounds}", file=sys.stderr)
            for name, path, is_signed_in, _target in measured:
                if name != SIGN_IN:
                    floor = wrk(base + sign_in_path, signed_out, args.duration, args.connections, script)
                    results[SIGN_IN].append(floor)
                    floors[name].append(floor[0])
                cookie = signed_in if is_signed_in else signed_out
                results[name].append(wrk(base + path, cookie, args.duration, args.connections, script))
                if name == SIGN_IN:
                    floors[name].append(results[name][-1][0])
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(STATIC_ROOT, ignore_errors=True)
    report(measured, results, floors, args)


def report(measured, results, floors, args):
    print(
        f"gunicorn {args.workers} workers, wrk {args.connections} connections, {args.duration} s per page,"
        f" {args.rounds} rounds, {os.cpu_count()} CPUs; {Client.objects.count():,} clients"
    )
    header = f"{'page':<34} {'req/s':>7} {'min-max':>11} {'p95 ms':>7} {'ratio':>6} {'target':>7} errors"
    print(header)
    for name, _path, _signed_in, target in measured:
        rates = [rate for rate, _p95, _errors in results[name]]
        if name == SIGN_IN:
            ratios = [1.0]
        else:
            ratios = [rate / floor for rate, floor in zip(rates, floors[name], strict=True)]
        ratio = statistics.median(ratios)
        goal = f">={target:.1f}" if target else ""
        verdict = "" if target is None else (" ok" if ratio >= target else " MISSED")
        print(
            f"{name:<34} {statistics.median(rates):>7.0f} {min(rates):>5.0f}-{max(rates):<5.0f}"
            f" {statistics.median(p95 for _rate, p95, _errors in results[name]):>7.1f}"
            f" {ratio:>6.2f} {goal:>7}{verdict:<7} {sum(errors for *_rest, errors in results[name])}"
        )


if __name__ == "__main__":
    main()
