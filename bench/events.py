"""Fill the clients made by bench/generate.py with realistic case histories (not for production).

    .venv/bin/python bench/generate.py --clients 1000000
    .venv/bin/python bench/events.py                      # ~10 events a client
    .venv/bin/python bench/events.py --check              # and GET the main pages (all 200)

For every client not yet filled (the clients are taken in id order, so a second run tops up the
clients generate.py added since; a run stopped half-way resumes after the last whole batch):
households (about 40 % of the clients, 2-6 members, head, spouse, children), client contacts with
topics and anonymous drop-in contacts, assessments with the languages assessed, integration plans
with goals, measures, responsibilities and reviews, referrals with their steps (and the share an
accepted referral opens), the deadlines the casework rules give for those records, quota arrivals
with their expected members and tasks, actual costs gathered into yearly claims, and a few read
events per client, sealed into the audit chain. A client's activity is drawn from a long-tailed
distribution: most have a few events, some dozens; dates run from 2015 to 2026 and statuses follow
the dates (old referrals answered, recent ones waiting, plans ended or running).

Why the services are bypassed: ten million events through the ORM and the services (validation,
auditlog, one deadline refresh per write) would take days. Rows go in with COPY on PostgreSQL and
executemany on SQLite, one transaction per batch of clients, as generate.py does. What the services
would add is added here the same way: encrypted columns hold real ciphertext from the field's own
``get_prep_value``; the deadlines are computed from the same Rule rows by the same reading as
casework.deadlines (``--check`` compares them with ``compute_deadlines`` for a sample of clients);
the read events get their seals in the audit chain (hemkommun.audit.chain), so the chain verifies.
The write log (auditlog) gets no entries, as with generate.py.
"""

import argparse
import contextlib
import datetime
import os
import random
import sys
import time
from collections import defaultdict
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hemkommun.config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
# Benchmark-only keys (docs/encryption.md, docs/audit.md): DEBUG is off, so there is no default.
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "YmVuY2htYXJrLW9ubHktZmllbGQta2V5LTAwMDAwMDA=")
os.environ.setdefault("BLIND_INDEX_KEY", "YmVuY2htYXJrLW9ubHktYmxpbmQtaW5kZXgta2V5LTA=")
os.environ.setdefault("AUDIT_CHAIN_KEY", "benchmark-only-audit-chain-key")

import django  # noqa: E402

django.setup()

from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from hemkommun.access.models import Share  # noqa: E402
from hemkommun.audit import chain  # noqa: E402
from hemkommun.audit.models import AuditSeal, ChainHead  # noqa: E402
from hemkommun.casework.models import (  # noqa: E402
    AssessedLanguage,
    Assessment,
    ClockStart,
    ClockStop,
    Contact,
    ContactTopic,
    Deadline,
    IntegrationPlan,
    PlanGoal,
    PlanMeasure,
    PlanResponsibility,
    PlanReview,
    Referral,
    ReferralEvent,
    RuleKind,
    RuleSet,
)
from hemkommun.clients.models import Client, Household, HouseholdMember  # noqa: E402
from hemkommun.compensation.models import Claim, CostEntry  # noqa: E402
from hemkommun.core.models import ReadEvent  # noqa: E402
from hemkommun.organizations.models import Membership, Organisation, Role, Unit, User  # noqa: E402
from hemkommun.reception.models import ArrivalGroup, ArrivalTask, ExpectedMember  # noqa: E402

COUNSELLOR = "bench.counsellor"
SUPERUSER = "bench.admin"
# A coordinator of Vasa: the statistics, the forecast and the organisation's worklist need the role.
COORDINATOR = "bench.coordinator"
RESTRICTED_MUNICIPALITY = "905"
WORKERS_PER_MUNICIPALITY = 4
CASELOAD = 120  # Vasa clients with open deadlines given to the bench counsellor (the worklist)
FIRST_YEAR = 2015
UTC = datetime.UTC

# Casework events a client has on average besides their own contacts (measured on 10,000 clients
# with the default mix: drop-ins, assessments, plans and reviews, referrals and their steps, costs,
# arrival tasks); client contacts make up the rest of --events-per-client.
OTHER_EVENTS_PER_CLIENT = 6.0
DROP_INS_PER_CLIENT = 0.5  # anonymous contacts at the service points, per client in the batch
HOUSEHOLD_START = 0.17  # chance that a client starts a household: ~40 % of clients in one
HOUSEHOLD_SIZES = ((2, 35), (3, 25), (4, 20), (5, 12), (6, 8))

CHANNELS = (("visit", 55), ("phone", 30), ("chat", 10), ("outreach", 5))
TOPICS = (
    ("residence", 14), ("work", 16), ("education", 10), ("language", 14), ("housing", 10),
    ("health", 6), ("social_security", 12), ("family", 6), ("children", 5), ("money", 4),
    ("everyday", 2), ("other", 1),
)  # fmt: skip
INFO_MATERIALS = ("welcome_guide", "infofinland", "municipality", "other")
NOTES = (
    "Ohjattu Kelaan asumistuesta.",
    "Kävimme läpi kielikurssien aloituspäivät.",
    "Asiakas kysyi perheenyhdistämisestä; annettu Migrin ohjeet.",
    "Työnhaku: CV päivitetty yhdessä.",
    "Rådgivning om bostadsansökan.",
    "Follow-up on the language course placement.",
)
EDUCATION = (
    ("none", 8), ("primary", 20), ("secondary", 25), ("vocational", 15), ("bachelor", 17),
    ("master", 7), ("unknown", 8),
)  # fmt: skip
LEVELS = ("A1", "A1", "A2", "A2", "B1", "B2")
HEALTH_NOTES = (
    "Diabetes, hoitokontakti terveysasemalla.",
    "Traumaoireita; ohjattu psykiatriseen sairaanhoitoon.",
    "Liikkumisen apuväline (rollator).",
    "Nedsatt hörsel, tolk behövs vid besök.",
)
GOALS = (
    ("employment", "Työllistyy oman alan tehtäviin."),
    ("studies", "Hakeutuu ammatilliseen koulutukseen."),
    ("language", "Suomen kielen taito arjen tilanteissa."),
    ("participation", "Löytää harrastuksen ja verkoston."),
    ("parenting", "Tukea vanhemmuuteen ja koulun yhteistyöhön."),
    ("health", "Hoitosuhde ja kuntoutus terveysasemalla."),
)
SERVICES = (
    "Kotoutumiskoulutus", "Suomen kielen kurssi (Omnia)", "Luku- ja kirjoitustaidon koulutus",
    "Työkokeilu", "Ammatillinen koulutus", "TE-palvelujen työnhakuvalmennus",
    "Svenska för invandrare", "Vapaan sivistystyön kotoutumiskoulutus", "Perheryhmä",
)  # fmt: skip
REFERRAL_KINDS = (
    ("employment", 30), ("language_course", 25), ("integration_training", 20),
    ("social_care", 12), ("third_sector", 8), ("other", 5),
)  # fmt: skip
ARRIVAL_TASKS = (
    # title, days from arrival, welfare area responsible, health task
    ("Asunnon vuokrasopimus ja avaimet", -14, False, False),
    ("Vastaanotto lentoasemalla", 0, False, False),
    ("Alkuterveystarkastus", 7, True, True),
    ("Kelan asiakkuus ja toimeentulotuki", 7, False, False),
    ("Pankkitili ja verokortti", 14, False, False),
    ("Päivähoito- ja koulupaikat", 21, False, False),
    ("Osaamisen ja palvelutarpeen arviointi sovittu", 30, False, False),
)
COST_CATEGORIES = (
    ("interpreting", 45), ("social_assistance", 35), ("special_costs", 12), ("other_special", 8),
)  # fmt: skip
NEEDS_DECISION = {"special_costs", "other_special", "quota_preparation"}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events-per-client", type=float, default=10.0, help="average, all kinds together")
    parser.add_argument("--batch", type=int, default=5_000, help="clients per transaction")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="then GET the main pages as the bench users")
    args = parser.parse_args()
    fill(events_per_client=args.events_per_client, batch=args.batch, seed=args.seed)
    if args.check and not check():
        sys.exit(1)


