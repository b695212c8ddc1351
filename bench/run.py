"""Benchmark of the client list and search pages, for a restricted counsellor and a superuser.

    .venv/bin/python bench/run.py --repeat 30 --out bench/results/sqlite-100000.md

Run bench/generate.py first. Each case calls the real view through Django's test client (all
middleware, the access rule, the read log, the template) and measures the server time of N
requests: median and 95th percentile. Queries are counted in one further request, and the plan
of the page query is written with EXPLAIN (ANALYZE on PostgreSQL).
"""

import argparse
import json
import os
import statistics
import sys
import time
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

from hemkommun.access import policy  # noqa: E402
from hemkommun.clients import selectors  # noqa: E402
from hemkommun.clients.models import Client  # noqa: E402
from hemkommun.core.models import ReadEvent  # noqa: E402
from hemkommun.core.pagination import CappedPaginator  # noqa: E402
from hemkommun.organizations.models import User  # noqa: E402

COUNSELLOR = "bench.counsellor"
SUPERUSER = "bench.admin"
# (case, query string, search text): a common family name typed without diacritics, a name
# and a given-name prefix, a rare name, and the plain list.
CASES = [
    ("list", "", ""),
    ("search 'jarvinen'", "q=jarvinen", "jarvinen"),
    ("search 'jarv' (prefix)", "q=jarv", "jarv"),
    ("search 'hamalainen ai'", "q=hamalainen+ai", "hamalainen ai"),
    ("search rare name 'kamira'", "q=kamira", "kamira"),
    ("list, page 40", "page=40", ""),
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--out", type=Path, required=True, help="markdown file for the results")
    args = parser.parse_args()
    setup_test_environment()  # lets the test client use the 'testserver' host

    total = Client.objects.count()
    results = []
    plans = []
    for username in (COUNSELLOR, SUPERUSER):
        user = User.objects.get(username=username)
        browser = TestClient()
        browser.force_login(user)
        visible = policy.visible_clients(User.objects.get(pk=user.pk)).count()
        for case, query, text in CASES:
            result = measure(browser, f"/clients/?{query}", args.repeat)
            result.update(case=case, user=username, visible=visible)
            results.append(result)
            print(format_row(result), flush=True)
            plans.append((username, case, explain(User.objects.get(pk=user.pk), text, query)))
    write_report(args.out, total, args.repeat, results, plans)


def measure(browser: TestClient, url: str, repeat: int) -> dict:
    for _warm_up in range(3):
        assert browser.get(url).status_code == 200
    timings = []
    for _index in range(repeat):
        started = time.perf_counter()
        response = browser.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(url)
    matches = response.context["page"].paginator.count
    sql_ms = sum(float(query["time"]) for query in queries.captured_queries) * 1000
    return {
        "url": url,
        "median_ms": statistics.median(timings),
        "p95_ms": statistics.quantiles(timings, n=20)[18],
        "queries": len(queries.captured_queries),
        "sql_ms": sql_ms,
        "matches": matches,
        "sql": [query["sql"] for query in queries.captured_queries],
    }


def explain(user: User, text: str, query: str) -> str:
    """The plan of the page query and of the count, as the database runs them."""
    search = selectors.ClientSearch(text=text)
    clients = selectors.client_search(user=user, search=search)
    offset = 39 * 25 if "page=40" in query else 0
    options = {"analyze": True} if connection.vendor == "postgresql" else {}
    if isinstance(clients, selectors.ClientResults):
        # A name search: the page of ids from the token index, then the capped count.
        page, count = clients.page_query(offset + 50), clients.count_query(CappedPaginator.cap)
    else:
        page, count = clients[offset : offset + 25], clients.order_by().values("id")
    return "\n\n".join((page.explain(**options), count.explain(**options)))


def format_row(result: dict) -> str:
    return (
        f"| {result['case']} | {result['user']} | {result['visible']:,} | {result['matches']:,} | "
        f"{result['median_ms']:.1f} | {result['p95_ms']:.1f} | {result['queries']} | {result['sql_ms']:.1f} |"
    )


def write_report(path: Path, total: int, repeat: int, results: list[dict], plans: list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    version = connection.connection.info.server_version if connection.vendor == "postgresql" else ""
    lines = [
        f"# {connection.vendor} {version}: {total:,} clients, {repeat} requests per case",
        "",
        f"Read events in the log after the run: {ReadEvent.objects.count():,}.",
        "",
        "| case | user | visible clients | matches | median ms | p95 ms | queries | SQL ms (one request) |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
        *(format_row(result) for result in results),
        "",
        "## Query plans (page query, then the count)",
    ]
    for username, case, plan in plans:
        lines += ["", f"### {username}: {case}", "```", plan, "```"]
    lines += ["", "## Queries of one request"]
    for result in results:
        lines += ["", f"### {result['user']}: {result['case']}", "```", *result["sql"], "```"]
    path.write_text("\n".join(lines) + "\n")
    summary = [{key: value for key, value in result.items() if key != "sql"} for result in results]
    path.with_suffix(".json").write_text(
        json.dumps({"vendor": connection.vendor, "clients": total, "results": summary})
    )
    print(f"written {path}")


if __name__ == "__main__":
    main()
