"""Load test: signed-in users browsing, searching and writing notes against a running server.

Start the server as production runs it, with the demo data, then run this beside it:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mifos_load SEED_DEMO=1 scripts/serve-prod
    .venv/bin/python bench/load.py --url http://127.0.0.1:8001 --users 50 --duration 300

Each simulated user signs in once (a demo sign-in), then loops: the client list, a search, a client's
page, its notes, and now and then a new note (a POST with the CSRF token, as a browser sends it).
No third-party package: threads and urllib, so it runs wherever the application does. Prints the
requests per second, p50/p95/max latency per kind of request, and every error; exits 1 on any error.
"""

import argparse
import http.cookiejar
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict

SEARCHES = ["a", "mar", "jo", "ann", "ke", "000", "mw", "ali", "+254", "wan"]
CLIENT_LINK = re.compile(r'href="/clients/(\d+)/"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class User(threading.Thread):
    def __init__(self, base, username, password, start, results, note_share):
        super().__init__(daemon=True)
        self.base, self.username, self.password = base, username, password
        self.start_line, self.results, self.note_share = start, results, note_share
        self.deadline = None
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.clients = []

    def request(self, kind, path, data=None, expect=(200,)):
        url = self.base + path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, body, headers={"Referer": url})
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=300) as response:
                status, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, ""
        except OSError as error:
            status, text = f"network error: {error}", ""
        elapsed = time.perf_counter() - started
        self.results.add(kind, elapsed, None if status in expect else f"{kind} {path}: {status}")
        return text

    def csrf_token(self, page):
        match = CSRF.search(page)
        return match.group(1) if match else ""

    def sign_in(self):
        page = self.request("sign-in page", "/accounts/login/")
        self.request(
            "sign in",
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": self.csrf_token(page),
                "username": self.username,
                "password": self.password,
            },
        )

    def run(self):
        self.sign_in()
        # Sign-in hashes a password on purpose (slowly); the load is measured once everyone is in.
        self.start_line.wait()
        self.deadline = self.results.deadline
        rng = random.Random()
        while time.monotonic() < self.deadline:
            page = self.request("client list", "/clients/")
            self.clients = CLIENT_LINK.findall(page) or self.clients
            query = urllib.parse.urlencode({"q": rng.choice(SEARCHES)})
            self.request("search", f"/clients/?{query}")
            if not self.clients:
                continue
            client = rng.choice(self.clients)
            self.request("client page", f"/clients/{client}/")
            notes = self.request("notes", f"/clients/{client}/notes/")
            if rng.random() < self.note_share:
                form = self.request("note form", f"/clients/{client}/notes/new/")
                self.request(
                    "write note",
                    f"/clients/{client}/notes/new/",
                    {"csrfmiddlewaretoken": self.csrf_token(form or notes), "text": "Visited; all well."},
                )


class Results:
    def __init__(self):
        self.deadline = None
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = []

    def add(self, kind, elapsed, error):
        with self.lock:
            self.times[kind].append(elapsed)
            if error:
                self.errors.append(error)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8001")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=300, help="seconds of load after sign-in")
    parser.add_argument("--usernames", default="manager,officer", help="demo sign-ins, used in turn")
    parser.add_argument("--password", default="mifos-demo-2026")
    parser.add_argument("--note-share", type=float, default=0.2, help="share of visits that write a note")
    options = parser.parse_args()

    results = Results()
    names = options.usernames.split(",")

    def everyone_signed_in():
        results.deadline = time.monotonic() + options.duration
        with results.lock:
            results.signed_in = {kind: list(times) for kind, times in results.times.items()}
            results.times.clear()

    start = threading.Barrier(options.users, action=everyone_signed_in)
    users = [
        User(
            options.url.rstrip("/"),
            names[i % len(names)],
            options.password,
            start,
            results,
            options.note_share,
        )
        for i in range(options.users)
    ]
    for user in users:
        user.start()
    for user in users:
        user.join()
    elapsed = options.duration
    sign_ins = getattr(results, "signed_in", {}).get("sign in", [])
    if sign_ins:
        print(f"sign-in of {len(sign_ins)} users: p95 {percentile(sign_ins, 0.95) * 1000:.0f} ms (hashing)")
    total = sum(len(times) for times in results.times.values())
    print(f"{options.users} users, {elapsed:.0f} s: {total} requests, {total / elapsed:.1f} requests/s")
    print(f"{'request':<14}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    everything = []
    for kind, times in sorted(results.times.items()):
        everything.extend(times)
        print(
            f"{kind:<14}{len(times):>8}{statistics.median(times) * 1000:>9.0f}"
            f"{percentile(times, 0.95) * 1000:>9.0f}{max(times) * 1000:>9.0f}"
        )
    if everything:
        print(
            f"{'all':<14}{len(everything):>8}{statistics.median(everything) * 1000:>9.0f}"
            f"{percentile(everything, 0.95) * 1000:>9.0f}{max(everything) * 1000:>9.0f}"
        )
    print(f"errors: {len(results.errors)}")
    for error in results.errors[:20]:
        print("  " + error)
    return 1 if results.errors else 0


if __name__ == "__main__":
    sys.exit(main())