def fill(*, events_per_client: float = 10.0, batch: int = 5_000, seed: int = 1, quiet: bool = False) -> dict:
    """Fill every client after the last one filled; returns the rows added per table."""
    say = (lambda *_a, **_k: None) if quiet else print
    world = World.build()
    done_up_to = (
        Contact.objects.filter(client__isnull=False).aggregate(top=models.Max("client_id"))["top"] or 0
    )
    remaining = Client.objects.filter(id__gt=done_up_to).count()
    say(f"{connection.vendor}: clients filled up to id {done_up_to}; {remaining} clients to fill", flush=True)
    counts: dict[str, int] = defaultdict(int)
    if not remaining:
        say("nothing to do: every client has its events (run generate.py with more clients first)")
        reset_sequences()  # after a stopped run, which did not reach finish()
        return counts
    rng = random.Random(seed * 1_000_003 + done_up_to)
    ids = IdSource()
    started = time.perf_counter()
    filled, last = 0, done_up_to
    while True:
        clients = list(Client.objects.filter(id__gt=last).order_by("id").values_list(*CLIENT_FIELDS)[:batch])
        if not clients:
            break
        maker = BatchMaker(world, rng, ids, events_per_client)
        tables = maker.make([ClientRow(*row) for row in clients])
        with transaction.atomic():
            for model, rows in tables.items():
                copy_rows(model, rows)
                counts[model._meta.db_table] += len(rows)
            seal_reads(tables.get(ReadEvent, []), ids)
        filled, last = filled + len(clients), clients[-1][0]
        elapsed = time.perf_counter() - started
        total = sum(counts.values())
        say(f"  {filled:,} clients, {total:,} rows ({total / elapsed:,.0f} rows/s)", flush=True)
    finish(world)
    elapsed = time.perf_counter() - started
    total = sum(counts.values())
    say(f"done: {filled:,} clients, {total:,} rows in {elapsed:.0f} s ({total / elapsed:,.0f} rows/s)")
    events = sum(counts[model._meta.db_table] for model in EVENT_MODELS)
    say(
        f"casework events (contacts, assessments, plans, reviews, referrals and their steps, costs, "
        f"arrival tasks): {events:,} = {events / filled:.1f} per client; besides, "
        f"{counts[Deadline._meta.db_table]:,} deadlines and {counts[ReadEvent._meta.db_table]:,} read events"
    )
    for table, count in sorted(counts.items(), key=lambda item: -item[1]):
        say(f"  {table:40} {count:>12,}")
    return counts


CLIENT_FIELDS = (
    "id", "organisation_id", "municipality_of_residence_id", "responsible_unit_id", "birth_year", "sex",
    "residence_ground", "arrival_date", "client_since", "first_permit_date", "native_language",
)  # fmt: skip


class ClientRow:
    __slots__ = CLIENT_FIELDS

    def __init__(self, *values):
        for name, value in zip(CLIENT_FIELDS, values, strict=True):
            setattr(self, name, value)


EVENT_MODELS = (
    Contact, Assessment, IntegrationPlan, PlanReview, Referral, ReferralEvent, CostEntry, ArrivalTask,
)  # fmt: skip


class World:
    """The organisations, workers, rules and claims the events refer to (made once, kept)."""

    @classmethod
    def build(cls) -> "World":
        world = cls()
        world.today = timezone.localdate()
        world.now = timezone.now()
        world.municipalities = {
            organisation.pk: organisation for organisation in Organisation.objects.filter(kind="municipality")
        }
        world.welfare = _organisation("bench-welfare", "welfare_area", "Hyvinvointialue", "Välfärdsområde")
        world.employment = _organisation(
            "bench-employment", "employment_area", "Työllisyysalue", "Sysselsättningsområde"
        )
        world.association = _organisation(
            "bench-association", "third_sector", "Monikulttuurinen yhdistys", "Mångkulturell förening"
        )
        world.units = dict(
            Unit.objects.filter(kind=Unit.Kind.INTEGRATION_UNIT).values_list("organisation_id", "pk")
        )
        world.workers = {pk: _workers(organisation) for pk, organisation in world.municipalities.items()}
        world.partner_workers = {
            organisation.pk: _workers(organisation, role=role, count=2)[0]
            for organisation, role in (
                (world.welfare, Role.SOCIAL_WORKER),
                (world.employment, Role.EMPLOYMENT_OFFICER),
                (world.association, Role.COUNSELLOR),
            )
        }
        world.counsellor = User.objects.get(username=COUNSELLOR).pk
        coordinator, _created = User.objects.get_or_create(username=COORDINATOR)
        vasa_unit = Unit.objects.get(
            organisation__code=RESTRICTED_MUNICIPALITY, kind=Unit.Kind.INTEGRATION_UNIT
        )
        Membership.objects.get_or_create(user=coordinator, unit=vasa_unit, role=Role.COORDINATOR)
        world.admin = User.objects.get(username=SUPERUSER).pk
        vasa = next((pk for pk, o in world.municipalities.items() if o.code == RESTRICTED_MUNICIPALITY), None)
        world.vasa = vasa
        world.rule_sets = list(RuleSet.objects.prefetch_related("rules").order_by("-applies_from"))
        world.jurisdictions = {pk: o.jurisdiction for pk, o in world.municipalities.items()}
        world.claims = _claims(world)
        return world

    def rule_set(self, jurisdiction: str, since: datetime.date):
        for rule_set in self.rule_sets:  # newest first, as rule_set_for orders them
            if rule_set.jurisdiction != jurisdiction or rule_set.applies_from > since:
                continue
            if rule_set.applies_until is None or rule_set.applies_until > since:
                return rule_set
        return None


