"""Instructions per request of the main pages, counted by callgrind: figures the machine's load does not move.

Run by hand, not by CI, against the database of bench/search.py (``seed_demo --clients 1000000``);
it needs valgrind and a C compiler (Debian's valgrind and gcc packages):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mifos_bench \\
        .venv/bin/python bench/instructions.py [--requests 5]

bench/throughput.py and bench/cost.py time the pages, and on a shared two-core machine their
figures move by a sixth from one run to the next: too much to tell a 5 % change from noise.
callgrind counts the instructions the Python process executes, the same from run to run, so a
change to one page shows as it is. The script starts itself again under valgrind (callgrind, its
instrumentation off until asked), requests each page of bench/throughput.py in-process under
production settings as its head-office user (as bench/cost.py does), and counts the instructions
of ``--requests`` requests after five untimed ones. PostgreSQL's own work is not in the count
(bench/cost.py measures it); the ratio column compares with the signed-out sign-in page, as the
targets of issue #18 do. To compare with an older commit, check it out beside this one (``git
worktree add``), copy bench/instructions.py, bench/cost.py and bench/throughput.py into it, and
run it there against the same database.
"""

import argparse
import ctypes
import gc
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Callgrind's client requests are C macros: a two-function library starts and stops the count.
COUNTER_SOURCE = """
#include <valgrind/callgrind.h>
void count_start(void) { CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; }
void count_stop(const char *name) { CALLGRIND_STOP_INSTRUMENTATION; CALLGRIND_DUMP_STATS_AT(name); }
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5, help="counted requests per page (default 5)")
    parser.add_argument("--user", default="admin", help="a head-office sign-in of seed_demo (default admin)")
    parser.add_argument("--inside", metavar="LIBRARY", help=argparse.SUPPRESS)  # the run under valgrind
    return parser.parse_args()


def main():
    args = parse_args()
    if args.inside:
        count_pages(args)
        return
    for tool in ("valgrind", "cc"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed: apt-get install valgrind gcc")
    with tempfile.TemporaryDirectory(prefix="bench-instructions-") as folder:
        folder = Path(folder)
        (folder / "counter.c").write_text(COUNTER_SOURCE)
        library = folder / "counter.so"
        subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-o", library, folder / "counter.c"], check=True)
        command = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={folder}/counts",
            sys.executable, __file__, "--inside", str(library), "--requests", str(args.requests),
            "--user", args.user,
        ]  # fmt: skip
        run = subprocess.run(command, capture_output=True, text=True)
        if run.returncode:
            sys.exit(f"the run under valgrind failed:\n{run.stdout}\n{run.stderr[-3000:]}")
        report(run.stdout, counts(folder), args.requests)


def counts(folder):
    """{page name: instructions counted} from callgrind's dumps, one per page."""
    found = {}
    for dump in folder.glob("counts.*"):
        text = dump.read_text(errors="replace")
        name = re.search(r"^desc: Trigger: Client Request: (.*)$", text, re.MULTILINE)
        total = re.search(r"^totals: (\d+)", text, re.MULTILINE)
        if name and total:
            found[name.group(1)] = int(total.group(1))
    return found


def report(pages_text, found, requests):
    print(f"instructions per request (millions), in-process, production settings; {requests} requests a page")
    print(f"{'page':<34} {'Minstr':>8} {'ratio':>6} target")
    rows = [line.split("\t") for line in pages_text.splitlines()]
    floor = next(found[name] for name, _target, is_floor in rows if is_floor)
    for name, target, _is_floor in rows:
        ratio = floor / found[name]
        goal = f">={target}" if target else ""
        print(f"{name:<34} {found[name] / requests / 1e6:>8.2f} {ratio:>6.2f} {goal}")


def count_pages(args):
    """Under valgrind: request every page, counting the instructions of ``--requests`` of each."""
    sys.path.insert(0, str(HERE))
    import throughput  # noqa: I001 -- sets production settings up, names the pages and their targets

    from cost import Caller, HOST
    from django.core.management import call_command
    from django.test import Client as Browser

    from offices.models import User

    counter = ctypes.CDLL(args.inside)
    call_command("collectstatic", interactive=False, verbosity=0)
    try:
        user = User.objects.get(username=args.user)
        browser = Browser(HTTP_HOST=HOST)
        browser.force_login(user)
        call = Caller(browser.cookies["sessionid"].value)
        for name, path, signed_in, target in throughput.pages(user):
            for _ in range(5):
                status, _body = call(path, signed_in)
            if not status.startswith("200"):
                sys.exit(f"{path} answered {status}")
            # As a gunicorn worker does once loaded (gunicorn.conf.py): what is loaded leaves the
            # collector's care, so a full collection does not land in one page's count by chance
            # (one cost the notes tab 11M instructions).
            gc.collect()
            gc.freeze()
            counter.count_start()
            for _ in range(args.requests):
                call(path, signed_in)
            counter.count_stop(name.encode())
            print(f"{name}\t{target or ''}\t{'yes' if name == throughput.SIGN_IN else ''}")
    finally:
        shutil.rmtree(throughput.STATIC_ROOT, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
