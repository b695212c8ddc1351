"""Experiments behind docs/performance.md: the access rule's OR and an index for the name order.

    .venv/bin/python bench/explain_variants.py   (PostgreSQL only, after bench/generate.py)

Prints EXPLAIN ANALYZE times of the current queries and of the variants; creates an index
bench_client_name_idx in the benchmark database (dropped at the start of the next run).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hemkommun.config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
# Benchmark-only encryption keys (docs/encryption.md): DEBUG is off, so there is no default.
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "YmVuY2htYXJrLW9ubHktZmllbGQta2V5LTAwMDAwMDA=")
os.environ.setdefault("BLIND_INDEX_KEY", "YmVuY2htYXJrLW9ubHktYmxpbmQtaW5kZXgta2V5LTA=")
os.environ.setdefault("AUDIT_CHAIN_KEY", "benchmark-only-audit-chain-key")
import django  # noqa: E402

# ruff: noqa: E402

django.setup()
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Lookup, Q
from django.db.models.fields import BigAutoField

from hemkommun.access import policy
from hemkommun.access.models import Share
from hemkommun.clients import selectors
from hemkommun.clients.models import Client, ClientNameToken
from hemkommun.organizations.models import User


@BigAutoField.register_lookup
class AnyLookup(Lookup):
    lookup_name = "any"

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [])

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


ORDER = ("family_name_latin", "given_names_latin", "id")


def timing(plan):
    return next(line for line in plan.splitlines() if "Execution Time" in line)


counsellor = User.objects.get(username="bench.counsellor")
admin = User.objects.get(username="bench.admin")
orgs = policy.organisation_ids_with(counsellor, policy.CLIENT_DATA_ROLES)
shared = Share.objects.in_force().filter(organisation_id__in=orgs).values("client_id")
variant = Client.objects.filter(Q(organisation_id__in=orgs) | Q(id__any=ArraySubquery(shared)))
tokens = ClientNameToken.objects.filter(token__startswith="jarv").values("client_id")
cases = {
    "counsellor list (current)": policy.visible_clients(counsellor)
    .select_related("organisation")
    .order_by(*ORDER)[:25],
    "counsellor count (current)": policy.visible_clients(counsellor).order_by().values("id"),
    "counsellor list (ANY(ARRAY))": variant.select_related("organisation").order_by(*ORDER)[:25],
    "counsellor count (ANY(ARRAY))": variant.order_by().values("id"),
    # A name search reads a page of ids from the token index (selectors.ClientResults).
    "counsellor search jarv (current)": selectors.client_search(
        user=counsellor, search=selectors.ClientSearch(text="jarv")
    ).page_query(50),
    "counsellor search jarv (ANY(ARRAY))": variant.filter(id__in=tokens)
    .select_related("organisation")
    .order_by(*ORDER)[:25],
    "counsellor search count jarv (ANY(ARRAY))": variant.filter(id__in=tokens).order_by().values("id"),
    "superuser list": Client.objects.select_related("organisation").order_by(*ORDER)[:25],
    "superuser count": Client.objects.order_by().values("id"),
    "superuser search jarv": selectors.client_search(
        user=admin, search=selectors.ClientSearch(text="jarv")
    ).page_query(50),
}


def run(label):
    print(f"## {label}")
    for name, qs in cases.items():
        plans = [qs.explain(analyze=True) for _ in range(3)]
        print(f"- {name}: {'; '.join(timing(p).split(': ')[1] for p in plans)}")
    return plans


with connection.cursor() as c:
    c.execute("DROP INDEX IF EXISTS bench_client_name_idx")
run("before")
with connection.cursor() as c:
    c.execute(
        "CREATE INDEX bench_client_name_idx ON clients_client (family_name_latin, given_names_latin, id)"
    )
    c.execute("ANALYZE clients_client")
run("with an index on (family_name_latin, given_names_latin, id)")
print("```")
print(cases["counsellor list (ANY(ARRAY))"].explain(analyze=True))
print("```")
print("```")
print(cases["superuser list"].explain(analyze=True))
print("```")