def _organisation(code: str, kind: str, name_fi: str, name_sv: str) -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        code=code, defaults={"kind": kind, "name_fi": name_fi, "name_sv": name_sv}
    )
    return organisation


def _workers(
    organisation: Organisation, *, role: str = Role.COUNSELLOR, count: int = WORKERS_PER_MUNICIPALITY
):
    unit, _created = Unit.objects.get_or_create(
        organisation=organisation,
        kind=Unit.Kind.INTEGRATION_UNIT if organisation.kind == "municipality" else Unit.Kind.OTHER,
        defaults={"name_fi": organisation.name_fi, "name_sv": organisation.name_sv},
    )
    workers = []
    for number in range(1, count + 1):
        user, _created = User.objects.get_or_create(username=f"bench.{organisation.code}.{number}")
        Membership.objects.get_or_create(user=user, unit=unit, role=role)
        workers.append(user.pk)
    return workers


def _claims(world: World) -> dict[tuple[int, int], tuple[int, str]]:
    """One claim a year per municipality: paid for the old years, decided or partly rejected the
    year before last, sent last year, a draft this year. (payee, year) -> (claim id, status)."""
    result = {}
    this_year = world.today.year
    for payee in world.municipalities:
        for year in range(FIRST_YEAR, this_year + 1):
            age = this_year - year
            status = (
                "draft" if age == 0 else "sent" if age == 1 else "partly_rejected" if age == 2 else "paid"
            )
            claim, _created = Claim.objects.get_or_create(
                payee_id=payee,
                period_first=datetime.date(year, 1, 1),
                period_last=datetime.date(year, 12, 31),
                defaults={"status": status, "created_by_id": world.admin},
            )
            result[payee, year] = (claim.pk, claim.status)
    return result


