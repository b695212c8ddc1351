"""Fill the configured database with synthetic clients for the benchmarks (not for production).

    .venv/bin/python bench/generate.py --clients 100000

Tops the register up to ``--clients`` rows (run it again with 1000000 to grow the same database),
with the search index (ClientNameToken, built with the same ``name_token_rows`` as the services) and
the duplicate-search key (``client_name_key``, as the services set it), a
few organisations, some shares and two staff members the benchmark signs in as. Rows go in with
COPY on PostgreSQL and executemany on SQLite: the services (and so the write log) are bypassed
on purpose, a million clients through the ORM would take hours. ``--rebuild-tokens`` first
refills the search index of the clients already there (after a change to its columns).
"""

import argparse
import datetime
import os
import random
import sys
import time
from collections.abc import Iterator
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

from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from hemkommun.access.models import Share  # noqa: E402
from hemkommun.clients.duplicates import client_name_key  # noqa: E402
from hemkommun.clients.models import Client, ClientNameToken, EarlierResidence  # noqa: E402
from hemkommun.clients.services import NAME_FIELDS, name_token_rows  # noqa: E402
from hemkommun.organizations import demo_data  # noqa: E402
from hemkommun.organizations.models import Membership, Organisation, Role, Unit, User  # noqa: E402

# (municipality code, name, share of the clients); the restricted counsellor works in Vasa.
MUNICIPALITIES = [
    ("091", "Helsinki", 30),
    ("049", "Espoo", 15),
    ("092", "Vantaa", 12),
    ("905", "Vasa", 10),
    ("853", "Turku", 8),
    ("837", "Tampere", 7),
    ("564", "Oulu", 6),
    ("179", "Jyväskylä", 5),
    ("398", "Lahti", 4),
    ("545", "Närpes", 3),
]
RESTRICTED_MUNICIPALITY = "905"
COUNSELLOR = "bench.counsellor"
SUPERUSER = "bench.admin"
SHARED_SHARE = 0.005  # of the clients are shared with the welfare area or with Vasa
MOVED_SHARE = 0.02  # of the clients moved here from another municipality

FINNISH_FAMILIES = [
    "Järvinen", "Mäkinen", "Hämäläinen", "Virtanen", "Korhonen", "Nieminen", "Mäkelä", "Heikkinen",
    "Koskinen", "Lehtonen", "Laine", "Söderström", "Björklund", "Sjöholm", "Östman", "Nyström",
    "Åkerlund", "Hägglund", "Kärkkäinen", "Pöllänen",
]  # fmt: skip
FINNISH_GIVEN = [
    "Aino", "Eero", "Mikko", "Anna-Liisa", "Jönå", "Åsa", "Björn", "Päivi", "Jyrki", "Sanna",
    "Ville", "Linnéa", "Mårten", "Ülle",
]  # fmt: skip
SYLLABLES = [
    "ka",
    "mi",
    "ra",
    "to",
    "ne",
    "li",
    "sa",
    "vo",
    "ha",
    "ju",
    "pe",
    "ri",
    "mo",
    "an",
    "el",
    "is",
    "ur",
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, required=True, help="total number of clients wanted")
    parser.add_argument("--batch", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--rebuild-tokens", action="store_true", help="first refill the search index of the existing clients"
    )
    args = parser.parse_args()
    if args.rebuild_tokens:
        rebuild_tokens(args.batch)

    organisations = ensure_organisations()
    existing = Client.objects.count()
    missing = max(0, args.clients - existing)
    print(f"{connection.vendor}: {existing} clients, adding {missing}", flush=True)
    rng = random.Random(args.seed + existing)
    pools = NamePools(rng)
    started = time.perf_counter()
    next_id = (Client.objects.aggregate(top=models.Max("id"))["top"] or 0) + 1
    added = 0
    while added < missing:
        size = min(args.batch, missing - added)
        clients = [synthetic_client(rng, pools, organisations, next_id + index) for index in range(size)]
        insert_batch(clients)
        next_id += size
        added += size
        rate = added / (time.perf_counter() - started)
        print(f"  {existing + added} clients ({rate:,.0f}/s)", flush=True)
    if missing:
        reset_sequences()
        add_shares(rng, organisations, missing)
        add_moves(rng, organisations, missing)
    analyse()
    print(f"done in {time.perf_counter() - started:.0f} s", flush=True)


