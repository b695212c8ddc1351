"""Sum up a locust run against the targets of issue 9: no errors, p95 under 300 ms for staff at
work. The sign-ins (password and code) are reported apart: a one-off per session, slow on purpose
(argon2), and all at once when the run starts. Writes a markdown table and prints it.

    .venv/bin/python bench/load_report.py bench/results/load-100000 --users 50 --out bench/results/load-100000.md

Reads ``<prefix>_stats.csv`` (locust's --csv) and ``<prefix>-times.json`` (every request's time,
written by bench/locustfile.py).
"""

import argparse
import csv
import json
import statistics
from pathlib import Path

P95_TARGET_MS = 300
SIGN_IN = ("/login/", "/login/ (password)", "/login/verify/ (code)")


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def summary(label: str, times: list[tuple[str, float, bool]]) -> str:
    values = [time for _name, time, _failed in times]
    failures = sum(failed for _name, _time, failed in times)
    if not values:
        return f"- {label}: no requests"
    return (
        f"- {label}: {len(values)} requests, {failures} failed; median {statistics.median(values):.0f} ms, "
        f"p95 {percentile(values, 0.95):.0f} ms, max {max(values):.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("prefix", help="the --csv prefix given to locust")
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    with open(f"{args.prefix}_stats.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    times = [tuple(entry) for entry in json.loads(Path(f"{args.prefix}-times.json").read_text())]
    work = [entry for entry in times if entry[0] not in SIGN_IN]
    sign_in = [entry for entry in times if entry[0] in SIGN_IN]
    total = next(row for row in rows if row["Name"] == "Aggregated")
    met = int(total["Failure Count"]) == 0 and percentile([t for _n, t, _f in work], 0.95) < P95_TARGET_MS
    lines = [
        f"# Load test: {args.users} staff",
        "",
        f"- Throughput: {float(total['Requests/s']):.1f} requests/s; {total['Failure Count']} failures in all",
        summary("Work (everything but signing in)", work),
        summary("Signing in (password, code)", sign_in),
        f"- Target (no errors, p95 of the work under {P95_TARGET_MS} ms): "
        + ("**met**" if met else "**not met**"),
        "",
        "| request | count | failures | median ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        if row["Name"] != "Aggregated":
            lines.append(
                f"| {row['Type']} {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} "
                f"| {row['95%']} | {float(row['Max Response Time']):.0f} |"
            )
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