class IdSource:
    """Explicit primary keys, so that children can point to parents inside one COPY batch."""

    def __init__(self) -> None:
        self.next: dict[type, int] = {}

    def take(self, model) -> int:
        if model not in self.next:
            self.next[model] = (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1
        value = self.next[model]
        self.next[model] = value + 1
        return value


def _weighted(pairs):
    values = [value for value, _weight in pairs]
    total = sum(weight for _value, weight in pairs)
    cumulative, running = [], 0
    for _value, weight in pairs:
        running += weight
        cumulative.append(running / total)
    return values, cumulative


def _pick(rng: random.Random, table) -> str:
    values, cumulative = table
    draw = rng.random()
    for value, limit in zip(values, cumulative, strict=True):
        if draw < limit:
            return value
    return values[-1]


CHANNEL_TABLE = _weighted(CHANNELS)
TOPIC_TABLE = _weighted(TOPICS)
EDUCATION_TABLE = _weighted(EDUCATION)
REFERRAL_TABLE = _weighted(REFERRAL_KINDS)
COST_TABLE = _weighted(COST_CATEGORIES)
SIZE_TABLE = _weighted(HOUSEHOLD_SIZES)

D = datetime.date.fromordinal


@lru_cache(maxsize=200_000)
def add_period(rule_id: int, start: datetime.date, rule) -> datetime.date | None:
    """rule.add_to, cached: the same few thousand dates recur over a million clients."""
    return rule.add_to(start)


@cache
def _field(model, field_name: str):
    return model._meta.get_field(field_name)


def _encrypt(model, field_name: str, clear: str) -> str:
    """Real ciphertext, made by the encrypted field itself (fresh nonce each time)."""
    return _field(model, field_name).get_prep_value(clear)


class BatchMaker:
    """The rows of every table for one batch of clients, as tuples in the order of ``COLUMNS``."""

    def __init__(self, world: World, rng: random.Random, ids: IdSource, events_per_client: float) -> None:
        self.w, self.rng, self.ids = world, rng, ids
        self.scale = events_per_client / 10.0
        self.contacts_mean = max(0.5, events_per_client - OTHER_EVENTS_PER_CLIENT * self.scale)
        self.rows: dict = defaultdict(list)
        self.today = world.today.toordinal()

    # -- helpers
    def at(self, day: int) -> datetime.datetime:
        """A moment in Finnish working hours (about 6-14 UTC) that day, whole minutes; built in UTC
        directly: make_aware with the zone cost a third of the generation time."""
        draw = int(self.rng.random() * 540)
        day = D(day)
        return datetime.datetime(day.year, day.month, day.day, 6 + draw // 60, draw % 60, tzinfo=UTC)

    def worker(self, client: ClientRow) -> int:
        if client.organisation_id == self.w.vasa and self.rng.random() < 0.5:
            return self.w.counsellor
        return self.rng.choice(self.w.workers[client.organisation_id])

    def add(self, model, row: tuple) -> None:
        self.rows[model].append(row)

    # -- the batch
    def make(self, clients: list[ClientRow]) -> dict:
        self.households(clients)
        for client in clients:
            self.client(client)
        self.drop_ins(clients)
        self.future_arrivals(clients)
        return self.rows

    def households(self, clients: list[ClientRow]) -> None:
        """About 40 % of the clients in households of 2-6 of the same municipality: the oldest is
        the head, the next a spouse, the youngest children. Quota refugees' households arrive as a
        quota group."""
        rng = self.rng
        by_organisation = defaultdict(list)
        for client in clients:
            by_organisation[client.organisation_id].append(client)
        for members in by_organisation.values():
            index = 0
            while index < len(members):
                if rng.random() >= HOUSEHOLD_START:
                    if members[index].residence_ground == "quota_refugee" and rng.random() < 0.5:
                        self.arrival([members[index]], household=None)
                    index += 1
                    continue
                size = _pick(rng, SIZE_TABLE)
                family = sorted(members[index : index + size], key=lambda c: c.birth_year)
                index += size
                if len(family) < 2:
                    continue
                household = self.ids.take(Household)
                self.add(Household, (household, family[0].organisation_id, ""))
                for position, member in enumerate(family):
                    relation = "head" if position == 0 else "spouse" if position == 1 else "child"
                    if relation == "child" and member.birth_year < family[0].birth_year - 45:
                        relation = "other"
                    self.add(
                        HouseholdMember, (self.ids.take(HouseholdMember), household, member.id, relation)
                    )
                if family[0].residence_ground == "quota_refugee":
                    self.arrival(family, household=household)

    def client(self, client: ClientRow) -> None:
        rng = self.rng
        since = (client.client_since or client.arrival_date or self.w.today).toordinal()
        # Activity: log-normal with mean 1; most clients have a few events, some dozens.
        activity = min(12.0, rng.lognormvariate(-0.405, 0.9))
        # Most of the work falls in the first three years; later contacts thin out.
        active_until = min(self.today, since + int(365 * rng.uniform(1.0, 4.0)))
        active_until = max(active_until, min(since, self.today))
        contacts = max(1, int(activity * self.contacts_mean + rng.random()))
        for _index in range(contacts):
            self.contact(client, rng.randint(min(since, active_until), active_until))
        facts = self.casework(client, since, active_until, activity)
        self.deadlines(client, facts)
        self.costs(client, since, active_until, activity)
        reads = 1 + int(activity * 1.2 * self.scale + rng.random())
        for _index in range(reads):
            self.read(client, rng.randint(min(since, self.today), self.today))

    def contact(self, client: ClientRow | None, day: int, organisation: int | None = None) -> None:
        rng = self.rng
        contact = self.ids.take(Contact)
        if client is not None:
            organisation, unit, by = client.organisation_id, client.responsible_unit_id, self.worker(client)
            age = D(day).year - client.birth_year
            age_group = "0-17" if age < 18 else "18-29" if age < 30 else "30-64" if age < 65 else "65+"
            language = client.native_language if rng.random() < 0.6 else rng.choice(("fi", "sv", "en"))
            notes = rng.choice(NOTES) if rng.random() < 0.3 else ""
        else:
            unit, by = self.w.units.get(organisation), rng.choice(self.w.workers[organisation])
            age_group = rng.choice(("18-29", "30-64", "30-64", "unknown"))
            language, notes = rng.choice(("ar", "ru", "uk", "so", "fa", "en", "fi")), ""
        interpreter = rng.random() < 0.25
        info = rng.choice(INFO_MATERIALS) if rng.random() < 0.15 else ""
        self.add(
            Contact,
            (
                contact, organisation, unit, client.id if client else None, by,
                self.at(day), _pick(rng, CHANNEL_TABLE), language, age_group, interpreter,
                language if interpreter else "", rng.choice((15, 20, 30, 30, 45, 60, 90)),
                info, "fi" if info else "", notes,
            ),
        )  # fmt: skip
        topics = {_pick(rng, TOPIC_TABLE) for _index in range(1 + int(rng.random() * 2.2))}
        for topic in topics:
            self.add(ContactTopic, (self.ids.take(ContactTopic), contact, topic))

    def drop_ins(self, clients: list[ClientRow]) -> None:
        rng = self.rng
        organisations = [client.organisation_id for client in clients]
        for _index in range(int(len(clients) * DROP_INS_PER_CLIENT * self.scale)):
            day = rng.randint(date_ordinal(FIRST_YEAR), self.today)
            self.contact(None, day, organisation=rng.choice(organisations))

    def casework(self, client: ClientRow, since: int, active_until: int, activity: float) -> SimpleNamespace:
        """Assessment, plans, referrals: returns the dates the deadline rules read."""
        rng, today = self.rng, self.today
        facts = SimpleNamespace(assessments=[], plans=[], referrals=[], measures=[])
        if rng.random() < 0.8 and since <= today:
            self.assessment(client, since, facts)
        # Referrals: after the first plan mostly, or anywhere in the active years.
        count = int(activity * 0.55 * self.scale + rng.random())
        agreed = min((p["agreed_on"] for p in facts.plans if p["agreed_on"]), default=None)
        for _index in range(count):
            start = agreed.toordinal() if agreed and rng.random() < 0.7 else since
            day = rng.randint(min(start, today), max(min(start, today), min(today, start + 400)))
            self.referral(client, day, facts)
        return facts

    def assessment(self, client: ClientRow, since: int, facts) -> None:
        rng, today = self.rng, self.today
        started = since + int(rng.expovariate(1 / 45))  # assessment_start: 2 months, mostly met
        if started > today:
            return
        age = today - started
        draw = rng.random()
        status = (
            "draft" if (age < 30 and draw < 0.7) or draw < 0.05 else "signed" if draw < 0.35 else "completed"
        )
        completed = None if status == "draft" else min(today, started + rng.randint(7, 60))
        signed = completed + rng.randint(0, 10) if status == "signed" and completed else None
        if signed and signed > today:
            signed = today
        plan_needed = None if status == "draft" else rng.random() < 0.85
        path = rng.choice(("employment", "employment", "studies", "home_other")) if completed else ""
        health = _encrypt(Assessment, "health_notes", rng.choice(HEALTH_NOTES)) if rng.random() < 0.15 else ""
        pk = self.ids.take(Assessment)
        self.add(
            Assessment,
            (
                pk, client.id, client.organisation_id, self.worker(client), status,
                D(started - rng.randint(0, 20)) if rng.random() < 0.3 else None, D(started),
                D(completed) if completed else None, D(signed) if signed else None, rng.random() < 0.2,
                _pick(rng, EDUCATION_TABLE), rng.choice((None, 6, 9, 12, 15)), "", "",
                "", rng.choice(("none", "own_script", "latin", "latin")), rng.choice(("none", "basic", "good")),
                "", "", "", health, plan_needed, path, self.at(started),
            ),
        )  # fmt: skip
        languages = {client.native_language: "native", "fi": rng.choice(LEVELS)}
        if rng.random() < 0.4:
            languages["en"] = rng.choice(LEVELS)
        if rng.random() < 0.1:
            languages["sv"] = rng.choice(LEVELS)
        for language, level in languages.items():
            self.add(AssessedLanguage, (self.ids.take(AssessedLanguage), pk, language, level))
        facts.assessments.append((D(started), D(completed) if completed else None, plan_needed))
        if completed and plan_needed:
            self.plans(client, pk, completed, facts)

    def plans(self, client: ClientRow, assessment: int, completed: int, facts) -> None:
        rng, today = self.rng, self.today
        drafted = completed + int(rng.expovariate(1 / 12))  # plan_after_assessment: two weeks
        if drafted > today:
            return
        starts = drafted + rng.randint(0, 21)
        rule_set = self.w.rule_set(
            self.w.jurisdictions.get(client.municipality_of_residence_id, "mainland"), client.client_since
        )
        review = (
            next((r for r in rule_set.rules.all() if r.kind == RuleKind.PLAN_REVIEW), None)
            if rule_set
            else None
        )
        first_start = starts
        for number in range(2):
            length = 365 if number == 0 else rng.choice((180, 365, 365))
            ends = starts + length
            agreed = starts if (today - drafted > 20 and rng.random() < 0.9) or rng.random() < 0.3 else None
            if agreed and agreed > today:
                agreed = None
            ended = ends if agreed and ends < today else None
            if ended and rng.random() < 0.1:
                ended = rng.randint(agreed + 30, ends)  # interrupted: moved away, work found
            status = "draft" if agreed is None else "ended" if ended else "agreed"
            pk = self.ids.take(IntegrationPlan)
            self.add(
                IntegrationPlan,
                (
                    pk, client.id, client.organisation_id, self.worker(client), assessment if number == 0 else None,
                    status, D(drafted), D(starts), D(ends), D(agreed) if agreed else None, D(ended) if ended else None,
                    rng.random() < 0.15, "", self.at(drafted),
                ),
            )  # fmt: skip
            plan = {"id": pk, "agreed_on": D(agreed) if agreed else None, "starts_on": D(starts), "ends_on": D(ends),
                    "ended_on": D(ended) if ended else None, "drafted_on": D(drafted), "reviews": []}  # fmt: skip
            facts.plans.append(plan)
            self.plan_parts(client, plan, starts, ends, agreed)
            if agreed and review is not None:
                self.reviews(client, plan, review, agreed, ended or ends)
            # A second plan continues some ended ones, within the total length.
            if not ended or ended != ends or rng.random() > 0.35 or ends + 1 > today:
                break
            drafted = ends - rng.randint(0, 20)
            starts = ends + 1
            if starts - first_start > 700:
                break

    def plan_parts(self, client: ClientRow, plan: dict, starts: int, ends: int, agreed: int | None) -> None:
        rng, today = self.rng, self.today
        goals = []
        for kind, description in rng.sample(GOALS, rng.randint(1, 4)):
            goal = self.ids.take(PlanGoal)
            target = rng.choice(("A2", "B1")) if kind == "language" else ""
            self.add(
                PlanGoal, (goal, plan["id"], kind, _encrypt(PlanGoal, "description", description), target)
            )
            goals.append(goal)
        for _index in range(rng.randint(1, 3)):
            start = rng.randint(starts, max(starts, ends - 60))
            end = start + rng.choice((60, 120, 180, 240))
            if agreed is None or start > today:
                status = "planned"
            elif end < today:
                status = rng.choice(("done", "done", "done", "done", "interrupted", "cancelled"))
            else:
                status = "ongoing"
            self.add(
                PlanMeasure,
                (self.ids.take(PlanMeasure), plan["id"], rng.choice(goals), rng.choice(SERVICES), None, "",
                 rng.choice(("municipality", "employment", "client")), D(start), D(end), status),
            )  # fmt: skip
            plan.setdefault("measures", []).append((D(start), status))
        for party, text in (
            ("client", "Osallistuu sovittuihin palveluihin."),
            ("municipality", "Ohjaa ja seuraa."),
        ):
            self.add(PlanResponsibility, (self.ids.take(PlanResponsibility), plan["id"], party, text))

    def reviews(self, client: ClientRow, plan: dict, rule, agreed: int, end: int) -> None:
        """Reviews about every review period, sometimes late, now and then forgotten."""
        rng, today = self.rng, self.today
        skip = rng.random() < 0.12
        start = D(agreed)
        while True:
            due = add_period(rule.pk, start, rule)
            if due is None or due.toordinal() >= end or skip:
                break
            reviewed = (
                due.toordinal() - rng.randint(0, 20)
                if rng.random() < 0.8
                else due.toordinal() + rng.randint(1, 60)
            )
            if reviewed > today or reviewed >= end:
                break
            self.add(
                PlanReview, (self.ids.take(PlanReview), plan["id"], D(reviewed), self.worker(client), "")
            )
            plan["reviews"].append(D(reviewed))
            start = D(reviewed)

    def referral(self, client: ClientRow, day: int, facts) -> None:
        rng, today, w = self.rng, self.today, self.w
        kind = _pick(rng, REFERRAL_TABLE)
        to = {
            "employment": w.employment, "language_course": w.employment, "integration_training": w.employment,
            "social_care": w.welfare, "third_sector": w.association, "other": w.welfare,
        }[kind]  # fmt: skip
        age = today - day
        draw = rng.random()
        if age < 7:
            steps = ["sent"] if draw < 0.6 else ["sent", "acknowledged"]
        elif age < 60:
            steps = (
                ["sent", "acknowledged", "accepted"]
                if draw < 0.7
                else ["sent", "acknowledged", "rejected"]
                if draw < 0.85
                else ["sent"]
                if draw < 0.95
                else ["sent", "withdrawn"]
            )
        else:
            steps = (
                ["sent", "acknowledged", "accepted", "completed"]
                if draw < 0.75
                else ["sent", "acknowledged", "rejected"]
                if draw < 0.88
                else ["sent", "acknowledged", "accepted"]
                if draw < 0.95
                else ["sent", "withdrawn"]
            )
        pk, sender = self.ids.take(Referral), self.worker(client)
        receiver = w.partner_workers[to.pk]
        moments, moment = [], day
        for step in steps:
            moment = min(today, moment + {"sent": 0, "acknowledged": rng.randint(0, 4), "accepted": rng.randint(1, 14),
                                          "rejected": rng.randint(1, 14), "completed": rng.randint(30, 200),
                                          "withdrawn": rng.randint(1, 20)}[step])  # fmt: skip
            moments.append(moment)
        share = None
        if "accepted" in steps:
            share = self.ids.take(Share)
            accepted_at = self.at(moments[steps.index("accepted")])
            until = accepted_at + datetime.timedelta(days=180)
            if "completed" in steps:
                until = min(until, self.at(moments[-1]) + datetime.timedelta(days=1))
            self.add(
                Share,
                (
                    share,
                    client.id,
                    to.pk,
                    f"Lähete: {kind}",
                    "basic",
                    accepted_at,
                    until,
                    sender,
                    None,
                    "",
                    None,
                ),
            )
        status = steps[-1]
        self.add(
            Referral,
            (pk, client.id, kind, client.organisation_id, to.pk, sender, D(day), D(day + 14),
             "Asiakas tarvitsee palvelua; tiedot liitteenä.", "basic", status,
             "Ei vastaa palvelun kriteerejä." if status == "rejected" else "",
             "Asiakas aloitti palvelussa." if status == "completed" else "", share),
        )  # fmt: skip
        for step, moment in zip(steps, moments, strict=True):
            by, organisation = (
                (sender, client.organisation_id) if step in ("sent", "withdrawn") else (receiver, to.pk)
            )
            self.add(
                ReferralEvent, (self.ids.take(ReferralEvent), pk, step, self.at(moment), by, organisation, "")
            )
        facts.referrals.append((D(day), status))

    def deadlines(self, client: ClientRow, facts) -> None:
        """The rows casework.deadlines.compute_deadlines makes from these records (same reading)."""
        if client.client_since is None:
            return
        rule_set = self.w.rule_set(
            self.w.jurisdictions.get(client.municipality_of_residence_id, "mainland"), client.client_since
        )
        if rule_set is None:
            return
        for kind, starts_on, due_on, met_on, plan in deadline_rows(client, rule_set, facts, self.w.today):
            self.add(Deadline, (self.ids.take(Deadline), client.id, rule_set_rule(rule_set, kind).pk, kind, plan,
                                starts_on, due_on, met_on))  # fmt: skip

    def costs(self, client: ClientRow, since: int, active_until: int, activity: float) -> None:
        rng = self.rng
        payee = client.organisation_id
        for _index in range(int(activity * 0.35 * self.scale + rng.random())):
            category = _pick(rng, COST_TABLE)
            day = rng.randint(min(since, active_until), active_until)
            amount = {"interpreting": (40, 400), "social_assistance": (250, 1400), "special_costs": (150, 6000),
                      "other_special": (100, 2500)}[category]  # fmt: skip
            period = (D(day - 29), D(day)) if category == "social_assistance" else (None, None)
            cents = rng.randint(*amount) * 100 + rng.randint(0, 99)
            self.cost(payee, client.id, category, D(day), Decimal(cents) / 100, period)

    def cost(
        self, payee: int, client_id: int | None, category: str, day: datetime.date, amount: Decimal, period
    ) -> None:
        claim = self.w.claims.get((payee, day.year))
        self.add(
            CostEntry,
            (self.ids.take(CostEntry), payee, client_id, category, day, period[0], period[1], amount,
             "", f"LASKU-{self.rng.randint(10000, 99999)}",
             f"ELY/{self.rng.randint(100, 9999)}/{day.year}" if category in NEEDS_DECISION else "",
             day if category in NEEDS_DECISION else None, "", claim[0] if claim else None, self.w.admin,
             self.at(day.toordinal())),
        )  # fmt: skip

    def arrival(self, family: list[ClientRow], *, household: int | None) -> None:
        """A quota family's arrival: expected members (now the clients), tasks from arrival."""
        head = family[0]
        arrived = (head.arrival_date or self.w.today).toordinal()
        self.arrival_group(head.organisation_id, arrived, family, household, reference=f"BENCH-{head.id}")

    def arrival_group(self, municipality: int, arrived: int, family, household, *, reference: str) -> None:
        rng, today, w = self.rng, self.today, self.w
        group = self.ids.take(ArrivalGroup)
        status = "arrived" if arrived <= today else "expected"
        by = rng.choice(w.workers[municipality])
        self.add(
            ArrivalGroup,
            (group, "quota", municipality, w.welfare.pk, reference, D(arrived), D(arrived) if status == "arrived" else None,
             D(arrived - rng.randint(30, 200)), status, "quota_refugee", None, "", None, None, "", "", by, household),
        )  # fmt: skip
        for position, member in enumerate(family):
            relation = "head" if position == 0 else "spouse" if position == 1 else "child"
            flags = (
                _encrypt(ExpectedMember, "health_flags", rng.choice(HEALTH_NOTES))
                if rng.random() < 0.1
                else ""
            )
            if isinstance(member, ClientRow):
                values = (
                    relation,
                    member.birth_year,
                    member.sex,
                    member.native_language,
                    "",
                    flags,
                    member.id,
                )
            else:
                values = (relation, member, rng.choice("MF"), "ar", "", flags, None)
            self.add(ExpectedMember, (self.ids.take(ExpectedMember), group, *values))
        for title, offset, welfare, health in ARRIVAL_TASKS:
            due = arrived + offset
            if due < today:
                status = "done" if rng.random() < 0.92 else "not_needed"
                done = D(due + rng.randint(-5, 10)) if status == "done" else None
            else:
                status, done = "open", None
            responsible = w.welfare.pk if welfare else municipality
            user = None if welfare else by
            self.add(
                ArrivalTask,
                (
                    self.ids.take(ArrivalTask),
                    group,
                    title,
                    offset,
                    D(due),
                    responsible,
                    user,
                    health,
                    status,
                    done,
                ),
            )
        self.cost(
            municipality,
            None,
            "quota_preparation",
            D(min(arrived, today)),
            Decimal(rng.randint(800, 4000)),
            (None, None),
        )

    def future_arrivals(self, clients: list[ClientRow]) -> None:
        """A few quota families still expected (no clients yet), for the arrivals board."""
        rng = self.rng
        for _index in range(max(1, len(clients) // 2000)):
            municipality = rng.choice(clients).organisation_id
            expected = self.today + rng.randint(7, 120)
            years = [rng.randint(1975, 1995)] + [rng.randint(2008, 2024) for _i in range(rng.randint(0, 4))]
            group_ref = f"BENCH-F-{self.ids.next.get(ArrivalGroup, 0)}-{rng.randint(0, 10**9)}"
            self.arrival_group(municipality, expected, years, None, reference=group_ref)

    def read(self, client: ClientRow, day: int) -> None:
        rng = self.rng
        action = "detail" if rng.random() < 0.7 else rng.choice(("list", "search"))
        self.add(
            ReadEvent,
            (self.ids.take(ReadEvent), self.at(day), self.worker(client), client.id, action,
             "own" if action == "detail" else "", None,
             f"/clients/{client.id}/" if action == "detail" else "/clients/"),
        )  # fmt: skip


def date_ordinal(year: int) -> int:
    return datetime.date(year, 1, 1).toordinal()


def rule_set_rule(rule_set, kind: str):
    return next(rule for rule in rule_set.rules.all() if rule.kind == kind)


def deadline_rows(client, rule_set, facts, today: datetime.date):
    """(kind, starts_on, due_on, met_on, plan id) as compute_deadlines reads the records: the
    same starts and stops (casework.deadlines.gather_facts), the same review periods."""
    assessments = facts.assessments
    plans = sorted(facts.plans, key=lambda plan: plan["starts_on"])
    agreed = [plan for plan in plans if plan["agreed_on"] is not None]
    first_agreed = _earliest(plan["agreed_on"] for plan in agreed)
    starts = {
        ClockStart.CLIENT_SINCE: client.client_since,
        ClockStart.FIRST_PERMIT: client.first_permit_date,
        ClockStart.ASSESSMENT_COMPLETED: _earliest(done for _s, done, needed in assessments if needed),
        ClockStart.PLAN_AGREED: first_agreed,
    }
    service = None
    if first_agreed is not None:
        referred = [day for day, status in facts.referrals if day >= first_agreed and status != "withdrawn"]
        started = [
            day
            for plan in plans
            for day, status in plan.get("measures", [])
            if first_agreed <= day <= today and status in ("ongoing", "done")
        ]
        service = _earliest([*referred, *started])
    stops = {
        ClockStop.ASSESSMENT_STARTED: _earliest(started for started, _d, _n in assessments),
        ClockStop.ASSESSMENT_COMPLETED: _earliest(done for _s, done, _n in assessments),
        ClockStop.PLAN_STARTED: _earliest(plan["drafted_on"] for plan in plans),
        ClockStop.PLAN_AGREED: first_agreed,
        ClockStop.REFERRAL_SENT: service,
    }
    for rule in rule_set.rules.all():
        if rule.is_limit or rule.exempts(client.residence_ground):
            continue
        if rule.starts_on == ClockStart.LAST_REVIEW:
            seen = set()
            for plan in agreed:
                end = plan["ended_on"] or plan["ends_on"]
                start = plan["agreed_on"]
                reviews = iter(sorted(plan["reviews"]))
                while (
                    start is not None and (due := add_period(rule.pk, start, rule)) is not None and due < end
                ):
                    met = next(reviews, None)
                    if start not in seen:
                        seen.add(start)
                        yield rule.kind, start, due, met, plan["id"]
                    start = met
            continue
        start = starts.get(rule.starts_on)
        due = add_period(rule.pk, start, rule) if start is not None else None
        if due is None:
            continue
        yield rule.kind, start, due, stops.get(rule.stopped_by), None


def _earliest(dates):
    dates = [day for day in dates if day is not None]
    return min(dates) if dates else None


# The columns of each table, in the order BatchMaker writes its tuples (checked against the
# models when the script starts, so a new column cannot be forgotten silently).
COLUMNS = {
    Household: "id organisation_id external_id",
    HouseholdMember: "id household_id client_id relation",
    Contact: "id organisation_id unit_id client_id recorded_by_id occurred_at channel language age_group "
    "interpreter_used interpreter_language duration_minutes info_material info_language notes",
    ContactTopic: "id contact_id topic",
    Assessment: "id client_id organisation_id worker_id status requested_on started_on completed_on signed_on "
    "multisectoral education_level education_years education_country education_field work_history literacy "
    "digital_skills family_situation language_training_need other_service_needs health_notes plan_needed path "
    "created_at",
    AssessedLanguage: "id assessment_id language level",
    IntegrationPlan: "id client_id organisation_id worker_id assessment_id status drafted_on starts_on ends_on "
    "agreed_on ended_on multisectoral summary created_at",
    PlanGoal: "id plan_id kind description target_level",
    PlanMeasure: "id plan_id goal_id service provider_id provider_name responsible starts_on ends_on status",
    PlanResponsibility: "id plan_id party description",
    PlanReview: "id plan_id reviewed_on reviewed_by_id notes",
    Share: "id client_id organisation_id purpose scope valid_from valid_until created_by_id revoked_at processing "
    "consent_id",
    Referral: "id client_id kind from_organisation_id to_organisation_id sent_by_id sent_on due_on reason scope "
    "status rejection_reason outcome share_id",
    ReferralEvent: "id referral_id status at by_id organisation_id note",
    Deadline: "id client_id rule_id kind plan_id starts_on due_on met_on",
    CostEntry: "id payee_id client_id category cost_date period_from period_until amount_eur description "
    "invoice_reference decision_reference decision_date attachments claim_id created_by_id created_at",
    ArrivalGroup: "id kind municipality_id welfare_area_id reference expected_on arrived_on permit_granted_on status "
    "residence_ground reception_centre_id move_type placement_requested_on move_reported_on family_reunification "
    "notes created_by_id household_id",
    ExpectedMember: "id group_id relation birth_year sex languages education health_flags client_id",
    ArrivalTask: "id group_id title offset_days due_on responsible_id responsible_user_id health_related status "
    "done_on",
    ReadEvent: "id at user_id client_id action basis share_id context",
    AuditSeal: "id sequence kind entry_id at actor_id client_id action previous digest",
}
COLUMNS = {model: names.split() for model, names in COLUMNS.items()}
for _model, _names in COLUMNS.items():
    _fields = {field.attname for field in _model._meta.concrete_fields}
    assert set(_names) == _fields, (_model.__name__, _fields.symmetric_difference(_names))


def copy_rows(model, rows: list[tuple]) -> None:
    """COPY on PostgreSQL, executemany on SQLite (times as Django stores them there)."""
    if not rows:
        return
    table, names = model._meta.db_table, COLUMNS[model]
    quoted = ", ".join(connection.ops.quote_name(name) for name in names)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    fields = {field.attname: field for field in model._meta.concrete_fields}
    moments = [index for index, name in enumerate(names) if isinstance(fields[name], models.DateTimeField)]  # fmt: skip
    if moments:
        adapt = connection.ops.adapt_datetimefield_value
        rows = [
            tuple(adapt(value) if index in moments else value for index, value in enumerate(row))
            for row in rows
        ]
    placeholders = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})", rows)


def seal_reads(rows: list[tuple], ids: "IdSource") -> None:
    """Chain the read events after the head, as hemkommun.audit.chain.seal_reads does."""
    if not rows:
        return
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head, _created = ChainHead.objects.select_for_update().get_or_create(pk=1)
    previous, sequence = head.digest, head.sequence
    seals = []
    names = COLUMNS[ReadEvent]
    for row in rows:
        entry = dict(zip(names, row, strict=True))
        sequence += 1
        seal = SimpleNamespace(
            sequence=sequence, kind=AuditSeal.Kind.READ, entry_id=entry["id"], at=entry["at"],
            actor_id=entry["user_id"], client_id=entry["client_id"], action=entry["action"],
        )  # fmt: skip
        digest = chain.digest(previous, seal, entry)
        seals.append((ids.take(AuditSeal), sequence, "read", seal.entry_id, seal.at, seal.actor_id,
                      seal.client_id, seal.action, previous, digest))  # fmt: skip
        previous = digest
    copy_rows(AuditSeal, seals)
    ChainHead.objects.filter(pk=head.pk).update(sequence=sequence, digest=previous)


def finish(world: World) -> None:
    reset_sequences()
    settle_claims(world)
    give_caseload(world)
    with connection.cursor() as cursor:
        # VACUUM cannot run in a transaction (the test of this script runs in one): ANALYZE then.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def reset_sequences() -> None:
    if connection.vendor != "postgresql":
        return  # SQLite takes the next id after the largest
    with connection.cursor() as cursor:
        for model in COLUMNS:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT max(id) FROM {table}), 1))"
            )


