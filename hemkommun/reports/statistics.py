"""Statistics of the integration services: counts of a period for the organisations a user may
report on, with filters and breakdowns, suppressed for sharing (suppression.py).

``statistics(scope=..., filters=...)`` is the one computation behind the page, the files and the
API. It reads counts only (no client data, so no read log), each figure in one aggregate query,
so the number of queries does not grow with the data. What is counted (docs/statistics.md):

- clients in the register: held by the organisation, client relationship started by the period's
  end (or, not recorded, registered by then); clients with a contact: of those, with a contact
  recorded in the period; new clients: client relationship started in the period;
- contacts recorded in the period, anonymous ones included, by channel;
- assessments completed, integration plans agreed (accepted by the client), referrals sent in the
  period, the referrals by where they stand now;
- arrivals: expected families or groups that arrived in the period, and their members;
- activity sessions held in the period, and participants (named clients once, plus the anonymous
  counts of each session);
- timeliness: per deadline rule, the deadlines due in the period, met on time, met late, missed
  and still open; the share met on time of those whose day has passed.

Person filters (residence ground, language, age group, sex) apply to clients and to what is
recorded of anonymous people; a figure that cannot be filtered so (an anonymous contact has no
residence ground) leaves those people out, and the notes say so. Age is the age at the period's
end; an unknown birth month or day counts as the first.
"""

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from hemkommun.casework.codes import AgeGroup, Channel
from hemkommun.casework.models import Assessment, Contact, Deadline, IntegrationPlan, Referral, Rule
from hemkommun.clients.codes import LANGUAGES, ResidenceGround, Sex
from hemkommun.clients.models import Client
from hemkommun.organizations.models import Organisation, Unit
from hemkommun.programme.activity_models import AnonymousAttendance, Attendance, Session
from hemkommun.reception.models.arrivals import ArrivalGroup, ExpectedMember

from . import suppression
from .suppression import Cell

TOP_LANGUAGES = 10
# Age groups at the period's end: code, youngest age, oldest age (the codes of anonymous contacts).
AGE_GROUPS = [
    (AgeGroup.CHILD, 0, 17),
    (AgeGroup.YOUNG, 18, 29),
    (AgeGroup.ADULT, 30, 64),
    (AgeGroup.SENIOR, 65, None),
]


@dataclass(frozen=True)
class Scope:
    """Whose figures, and whether exactly: decided by access.policy for the acting user."""

    organisation_ids: frozenset[int]
    exact: bool


@dataclass(frozen=True)
class Filters:
    date_from: datetime.date
    date_to: datetime.date
    organisations: tuple[Organisation, ...] = ()  # chosen ones; empty: the whole scope
    unit: Unit | None = None
    residence_ground: str = ""
    language: str = ""
    age_group: str = ""
    sex: str = ""
    for_sharing: bool = False

    @property
    def person_filtered(self) -> bool:
        return bool(self.residence_ground or self.language or self.age_group or self.sex)


@dataclass
class Row:
    key: str  # a code that does not change with the language of the page
    label: str
    cells: list[Cell]


@dataclass
class Table:
    key: str
    caption: str
    row_header: str
    headers: list[str]
    rows: list[Row]
    total: Row | None = None
    chart: bool = False
    chart_column: int | None = None  # None: every column


@dataclass
class Statistics:
    date_from: datetime.date
    date_to: datetime.date
    organisations: list[Organisation]
    exact: bool
    tables: list[Table]
    notes: list[str] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


# --- the computation ------------------------------------------------------------------------------


def statistics(*, scope: Scope, filters: Filters) -> Statistics:
    chosen = {o.pk for o in filters.organisations}
    ids = sorted(scope.organisation_ids & chosen if chosen else scope.organisation_ids)
    organisations = list(Organisation.objects.filter(pk__in=ids).order_by("name_fi"))
    counter = _Counter(ids, filters, organisations)
    raw = counter.count()
    tables = _finish(raw, counter.headline, suppress=not scope.exact)
    tables.append(_timeliness_table(counter.timeliness, suppress=not scope.exact))
    return Statistics(
        date_from=filters.date_from,
        date_to=filters.date_to,
        organisations=organisations,
        exact=scope.exact,
        tables=tables,
        notes=_notes(filters, organisations, scope.exact),
    )


