"""Events per second that ``audit.record()`` writes, next to a bare INSERT of the same row.

Run by hand, not by CI, against a database of its own (the events it writes stay in the log, chained
like any other; ``verify_audit`` still passes):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mifos_bench \\
        .venv/bin/python bench/audit.py [--events 2000] [--threads 1,4,8]

``record()`` is one INSERT in the caller's transaction; after the commit, one short transaction seals
the waiting events into the hash chain (locks the chain head's row, hashes, moves the head). Alone in
its transaction an event thus costs two commits; sharing one with the page's work, a part of one.
Concurrent writers seal each other's events in batches, so the rate with several threads shows what
the chain costs under load. The bare INSERT goes
to a copy of the table (with its indexes on PostgreSQL), dropped afterwards, so the log is left intact.
"""

import argparse
import os
import secrets
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mifos.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(60))

import django  # noqa: E402

django.setup()

from django.db import connection, connections, transaction  # noqa: E402

from audit import record  # noqa: E402
from audit.models import Event  # noqa: E402
from clients.models import Client  # noqa: E402
from offices.models import User  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=2000, help="events per measure (default 2000)")
    parser.add_argument("--threads", default="1,4,8", help="concurrent writers to try (PostgreSQL only)")
    return parser.parse_args()


def subject():
    client = Client.objects.order_by("pk").first()
    user = User.objects.filter(is_active=True).order_by("pk").first()
    return user, client


def time_record(count, threads, user, client):
    """Events per second of ``record()`` with ``threads`` writers sharing ``count`` events."""
    per_thread = count // threads

    def write():
        try:
            for number in range(per_thread):
                record(user, "bench.audit.recorded", obj=client, number=number)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=write) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return per_thread * threads / (time.perf_counter() - started)


def time_record_in_transactions(count, per_transaction, user, client):
    """Events per second of ``record()`` when ``per_transaction`` events share one transaction (a page
    that changes a client and a part, an import's batch): their INSERTs commit with the work, and one
    short sealing transaction follows each commit."""
    started = time.perf_counter()
    for _start in range(0, count, per_transaction):
        with transaction.atomic():
            for number in range(per_transaction):
                record(user, "bench.audit.recorded", obj=client, number=number)
    return count / (time.perf_counter() - started)


def time_bare_insert(count, user, client):
    """Events per second of a plain INSERT of the same row (no lock, no hash, no head), committed each."""
    table = Event._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TABLE bench_event (LIKE {table} INCLUDING ALL)")
        else:
            cursor.execute(f"CREATE TABLE bench_event AS SELECT * FROM {table} WHERE 0")
    template = record(user, "bench.audit.template", obj=client, number=0)
    columns = [each.column for each in Event._meta.concrete_fields if each.column != "id"]
    values = [
        each.get_db_prep_save(getattr(template, each.attname), connection)
        for each in Event._meta.concrete_fields
        if each.column != "id"
    ]
    sequence_at = columns.index("sequence")
    sql = (
        f"INSERT INTO bench_event ({', '.join(columns)}, id) VALUES ({', '.join(['%s'] * len(columns))}, %s)"
    )
    started = time.perf_counter()
    for number in range(count):
        row = list(values)
        row[sequence_at] = number + 1
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [*row, number + 1])
    rate = count / (time.perf_counter() - started)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_event")
    return rate


def main():
    args = parse_args()
    user, client = subject()
    if user is None or client is None:
        sys.exit("Load the demo first: manage.py seed_demo")
    print(f"{Event.objects.count():,} events in the log; {connection.vendor}")
    print(f"{'writer':<28} {'events/s':>10}")
    bare = time_bare_insert(args.events, user, client)
    print(f"{'bare INSERT, 1 thread':<28} {bare:>10.0f}")
    threads = [int(each) for each in args.threads.split(",")] if connection.vendor == "postgresql" else [1]
    for count in threads:
        rate = time_record(args.events, count, user, client)
        print(f"{f'record(), {count} thread(s)':<28} {rate:>10.0f}   ({rate / bare:.0%} of bare, 1 thread)")
    for per_transaction in (5, 50):
        rate = time_record_in_transactions(args.events, per_transaction, user, client)
        label = f"record(), {per_transaction} per transaction"
        print(f"{label:<28} {rate:>10.0f}   ({rate / bare:.0%} of bare, 1 thread)")
    print(f"cost per event, 1 writer: {1000 / time_record(args.events // 4, 1, user, client):.2f} ms")


if __name__ == "__main__":
    main()