def settle_claims(world: World) -> None:
    """Each yearly claim asks for the sum of its costs; the old ones decided and paid."""
    sums = dict(
        CostEntry.objects.filter(claim__isnull=False)
        .values("claim_id")
        .annotate(total=models.Sum("amount_eur"))
        .values_list("claim_id", "total")
    )
    for claim in Claim.objects.filter(pk__in=[pk for pk, _status in world.claims.values()]):
        claimed = sums.get(claim.pk)
        if claimed is None or claim.status == "draft":
            continue
        sent = min(world.today, claim.period_last + datetime.timedelta(days=60))
        fields = {"claimed_eur": claimed, "sent_on": sent}
        if claim.status in ("paid", "partly_rejected"):
            rejected = (
                (claimed * Decimal("0.03")).quantize(Decimal("0.01"))
                if claim.status == "partly_rejected"
                else 0
            )
            fields.update(
                decided_on=sent + datetime.timedelta(days=90),
                decision_reference=f"ELY/{claim.period_first.year}/{claim.payee_id}",
                accepted_eur=claimed - rejected,
                rejected_eur=rejected,
            )
            if claim.status == "partly_rejected":
                fields["decision_note"] = "Tulkkauskuluja ilman tositetta."
            if claim.status == "paid":
                fields.update(paid_on=sent + datetime.timedelta(days=120), paid_eur=claimed)
        Claim.objects.filter(pk=claim.pk).update(**fields)