@dataclass
class _Raw:
    """A table before suppression: each column is a quantity whose total is ``headline[key]``."""

    key: str
    caption: str
    row_header: str
    columns: list[tuple[str, str]]  # (quantity, header)
    rows: list[tuple[str, str, list[int | None]]]  # (key, label, values)
    chart: bool = True


class _Counter:
    def __init__(self, ids: list[int], filters: Filters, organisations: list[Organisation]):
        self.ids = ids
        self.organisations = organisations
        self.f = filters
        self.start = filters.date_from
        self.end = filters.date_to
        tz = timezone.get_current_timezone()
        self.start_at = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        self.end_at = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        self.headline: dict[str, int | None] = {}

    # person filters -------------------------------------------------------------------------------

    def _cut(self, years: int) -> int:
        """The birth key of a person turning ``years`` on the period's last day."""
        day = self.end - relativedelta(years=years)
        return day.year * 10000 + day.month * 100 + day.day

    def _birth_key(self, prefix: str = ""):
        return (
            F(f"{prefix}birth_year") * 10000
            + Coalesce(F(f"{prefix}birth_month"), 1) * 100
            + Coalesce(F(f"{prefix}birth_day"), 1)
        )

    def _age_case(self):
        """The age group at the period's end, from the annotation ``birth_key``."""
        whens = [When(birth_key__isnull=True, then=Value(AgeGroup.UNKNOWN.value))]
        for code, _low, high in AGE_GROUPS:
            if high is not None:
                whens.append(When(birth_key__gt=self._cut(high + 1), then=Value(code.value)))
        return Case(*whens, default=Value(AgeGroup.SENIOR.value), output_field=CharField())

    def _age_q(self) -> Q:
        for code, low, high in AGE_GROUPS:
            if code == self.f.age_group:
                q = Q(birth_key__lte=self._cut(low))
                return q & Q(birth_key__gt=self._cut(high + 1)) if high is not None else q
        return Q()

    def _clients(self, queryset, prefix: str = "", *, by_unit: bool = True):
        """``queryset`` narrowed by the person filters applied to the client at ``prefix``, and by
        the unit responsible for the client (unless the records name their own unit)."""
        f = self.f
        queryset = queryset.annotate(birth_key=self._birth_key(prefix))
        q = Q()
        if f.unit and by_unit:
            q &= Q(**{f"{prefix}responsible_unit": f.unit})
        if f.residence_ground:
            q &= Q(**{f"{prefix}residence_ground": f.residence_ground})
        if f.language:
            q &= Q(**{f"{prefix}native_language": f.language})
        if f.sex:
            q &= Q(**{f"{prefix}sex": f.sex})
        if f.age_group:
            q &= self._age_q()
        return queryset.filter(q)

    # figures ----------------------------------------------------------------------------------------

    def count(self) -> list[_Raw]:
        raw = self._clients_figures()
        raw += self._contacts()
        self._casework()
        raw.append(self._referrals())
        self._reception()
        self._activities()
        self.timeliness = self._timeliness()
        return raw

    def _client_base(self):
        contact = Contact.objects.filter(
            client=OuterRef("pk"),
            organisation__in=self.ids,
            occurred_at__gte=self.start_at,
            occurred_at__lt=self.end_at,
        )
        return self._clients(Client.objects.filter(organisation__in=self.ids)).annotate(
            has_contact=Exists(contact)
        )

    def _clients_figures(self) -> list[_Raw]:
        base = self._client_base()
        active = Q(has_contact=True)
        new = Q(client_since__gte=self.start, client_since__lte=self.end)
        registered = Q(client_since__lte=self.end) | Q(client_since__isnull=True, created_at__lt=self.end_at)
        totals = base.aggregate(
            registered=Count("pk", filter=registered),
            active=Count("pk", filter=active),
            new=Count("pk", filter=new),
        )
        self.headline["clients_registered"] = totals["registered"]
        self.headline["clients_active"] = totals["active"]
        self.headline["clients_new"] = totals["new"]
        counted = base.filter(active | new)

        def by(dimension, expression=None):
            queryset = (
                counted.annotate(dim=expression)
                if expression is not None
                else counted.annotate(dim=F(dimension))
            )
            rows = queryset.values("dim").annotate(
                active=Count("pk", filter=active), new=Count("pk", filter=new)
            )
            return {row["dim"]: [row["active"], row["new"]] for row in rows}

        columns = [("clients_active", _("Clients with a contact")), ("clients_new", _("New clients"))]
        names = {o.pk: o.name for o in self.organisations}
        codes = {o.pk: o.code for o in self.organisations}
        by_org = by("organisation_id")
        tables = [
            _Raw(
                "clients_by_organisation",
                _("Clients by municipality or organisation"),
                _("Municipality or organisation"),
                columns,
                [
                    (codes[pk], names[pk], by_org.get(pk, [0, 0]))
                    for pk in sorted(names, key=lambda pk: names[pk])
                ],
            )
        ]
        by_sex = by("sex")
        tables.append(
            _Raw(
                "clients_by_sex",
                _("Clients by sex"),
                _("Sex"),
                columns,
                [(code, str(label), by_sex.get(code, [0, 0])) for code, label in Sex.choices]
                + [("", _("Not recorded"), by_sex.get("", [0, 0]))],
            )
        )
        by_age = by("age", self._age_case())
        tables.append(
            _Raw(
                "clients_by_age",
                _("Clients by age group at the end of the period"),
                _("Age group"),
                columns,
                [(code.value, str(code.label), by_age.get(code.value, [0, 0])) for code, *_x in AGE_GROUPS]
                + [("unknown", str(AgeGroup.UNKNOWN.label), by_age.get(AgeGroup.UNKNOWN.value, [0, 0]))],
            )
        )
        by_ground = by("residence_ground")
        tables.append(
            _Raw(
                "clients_by_residence_ground",
                _("Clients by residence ground"),
                _("Residence ground"),
                columns,
                [(code, str(label), by_ground.get(code, [0, 0])) for code, label in ResidenceGround.choices]
                + [("", _("Not recorded"), by_ground.get("", [0, 0]))],
            )
        )
        tables.append(self._languages(by("native_language"), columns))
        return tables

    def _languages(self, counts: dict, columns) -> _Raw:
        known = sorted(
            ((code, values) for code, values in counts.items() if code),
            key=lambda item: (-item[1][0], -item[1][1], item[0]),
        )
        rows = [(code, str(LANGUAGES.get(code, code)), values) for code, values in known[:TOP_LANGUAGES]]
        other = [sum(values[i] for _c, values in known[TOP_LANGUAGES:]) for i in range(2)]
        rows.append(("other", _("Other languages"), other))
        rows.append(("", _("Not recorded"), counts.get("", [0, 0])))
        return _Raw(
            "clients_by_language",
            _("Clients by native language (the %(count)s most common)") % {"count": TOP_LANGUAGES},
            _("Native language"),
            columns,
            rows,
        )

    def _contacts(self) -> list[_Raw]:
        f = self.f
        contacts = Contact.objects.filter(
            organisation__in=self.ids, occurred_at__gte=self.start_at, occurred_at__lt=self.end_at
        )
        if f.unit:
            contacts = contacts.filter(unit=f.unit)
        named = self._clients(contacts.filter(client__isnull=False), "client__", by_unit=False)
        anonymous = contacts.filter(client__isnull=True)
        if f.residence_ground or f.sex:
            anonymous = anonymous.none()  # nothing of the kind is recorded of anonymous people
        if f.language:
            anonymous = anonymous.filter(language=f.language)
        if f.age_group:
            anonymous = anonymous.filter(age_group=f.age_group)
        wanted = Q(pk__in=named.values("pk")) | Q(pk__in=anonymous.values("pk"))
        rows = (
            Contact.objects.filter(wanted)
            .values("channel")
            .annotate(
                named=Count("pk", filter=Q(client__isnull=False)),
                anonymous=Count("pk", filter=Q(client__isnull=True)),
            )
        )
        by_channel = {row["channel"]: (row["named"], row["anonymous"]) for row in rows}
        named_total = sum(n for n, _a in by_channel.values())
        anonymous_total = sum(a for _n, a in by_channel.values())
        self.headline["contacts"] = named_total + anonymous_total
        column = [("contacts", _("Contacts"))]
        return [
            _Raw(
                "contacts_by_channel",
                _("Contacts by channel (anonymous ones included)"),
                _("Channel"),
                column,
                [(code, str(label), [sum(by_channel.get(code, (0, 0)))]) for code, label in Channel.choices],
            ),
            _Raw(
                "contacts_by_kind",
                _("Contacts with registered clients and anonymous contacts"),
                _("Kind of contact"),
                column,
                [
                    ("named", _("With a registered client"), [named_total]),
                    ("anonymous", _("Anonymous"), [anonymous_total]),
                ],
                chart=False,
            ),
        ]

    def _casework(self) -> None:
        assessments = Assessment.objects.filter(
            organisation__in=self.ids, completed_on__gte=self.start, completed_on__lte=self.end
        ).exclude(status=Assessment.Status.DRAFT)
        self.headline["assessments"] = self._clients(assessments, "client__").count()
        plans = IntegrationPlan.objects.filter(
            organisation__in=self.ids, agreed_on__gte=self.start, agreed_on__lte=self.end
        ).exclude(status=IntegrationPlan.Status.DRAFT)
        self.headline["plans"] = self._clients(plans, "client__").count()

    def _referrals(self) -> _Raw:
        referrals = Referral.objects.filter(
            from_organisation__in=self.ids, sent_on__gte=self.start, sent_on__lte=self.end
        )
        rows = self._clients(referrals, "client__").values("status").annotate(n=Count("pk"))
        by_status = {row["status"]: row["n"] for row in rows}
        self.headline["referrals"] = sum(by_status.values())
        return _Raw(
            "referrals_by_outcome",
            _("Referrals sent in the period, by where they stand now"),
            _("Status"),
            [("referrals", _("Referrals"))],
            [(code, str(label), [by_status.get(code, 0)]) for code, label in Referral.Status.choices],
        )

    def _reception(self) -> None:
        f = self.f
        if f.unit:  # arrivals belong to the municipality, not to a unit
            self.headline["arrival_groups"] = self.headline["arrival_persons"] = None
            return
        members = ExpectedMember.objects.filter(
            group__municipality__in=self.ids,
            group__status=ArrivalGroup.Status.ARRIVED,
            group__arrived_on__gte=self.start,
            group__arrived_on__lte=self.end,
        ).annotate(birth_key=F("birth_year") * 10000 + 101)
        if f.residence_ground:
            members = members.filter(group__residence_ground=f.residence_ground)
        if f.sex:
            members = members.filter(sex=f.sex)
        if f.age_group:
            members = members.filter(self._age_q())
        if f.language:
            members = members.filter(_listed(f.language))
        totals = members.aggregate(groups=Count("group", distinct=True), persons=Count("pk"))
        self.headline["arrival_groups"] = totals["groups"]
        self.headline["arrival_persons"] = totals["persons"]

    def _activities(self) -> None:
        f = self.f
        if f.unit:  # activities belong to the municipality, not to a unit
            self.headline["sessions"] = self.headline["participants"] = None
            return
        sessions = Session.objects.filter(
            activity__municipality__in=self.ids, held_on__gte=self.start, held_on__lte=self.end
        )
        self.headline["sessions"] = sessions.count()
        named = self._clients(Attendance.objects.filter(session__in=sessions), "client__").aggregate(
            n=Count("client", distinct=True)
        )["n"]
        anonymous = AnonymousAttendance.objects.filter(session__in=sessions)
        if f.residence_ground:
            anonymous = anonymous.none()
        if f.sex:
            anonymous = anonymous.filter(gender=f.sex)
        if f.language:
            anonymous = anonymous.filter(language=f.language)
        if f.age_group:
            anonymous = anonymous.filter(age_group=f.age_group)
        self.headline["participants"] = named + (anonymous.aggregate(n=Sum("count"))["n"] or 0)

    def _timeliness(self) -> list[tuple[str, str, list[int]]]:
        today = timezone.localdate()
        deadlines = self._clients(
            Deadline.objects.filter(
                client__organisation__in=self.ids, due_on__gte=self.start, due_on__lte=self.end
            ),
            "client__",
        )
        rows = deadlines.values("rule").annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=Q(met_on__lte=F("due_on"))),
            late=Count("pk", filter=Q(met_on__gt=F("due_on"))),
            missed=Count("pk", filter=Q(met_on__isnull=True, due_on__lt=today)),
            open=Count("pk", filter=Q(met_on__isnull=True, due_on__gte=today)),
        )
        counts = {row["rule"]: row for row in rows}
        rules = Rule.objects.filter(pk__in=counts).select_related("rule_set")
        ordered = sorted(rules, key=lambda r: (r.rule_set.jurisdiction, r.rule_set.applies_from, r.kind))
        return [
            (
                f"{rule.rule_set.code}:{rule.kind}",
                f"{rule.get_kind_display()} ({rule.rule_set.act}, {rule.period_display()})",
                [counts[rule.pk][k] for k in ("due", "on_time", "late", "missed", "open")],
            )
            for rule in ordered
        ]


