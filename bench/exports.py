"""Benchmark of a background export: the client list of the busiest organisation's coordinator
as .xlsx and as CSV, the way the job runs it (``exports.jobs.run_export``).

    .venv/bin/python bench/exports.py --out bench/results/exports-sqlite-100000.md

Run bench/generate.py first. Notes the wall time, the peak Python memory (tracemalloc: the rows
are written as they are read, so it should not grow with the list), the number of queries and
the file's size. The read log entries the job writes are removed afterwards.
"""

import argparse
import os
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

from hemkommun.access import policy  # noqa: E402
from hemkommun.clients.models import Client  # noqa: E402
from hemkommun.core.models import ReadEvent  # noqa: E402
from hemkommun.exports import jobs  # noqa: E402
from hemkommun.exports.models import ExportJob  # noqa: E402
from hemkommun.organizations.models import Organisation, Role, Unit, User  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    user = busiest_coordinator()
    visible = policy.visible_clients(user).count()
    lines = [measure(user, visible, file_format) for file_format in ("xlsx", "csv")]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        "| database | clients | rows exported | format | seconds | peak MiB | queries | file MiB |\n"
        "|---|---:|---:|---|---:|---:|---:|---:|\n" + "\n".join(lines) + "\n"
    )


def busiest_coordinator() -> User:
    busiest = Client.objects.values("organisation").annotate(clients=Count("id")).order_by("-clients").first()
    organisation = Organisation.objects.get(pk=busiest["organisation"])
    user, _created = User.objects.get_or_create(username="bench-export-coordinator")
    unit = Unit.objects.filter(organisation=organisation).first()
    user.memberships.get_or_create(unit=unit, role=Role.COORDINATOR)
    return user


def measure(user: User, visible: int, file_format: str) -> str:
    """Runs the job twice: timed, then under tracemalloc (which slows Python down several times)."""
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        rows, size = run_job(user, file_format)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    run_job(user, file_format)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    line = (
        f"| {connection.vendor} | {Client.objects.count():,} | {rows:,} of {visible:,} | {file_format} | "
        f"{seconds:.1f} | {peak / 2**20:.0f} | {len(queries.captured_queries)} | {size / 2**20:.1f} |"
    )
    print(line, flush=True)
    return line


def run_job(user: User, file_format: str) -> tuple[int, int]:
    """One export as the background job makes it; the job, its file and its reads removed after."""
    job = ExportJob.objects.create(
        user=user, kind="clients", file_format=file_format, params={}, language="fi"
    )
    jobs.run_export(str(job.pk))
    job.refresh_from_db()
    rows, size = job.rows_done, job.file.size if job.file else 0
    if job.file:
        job.file.delete(save=False)
    ReadEvent.objects.filter(user=user).delete()
    job.delete()
    return rows, size


if __name__ == "__main__":
    main()
