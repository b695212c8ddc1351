"""Benchmark of the compensation forecast: one year's totals for the payee with the most clients.

    .venv/bin/python bench/compensation.py --out bench/results/compensation-sqlite-100000.md

Run bench/generate.py first. Times ``forecast_totals`` (the page's and the budget's computation:
one streamed query of a few columns per client, then the totals without a row per client and
month) three times, and notes the peak Python memory (tracemalloc) and the number of queries.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hemkommun.config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
# Benchmark-only encryption keys (docs/encryption.md): DEBUG is off, so there is no default.
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "YmVuY2htYXJrLW9ubHktZmllbGQta2V5LTAwMDAwMDA=")
os.environ.setdefault("BLIND_INDEX_KEY", "YmVuY2htYXJrLW9ubHktYmxpbmQtaW5kZXgta2V5LTA=")
os.environ.setdefault("AUDIT_CHAIN_KEY", "benchmark-only-audit-chain-key")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from hemkommun.clients.models import Client  # noqa: E402
from hemkommun.compensation.totals import forecast_totals  # noqa: E402
from hemkommun.organizations.models import Organisation  # noqa: E402

REPEAT = 3


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--year", type=int, default=datetime.date.today().year)
    args = parser.parse_args()
    busiest = Client.objects.values("organisation").annotate(clients=Count("id")).order_by("-clients").first()
    payee = Organisation.objects.get(pk=busiest["organisation"])
    first, last = datetime.date(args.year, 1, 1), datetime.date(args.year, 12, 1)
    timings = []
    for _run in range(REPEAT):
        started = time.perf_counter()
        totals = forecast_totals(payee=payee, first=first, last=last)
        timings.append(time.perf_counter() - started)
    tracemalloc.start()
    with CaptureQueriesContext(connection) as queries:
        forecast_totals(payee=payee, first=first, last=last)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    line = (
        f"| {connection.vendor} | {Client.objects.count():,} | {busiest['clients']:,} | {totals.clients:,} | "
        f"{totals.client_months:,} | {totals.total:,.2f} | {statistics.median(timings):.2f} | "
        f"{peak / 2**20:.0f} | {len(queries.captured_queries)} |"
    )
    print(line)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        "| database | clients | payee's clients | clients paid for | client-months | € | median s | "
        "peak MiB | queries |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n" + line + "\n"
    )


if __name__ == "__main__":
    main()