def _listed(code: str) -> Q:
    """``code`` among the comma-separated language codes of an expected member."""
    q = Q(languages__iexact=code) | Q(languages__istartswith=f"{code},")
    for before in (",", ", "):
        q |= Q(languages__iendswith=f"{before}{code}") | Q(languages__icontains=f"{before}{code},")
    return q


# --- suppression and presentation ------------------------------------------------------------------

SUMMARY = [
    ("clients_registered", lambda: _("Clients in the register at the end of the period")),
    ("clients_active", lambda: _("Clients with a contact in the period")),
    ("clients_new", lambda: _("New clients")),
    ("contacts", lambda: _("Contacts (anonymous ones included)")),
    ("assessments", lambda: _("Assessments completed")),
    ("plans", lambda: _("Integration plans agreed")),
    ("referrals", lambda: _("Referrals sent")),
    ("arrival_groups", lambda: _("Families or groups arrived")),
    ("arrival_persons", lambda: _("Persons arrived")),
    ("sessions", lambda: _("Activity sessions held")),
    ("participants", lambda: _("Participants in activities")),
]


def _finish(raw: list[_Raw], headline: dict[str, int | None], *, suppress: bool) -> list[Table]:
    # Each column of a breakdown is a line adding up to its headline figure: find what to hide,
    # and which totals must be hidden wherever they are shown.
    results: dict[tuple[str, int], suppression.LineResult] = {}
    hidden_totals: set[str] = set()
    if suppress:
        for table in raw:
            for j, (quantity, _header) in enumerate(table.columns):
                total = headline[quantity] or 0
                result = suppression.suppress_line([values[j] or 0 for _k, _l, values in table.rows], total)
                results[(table.key, j)] = result
                if result.hide_total:
                    hidden_totals.add(quantity)

    def figure(quantity: str) -> Cell:
        return suppression.single(
            headline[quantity], suppress=suppress, total_hidden=quantity in hidden_totals
        )

    tables = [
        Table(
            key="summary",
            caption=_("Figures of the period"),
            row_header=_("Figure"),
            headers=[_("Number")],
            rows=[Row(quantity, label(), [figure(quantity)]) for quantity, label in SUMMARY],
        )
    ]
    for table in raw:
        columns = [
            suppression.line_cells([values[j] for _k, _l, values in table.rows], results.get((table.key, j)))
            for j in range(len(table.columns))
        ]
        rows = [
            Row(key, label, [column[i] for column in columns])
            for i, (key, label, _v) in enumerate(table.rows)
        ]
        tables.append(
            Table(
                key=table.key,
                caption=table.caption,
                row_header=table.row_header,
                headers=[header for _q, header in table.columns],
                rows=rows,
                total=Row("total", _("Total"), [figure(quantity) for quantity, _h in table.columns]),
                chart=table.chart,
            )
        )
    return tables