def ensure_organisations() -> list[tuple[Organisation, Unit, int]]:
    """The municipalities with their integration units and weights, the welfare area and two users."""
    result = []
    for code, name, weight in MUNICIPALITIES:
        organisation, _created = Organisation.objects.get_or_create(
            code=code,
            defaults={"kind": "municipality", "municipality_code": code, "name_fi": name, "name_sv": name},
        )
        unit, _created = Unit.objects.get_or_create(
            organisation=organisation,
            kind=Unit.Kind.INTEGRATION_UNIT,
            defaults={"name_fi": "Kotouttamispalvelut", "name_sv": "Integrationstjänster"},
        )
        result.append((organisation, unit, weight))
    Organisation.objects.get_or_create(
        code="bench-welfare",
        defaults={"kind": "welfare_area", "name_fi": "Hyvinvointialue", "name_sv": "Välfärdsområde"},
    )
    counsellor, _created = User.objects.get_or_create(username=COUNSELLOR)
    vasa_unit = next(
        unit for organisation, unit, _w in result if organisation.code == RESTRICTED_MUNICIPALITY
    )
    Membership.objects.get_or_create(user=counsellor, unit=vasa_unit, role=Role.COUNSELLOR)
    User.objects.get_or_create(username=SUPERUSER, defaults={"is_superuser": True, "is_staff": True})
    return result


