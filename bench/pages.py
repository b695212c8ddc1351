"""Benchmark of the pages of issue 9 beyond the client list (bench/run.py has the list and search).

    .venv/bin/python bench/pages.py --repeat 20 --out bench/results/pages-postgresql-100000.md

Run bench/generate.py and bench/events.py first. Each case calls the real view through Django's
test client (all middleware, the access rule, the read log, the template) as the restricted
counsellor (Vasa) and, where the page is theirs too, as the superuser; median and 95th
percentile of the server time of N requests, and the queries of one further request. A case
whose data is missing (no plan yet, say) is reported as skipped with the reason.
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
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
from django.test import Client as TestClient  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from hemkommun.casework.models import IntegrationPlan  # noqa: E402
from hemkommun.clients.models import Client  # noqa: E402
from hemkommun.organizations.models import Organisation, User  # noqa: E402

COUNSELLOR = "bench.counsellor"
SUPERUSER = "bench.admin"
COORDINATOR = "bench.coordinator"  # made by bench/events.py; statistics and the forecast are theirs
RESTRICTED_MUNICIPALITY = "905"  # Vasa, as in bench/generate.py


class Skip(Exception):
    """The data set has nothing for this case."""


@dataclass
class Case:
    name: str
    address: Callable[[], str]
    users: tuple[str, ...]


def busiest_vasa_client() -> str:
    """A Vasa client with a plan if there is one (the page then shows casework), else any."""
    plan = (
        IntegrationPlan.objects.filter(client__organisation__code=RESTRICTED_MUNICIPALITY)
        .order_by("pk")
        .first()
    )
    client = (
        plan.client if plan else Client.objects.filter(organisation__code=RESTRICTED_MUNICIPALITY).first()
    )
    if client is None:
        raise Skip("no client in Vasa")
    return f"/clients/{client.pk}/"


def plan_pdf() -> str:
    plan = (
        IntegrationPlan.objects.filter(client__organisation__code=RESTRICTED_MUNICIPALITY)
        .order_by("-pk")
        .first()
    )
    if plan is None:
        raise Skip("no plan in the data set: run bench/events.py")
    return f"/casework/plans/{plan.pk}/pdf/fi/"


def forecast() -> str:
    payee = Organisation.objects.get(code=RESTRICTED_MUNICIPALITY)
    year = datetime.date.today().year
    return f"/compensation/forecast/?payee={payee.pk}&first={year}-01&last={year}-12"


CASES = [
    Case("worklist", lambda: "/casework/worklist/", (COUNSELLOR, SUPERUSER)),
    Case("client page", busiest_vasa_client, (COUNSELLOR, SUPERUSER)),
    Case("referral inbox", lambda: "/casework/referrals/", (COUNSELLOR, SUPERUSER)),
    Case("statistics", lambda: "/reports/statistics/", (COORDINATOR,)),
    Case("compensation forecast", forecast, (COORDINATOR,)),
    Case("plan PDF", plan_pdf, (COUNSELLOR,)),
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    setup_test_environment()  # lets the test client use the 'testserver' host
    browsers = {name: signed_in(name) for name in (COUNSELLOR, SUPERUSER, COORDINATOR)}
    results = []
    for case in CASES:
        try:
            address = case.address()
        except Skip as reason:
            results.append({"case": case.name, "user": "", "skipped": str(reason)})
            continue
        for user in case.users:
            result = {
                "case": case.name,
                "user": user,
                "address": address,
                **measure(browsers[user], address, args.repeat),
            }
            results.append(result)
            print(format_row(result), flush=True)
    write_report(args.out, args.repeat, results)


def signed_in(username: str) -> TestClient:
    browser = TestClient()
    browser.force_login(User.objects.get(username=username))
    return browser


def measure(browser: TestClient, address: str, repeat: int) -> dict:
    for _warm_up in range(2):
        status = browser.get(address).status_code
        if status != 200:
            return {"status": status}
    timings = []
    for _index in range(repeat):
        started = time.perf_counter()
        browser.get(address)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        browser.get(address)
    return {
        "status": 200,
        "median_ms": statistics.median(timings),
        "p95_ms": statistics.quantiles(timings, n=20)[18],
        "queries": len(queries.captured_queries),
        "sql_ms": sum(float(query["time"]) for query in queries.captured_queries) * 1000,
    }


def format_row(result: dict) -> str:
    if "skipped" in result:
        return f"| {result['case']} | – | skipped: {result['skipped']} | | | |"
    if result["status"] != 200:
        return f"| {result['case']} | {result['user']} | status {result['status']} | | | |"
    return (
        f"| {result['case']} | {result['user']} | {result['median_ms']:.1f} | {result['p95_ms']:.1f} "
        f"| {result['queries']} | {result['sql_ms']:.1f} |"
    )


def write_report(path: Path, repeat: int, results: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        f"# {connection.vendor}: {Client.objects.count():,} clients, {repeat} requests per case",
        "",
        "| case | user | median ms | p95 ms | queries | SQL ms (one request) |",
        "|---|---|---:|---:|---:|---:|",
        *(format_row(result) for result in results),
    ]
    path.write_text("\n".join(lines) + "\n")
    path.with_suffix(".json").write_text(json.dumps({"vendor": connection.vendor, "results": results}))
    print(f"written {path}")


if __name__ == "__main__":
    main()