def _timeliness_table(rows: list[tuple[str, str, list[int]]], *, suppress: bool) -> Table:
    out = []
    for key, label, (due, on_time, late, missed, open_) in rows:
        parts = [on_time, late, missed, open_]
        result = suppression.suppress_line(parts, due) if suppress else None
        cells = suppression.line_cells(parts, result)
        due_cell = suppression.single(due, suppress=suppress, total_hidden=bool(result and result.hide_total))
        decided = on_time + late + missed
        if not decided:
            share = suppression.plain(None)
        elif due_cell.value is None or any(cell.value is None for cell in cells[:3]):
            share = Cell(None, suppression.hidden_marker())  # a share would give the hidden counts away
        else:
            percent = round(100 * on_time / decided)
            share = Cell(percent, f"{percent} %")
        out.append(Row(key, label, [due_cell, *cells, share]))
    return Table(
        key="timeliness",
        caption=_("Timeliness: deadlines due in the period, by rule"),
        row_header=_("Deadline rule"),
        headers=[
            _("Due"),
            _("Met on time"),
            _("Met late"),
            _("Missed"),
            _("Still open"),
            _("Met on time, of those past their day"),
        ],
        rows=out,
        chart=True,
        chart_column=5,
    )


def _notes(filters: Filters, organisations: list[Organisation], exact: bool) -> list[str]:
    f = filters
    names = ", ".join(o.name for o in organisations) or _("none")
    notes = [
        _("Period: %(first)s – %(last)s")
        % {"first": f"{f.date_from:%d.%m.%Y}", "last": f"{f.date_to:%d.%m.%Y}"},
        _("Municipalities and organisations: %(names)s") % {"names": names},
    ]
    choices = [
        (_("Unit"), f.unit.name if f.unit else ""),
        (_("Residence ground"), ResidenceGround(f.residence_ground).label if f.residence_ground else ""),
        (_("Native language"), LANGUAGES.get(f.language, f.language) if f.language else ""),
        (_("Age group at the end of the period"), AgeGroup(f.age_group).label if f.age_group else ""),
        (_("Sex"), Sex(f.sex).label if f.sex else ""),
    ]
    chosen = [f"{name}: {value}" for name, value in choices if value]
    notes.append(_("Filters: %(filters)s") % {"filters": "; ".join(chosen) if chosen else _("none")})
    if exact:
        notes.append(_("Exact figures, for use within the unit only: do not share them outside it."))
    else:
        notes.append(
            _(
                "Figures for sharing: groups smaller than 5 are suppressed. <5 stands for 1–4; x for a "
                "figure hidden so that a smaller one cannot be worked out from the totals; 0 is shown."
            )
        )
    if f.unit:
        notes.append(_("Arrivals and activities belong to a municipality, not to a unit: not counted (–)."))
    if f.residence_ground or f.sex:
        notes.append(
            _("Anonymous contacts have no residence ground or sex recorded: left out with these filters.")
        )
    if f.residence_ground:
        notes.append(
            _("Anonymous participants of activities have no residence ground: left out with this filter.")
        )
    return notes