def give_caseload(world: World) -> None:
    """The bench counsellor becomes responsible for some Vasa clients with open deadlines, so that
    the worklist has what a counsellor's would have."""
    has = Client.objects.filter(responsible_worker_id=world.counsellor).count()
    if world.vasa is None or has >= CASELOAD:
        return
    horizon = world.today + datetime.timedelta(days=60)
    ids = (
        Deadline.objects.filter(
            met_on__isnull=True,
            due_on__lte=horizon,
            client__organisation_id=world.vasa,
            client__responsible_worker__isnull=True,
        )
        .order_by("-due_on")
        .values_list("client_id", flat=True)
        .distinct()[: 4 * CASELOAD]
    )
    chosen = list(dict.fromkeys(ids))[: CASELOAD - has]
    Client.objects.filter(pk__in=chosen).update(responsible_worker_id=world.counsellor)


def check(sample: int = 200) -> bool:
    """The pages answer 200 for the bench users, and the deadlines are those the engine computes."""
    from django.test import Client as TestClient
    from django.test.utils import setup_test_environment

    from hemkommun.casework.deadlines import compute_deadlines, gather_facts, rule_set_for

    # Lets the test client use the 'testserver' host; inside the test suite it is done already.
    with contextlib.suppress(RuntimeError):
        setup_test_environment()
    ok = True
    busy = list(
        Client.objects.filter(id__in=Contact.objects.filter(client__isnull=False).values("client_id"))
        .annotate(events=models.Count("deadlines", distinct=True))
        .order_by("-events", "id")
        .values_list("id", "organisation_id", "organisation__code")[:2000]
    )
    vasa = [(pk, org) for pk, org, code in busy if code == RESTRICTED_MUNICIPALITY][:3]
    client_pages = [f"/clients/{pk}/" for pk, _org in vasa] + [
        f"/casework/clients/{pk}/timeline/" for pk, _o in vasa
    ]
    year = timezone.localdate().year
    forecast = (
        f"/compensation/forecast/?payee={vasa[0][1]}&first={year - 1}-01&last={year}-12" if vasa else ""
    )
    # Each user the pages their role opens (a counsellor has no statistics or forecast: 403/404).
    visits = {
        COUNSELLOR: ["/clients/", "/casework/worklist/", *client_pages],
        COORDINATOR: [
            "/casework/worklist/?organisation_wide=on",
            "/reports/statistics/",
            forecast,
            *client_pages,
        ],
        SUPERUSER: [
            "/clients/",
            "/clients/?q=jarvinen",
            *[f"/clients/{pk}/" for pk, _org, _code in busy[:3]],
        ],
    }
    for username, urls in visits.items():
        browser = TestClient()
        browser.force_login(User.objects.get(username=username))
        for url in filter(None, urls):
            started = time.perf_counter()
            response = browser.get(url)
            took = (time.perf_counter() - started) * 1000
            print(f"  {response.status_code} {username:18} {url} ({took:.0f} ms)")
            ok = ok and response.status_code == 200
    mismatches = 0
    ids = list(
        Client.objects.filter(deadlines__isnull=False).values_list("id", flat=True).distinct()[:sample]
    )
    for client in Client.objects.filter(pk__in=ids).select_related(
        "organisation", "municipality_of_residence"
    ):
        rule_set = rule_set_for(client)
        expected = sorted(
            (d.kind, d.starts_on, d.due_on, d.met_on, d.plan_id)
            for d in (compute_deadlines(client, rule_set, gather_facts(client)) if rule_set else [])
        )
        stored = sorted(client.deadlines.values_list("kind", "starts_on", "due_on", "met_on", "plan_id"))
        if expected != stored:
            mismatches += 1
            if mismatches <= 3:
                print(
                    f"  deadlines of client {client.pk} differ:\n    engine {expected}\n    stored {stored}"
                )
    print(f"  deadlines: {len(ids) - mismatches} of {len(ids)} clients as the engine computes them")
    ok = ok and mismatches == 0
    if ReadEvent.objects.count() <= 300_000:
        from hemkommun.audit.verify import verify_chain

        report = verify_chain()
        print(
            f"  audit chain: {report.checked:,} seals checked, {'intact' if report.ok else report.breaks[:3]}"
        )
        ok = ok and report.ok
    print("check passed" if ok else "CHECK FAILED")
    return ok


if __name__ == "__main__":
    main()