class NamePools:
    """Common Finnish names, the demo region's names in their scripts, and rare synthetic ones."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.origins = list(demo_data.ORIGINS.values())

    def person(self) -> dict:
        draw = self.rng.random()
        sex = self.rng.choice("MF")
        if draw < 0.3:
            family = (self.rng.choice(FINNISH_FAMILIES),)
            given = (self.rng.choice(FINNISH_GIVEN),)
        elif draw < 0.7:
            origin = self.rng.choice(self.origins)
            family = self.rng.choice(origin.families).for_sex(sex)
            given = self.rng.choice(origin.male if sex == "M" else origin.female)
        else:
            family = (self._synthetic(4).capitalize(),)
            given = (self._synthetic(2).capitalize(),)
        return {
            "sex": sex,
            "family_name": family[0],
            "family_name_latin": family[-1],
            "given_names": given[0],
            "given_names_latin": given[-1],
        }

    def _synthetic(self, syllables: int) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _index in range(syllables))


def synthetic_client(rng: random.Random, pools: NamePools, organisations, pk: int) -> Client:
    organisation, unit, _weight = rng.choices(organisations, weights=[w for _o, _u, w in organisations])[0]
    born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randint(0, 365 * 74))
    precision = rng.random()
    arrival = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randint(0, 365 * 10))
    client = Client(
        id=pk,
        organisation=organisation,
        responsible_unit=unit,
        municipality_of_residence=organisation,
        birth_year=born.year,
        birth_month=born.month if precision > 0.1 else None,
        birth_day=born.day if precision > 0.15 else None,
        residence_ground=rng.choice(("quota_refugee", "asylum", "temporary_protection", "family", "work")),
        arrival_date=arrival,
        home_municipality_date=arrival + datetime.timedelta(days=rng.randint(0, 400)),
        client_since=arrival,
        native_language=rng.choice(("ar", "prs", "fa", "ckb", "ru", "uk", "so", "ti", "vi")),
        **pools.person(),
    )
    # What the services set on save: COPY passes them by, the duplicate search needs the key.
    client.name_key = client_name_key(client)
    return client


def _value(client: Client, field: models.Field, now: datetime.datetime):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    value = getattr(client, field.attname)
    if value is None and not field.null:
        value = field.get_default() if field.has_default() else ""
    return value


def client_rows(clients: list[Client]) -> tuple[list[str], Iterator[tuple]]:
    fields = Client._meta.concrete_fields
    now = timezone.now()
    columns = [field.column for field in fields]
    return columns, (tuple(_value(client, field, now) for field in fields) for client in clients)


TOKEN_COLUMNS = ["client_id", "token", "organisation_id", "family_name_latin", "given_names_latin"]


def token_rows(clients: list[Client]) -> Iterator[tuple]:
    for client in clients:
        for token in name_token_rows(client):
            yield tuple(getattr(token, column) for column in TOKEN_COLUMNS)


def insert_batch(clients: list[Client]) -> None:
    columns, rows = client_rows(clients)
    with transaction.atomic():
        copy_rows(Client._meta.db_table, columns, rows)
        copy_rows(ClientNameToken._meta.db_table, TOKEN_COLUMNS, token_rows(clients))


def rebuild_tokens(batch: int) -> None:
    """Empty the search index and fill it again from the clients (after a change to its columns)."""
    started = time.perf_counter()
    table = ClientNameToken._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}" if connection.vendor == "postgresql" else f"DELETE FROM {table}")
    done, last = 0, 0
    fields = ["id", "organisation_id", *NAME_FIELDS]
    while True:
        clients = list(Client.objects.filter(id__gt=last).order_by("id").only(*fields)[:batch])
        if not clients:
            break
        with transaction.atomic():
            copy_rows(ClientNameToken._meta.db_table, TOKEN_COLUMNS, token_rows(clients))
        done, last = done + len(clients), clients[-1].pk
        print(f"  tokens of {done} clients ({done / (time.perf_counter() - started):,.0f}/s)", flush=True)


def copy_rows(table: str, columns: list[str], rows) -> None:
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        placeholders = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})", list(rows))


def reset_sequences() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        table = Client._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )


def add_shares(rng: random.Random, organisations, added: int) -> None:
    """A few shares, so that the share branch of the access rule has rows to look at."""
    welfare = Organisation.objects.get(code="bench-welfare")
    vasa = next(organisation for organisation, _u, _w in organisations if organisation.code == "905")
    by = User.objects.get(username=SUPERUSER)
    top = Client.objects.aggregate(top=models.Max("id"))["top"]
    ids = sorted(rng.sample(range(top - added + 1, top + 1), int(added * SHARED_SHARE)))
    holders = {}
    for start in range(0, len(ids), 500):
        holders.update(
            Client.objects.filter(id__in=ids[start : start + 500]).values_list("id", "organisation_id")
        )
    now = timezone.now()
    shares = []
    for client_id in ids:
        # A share goes to another organisation than the holder, as the service demands.
        receiver = welfare if holders[client_id] == vasa.pk else rng.choice((welfare, vasa))
        valid_from = now - datetime.timedelta(days=rng.randint(1, 300))
        shares.append(
            Share(
                client_id=client_id,
                organisation=receiver,
                purpose="Benchmark share",
                valid_from=valid_from,
                valid_until=valid_from + datetime.timedelta(days=rng.randint(30, 600)),
                created_by=by,
            )
        )
    Share.objects.bulk_create(shares, batch_size=5000)


def add_moves(rng: random.Random, organisations, added: int) -> None:
    """Some clients lived in another municipality first, so the forecast's reading of the earlier
    homes has rows to look at."""
    top = Client.objects.aggregate(top=models.Max("id"))["top"]
    ids = sorted(rng.sample(range(top - added + 1, top + 1), int(added * MOVED_SHARE)))
    registered = {}
    for start in range(0, len(ids), 500):
        registered.update(
            Client.objects.filter(id__in=ids[start : start + 500]).values_list("id", "home_municipality_date")
        )
    municipalities = [organisation for organisation, _u, _w in organisations]
    EarlierResidence.objects.bulk_create(
        (
            EarlierResidence(
                client_id=client_id,
                municipality=rng.choice(municipalities),
                moved_out_on=registered[client_id] + datetime.timedelta(days=rng.randint(30, 700)),
            )
            for client_id in ids
        ),
        batch_size=5000,
    )


def analyse() -> None:
    """Fresh planner statistics (and, on PostgreSQL, the visibility map for index-only scans)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


if __name__ == "__main__":
    main()
