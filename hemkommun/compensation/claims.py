"""Actual costs and cost claims: the services that write them and the selectors that read them.

Who may: the coordinators and reporting staff of a payee (access.policy.compensation_payees) read
its costs and claims; only its coordinators write them. The write check lives here, on
``policy.roles_in(user, payee.pk)`` and Role.COORDINATOR, so that views, imports and the API ask
the same question.

The claim deadline of a cost (the claim is lost after it): 31 December of the year the cost arose
plus the parameter ``claim_deadline_years`` of the payee's jurisdiction in force on the cost's
date (2 years by migration 0002: a cost of 5.3.2024 must be claimed by 31.12.2026). A cost without
such a parameter has no known deadline and is never refused for it. A cost past its deadline is
not put in a claim, and a claim holding one is not sent.

A claim goes draft → sent → decided, or partly rejected when the state accepts less than was
claimed, → paid. Only a draft changes its costs; a cost in a sent claim no longer changes. Each
transition locks the claim's row and is written to the write log (auditlog, with the actor).
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hemkommun.access import policy
from hemkommun.clients.models import Client
from hemkommun.organizations.models import Organisation, Role

from . import limits
from .codes import Key
from .models import Claim, CostCategory, CostEntry, Parameter
from .rules import ParameterBook

# Costs the state pays only by a decision of the regional state centre (kotoutuminen.fi).
DECISION_CATEGORIES = frozenset(
    {CostCategory.SPECIAL_COSTS, CostCategory.QUOTA_PREPARATION, CostCategory.OTHER_SPECIAL}
)
# How far ahead the cost list warns of deadlines.
WARNING_DAYS = 90
# The fields of a cost a coordinator edits; the payee and the claim are set otherwise.
COST_FIELDS = (
    "client",
    "category",
    "cost_date",
    "period_from",
    "period_until",
    "amount_eur",
    "description",
    "invoice_reference",
    "decision_reference",
    "decision_date",
    "attachments",
)
EARLIEST = datetime.date(2000, 1, 1)
TEXT_LIMIT = 4000
SENT_STATUSES = (Claim.Status.SENT, Claim.Status.DECIDED, Claim.Status.PARTLY_REJECTED, Claim.Status.PAID)

Errors = dict[str, list[ValidationError]]


# --- who may -------------------------------------------------------------------------------------


def readable_payees(user) -> list[Organisation]:
    """Payees whose costs and claims the user reads: coordinators and reporting staff."""
    return policy.compensation_payees(user)


def may_write(user, payee_id: int) -> bool:
    """Coordinators write a payee's costs and claims; reporting staff only read them."""
    return Role.COORDINATOR in policy.roles_in(user, payee_id)


def writable_payees(user) -> list[Organisation]:
    return [payee for payee in readable_payees(user) if may_write(user, payee.pk)]


def _check_writer(by, payee_id: int) -> None:
    if not may_write(by, payee_id):
        raise ValidationError(
            _("Only the payee's coordinators may record costs and claims."), code="claims_forbidden"
        )


def _add(errors: Errors, field: str | None, message: str, code: str) -> None:
    errors.setdefault(field or "__all__", []).append(ValidationError(message, code=code))


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


# --- claim deadlines -----------------------------------------------------------------------------


class Deadlines:
    """The claim deadlines of costs, by jurisdiction and the day the cost arose.

    ``of`` answers for one cost; ``cost_date_q`` gives the same answer as a filter on the cost
    date, so that lists filter in SQL: with the deadline always a 31 December, the costs whose
    deadline falls in a window are a few ranges of cost dates, one per parameter row at most.
    """

    def __init__(self, parameters: Iterable[Parameter] | None = None):
        if parameters is None:
            parameters = Parameter.objects.filter(key=Key.CLAIM_DEADLINE_YEARS, qualifier="")
        self._rows = [row for row in parameters if row.key == Key.CLAIM_DEADLINE_YEARS and not row.qualifier]
        self.book = ParameterBook(self._rows)

    def of(self, jurisdiction: str, cost_date: datetime.date) -> datetime.date | None:
        """The last day the cost may be claimed, or None where no parameter says."""
        years = self.book.value(jurisdiction, Key.CLAIM_DEADLINE_YEARS, "", cost_date)
        if years is None:
            return None
        return datetime.date(cost_date.year + int(years), 12, 31)

    def cost_date_q(self, jurisdiction: str, first: datetime.date, last: datetime.date) -> Q:
        """Costs whose deadline falls in [first, last], as a filter on ``cost_date``."""
        rows = sorted((r for r in self._rows if r.jurisdiction == jurisdiction), key=lambda r: r.valid_from)
        # The deadline years in the window: each 31 December from first to last.
        first_year = first.year
        last_year = last.year if (last.month, last.day) == (12, 31) else last.year - 1
        condition = Q(pk__in=[])
        for position, row in enumerate(rows):
            # The days on which this row is the one ParameterBook.find answers with.
            starts, ends = row.valid_from, row.valid_until or datetime.date.max
            if position + 1 < len(rows):
                ends = min(ends, rows[position + 1].valid_from - datetime.timedelta(days=1))
            years = int(row.value)
            # Costs of these years have their deadline in the window.
            low = max(starts.year, first_year - years)
            high = min(ends.year, last_year - years)
            if starts > ends or low > high:
                continue
            condition |= Q(
                cost_date__gte=max(starts, datetime.date(low, 1, 1)),
                cost_date__lte=min(ends, datetime.date(high, 12, 31)),
            )
        return condition

    def near_q(self, jurisdiction: str, today: datetime.date) -> Q:
        return self.cost_date_q(jurisdiction, today, today + datetime.timedelta(days=WARNING_DAYS))

    def passed_q(self, jurisdiction: str, today: datetime.date) -> Q:
        return self.cost_date_q(jurisdiction, datetime.date.min, today - datetime.timedelta(days=1))


def past_deadline_message(deadline: datetime.date) -> str:
    return _("The claim deadline of this cost was %(date)s: it can no longer be claimed.") % {
        "date": f"{deadline:%d.%m.%Y}"
    }


# --- costs ---------------------------------------------------------------------------------------


def payee_client(*, user, payee: Organisation, number) -> Client:
    """The client with this record number, if the user sees them and they are the payee's: held by
    it, or living or having lived in it. Anything else is the same error, which reveals nothing."""
    client = policy.visible_clients(user).filter(pk=number).first() if str(number).isdecimal() else None
    if client is None or not (
        payee.pk in (client.organisation_id, client.municipality_of_residence_id)
        or client.earlier_residences.filter(municipality=payee).exists()
    ):
        message = _("No client of %(payee)s with that record number is visible to you.") % {"payee": payee}
        raise ValidationError({"client": ValidationError(message, code="no_such_client")})
    return client


def cost_create(*, by, payee: Organisation, data: Mapping[str, object]) -> CostEntry:
    """Record an actual cost of the payee. ``data`` holds COST_FIELDS (client may be None)."""
    _check_writer(by, payee.pk)
    cost = CostEntry(payee=payee, created_by=by)
    _set_fields(cost, data)
    _validate_cost(cost, by=by, client_changed=True)
    with transaction.atomic(), set_actor(by):
        cost.save()
    return cost


def cost_update(*, by, cost: CostEntry, data: Mapping[str, object]) -> CostEntry:
    """Change a cost not yet in a sent claim (one in a draft may change)."""
    _check_writer(by, cost.payee_id)
    with transaction.atomic(), set_actor(by):
        # Only the cost's row is locked (PostgreSQL would lock the joined rows too without ``of``).
        cost = (
            CostEntry.objects.select_for_update(of=("self",)).select_related("payee", "claim").get(pk=cost.pk)
        )
        _check_cost_open(cost)
        client_before = cost.client_id
        _set_fields(cost, data)
        _validate_cost(cost, by=by, client_changed=cost.client_id != client_before)
        cost.save()
    return cost


def cost_delete(*, by, cost: CostEntry) -> None:
    """Remove a cost recorded by mistake; one in a claim must first be taken out of it."""
    _check_writer(by, cost.payee_id)
    with transaction.atomic(), set_actor(by):
        cost = CostEntry.objects.select_for_update().get(pk=cost.pk)
        if cost.claim_id is not None:
            raise ValidationError(
                _("The cost is in a claim: take it out of the draft claim before removing it."),
                code="cost_in_claim",
            )
        cost.delete()


def _set_fields(cost: CostEntry, data: Mapping[str, object]) -> None:
    unknown = set(data) - set(COST_FIELDS)
    if unknown:
        raise ValueError(f"not cost fields: {sorted(unknown)}")
    for field, value in data.items():
        setattr(cost, field, value.strip() if isinstance(value, str) else value)


def _check_cost_open(cost: CostEntry) -> None:
    if cost.claim_id is not None and not cost.claim.is_draft:
        raise ValidationError(
            _("The cost is in a claim that has been sent: it can no longer be changed."), code="cost_claimed"
        )


def _validate_cost(cost: CostEntry, *, by, client_changed: bool) -> None:
    errors: Errors = {}
    try:
        cost.clean_fields(exclude=["payee", "client", "claim", "created_by"])
    except ValidationError as error:
        for field, messages in error.error_dict.items():
            errors.setdefault(field, []).extend(messages)
    for field in ("description", "attachments"):  # a TextField's max_length binds forms only
        if len(getattr(cost, field)) > TEXT_LIMIT:
            _add(errors, field, _("Write at most %(limit)s characters.") % {"limit": TEXT_LIMIT}, "too_long")
    today = timezone.localdate()
    if cost.amount_eur is not None and "amount_eur" not in errors and cost.amount_eur <= 0:
        _add(errors, "amount_eur", _("The amount must be more than zero."), "amount_not_positive")
    if cost.cost_date and not EARLIEST <= cost.cost_date <= today:
        _add(errors, "cost_date", _("Give a date from 2000 to today."), "cost_date_range")
    if cost.period_from and cost.period_until and cost.period_until < cost.period_from:
        _add(errors, "period_until", _("The period ends before it starts."), "cost_period")
    if cost.category in DECISION_CATEGORIES:
        if not cost.decision_reference:
            _add(
                errors,
                "decision_reference",
                _("This kind of cost is paid only by a decision of the state centre: give its reference."),
                "decision_missing",
            )
        if not cost.decision_date:
            _add(errors, "decision_date", _("Give the date of the decision."), "decision_date_missing")
    if cost.decision_date and cost.decision_date > today:
        _add(errors, "decision_date", _("The decision date is in the future."), "decision_date_future")
    if client_changed and cost.client_id is not None:
        try:
            payee_client(user=by, payee=cost.payee, number=cost.client_id)
        except ValidationError as error:
            errors.setdefault("client", []).extend(error.error_dict["client"])
    beyond_limits = [] if errors else limits.cost_limit_errors(cost)
    if beyond_limits:
        errors["cost_date"] = beyond_limits
    _raise(errors)


# --- claims --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assembly:
    """What collecting a period's costs did: how many went in, how many were past their deadline."""

    added: int
    past_deadline: int


def claim_create(
    *, by, payee: Organisation, period_first: datetime.date, period_last: datetime.date
) -> tuple[Claim, Assembly]:
    """A draft claim of the payee for the period, holding its unclaimed costs still in time."""
    _check_writer(by, payee.pk)
    errors: Errors = {}
    for field, day in (("period_first", period_first), ("period_last", period_last)):
        if not EARLIEST <= day <= datetime.date(2099, 12, 31):
            _add(errors, field, _("Give a date from 2000 to 2099."), "period_range")
    if not errors and period_last < period_first:
        _add(errors, "period_last", _("The period ends before it starts."), "claim_period")
    _raise(errors)
    with transaction.atomic(), set_actor(by):
        claim = Claim.objects.create(
            payee=payee, period_first=period_first, period_last=period_last, created_by=by
        )
        assembly = _collect(claim)
    return claim, assembly


def claim_collect(*, by, claim: Claim) -> Assembly:
    """Put in the draft every unclaimed cost of its payee and period whose deadline has not passed."""
    _check_writer(by, claim.payee_id)
    with transaction.atomic(), set_actor(by):
        claim = _locked_draft(claim)
        return _collect(claim)


def _collect(claim: Claim) -> Assembly:
    deadlines, today = Deadlines(), timezone.localdate()
    jurisdiction = claim.payee.jurisdiction
    candidates = CostEntry.objects.select_for_update().filter(
        payee_id=claim.payee_id,
        claim__isnull=True,
        cost_date__gte=claim.period_first,
        cost_date__lte=claim.period_last,
    )
    added = late = 0
    for cost in candidates.order_by("cost_date", "pk"):
        deadline = deadlines.of(jurisdiction, cost.cost_date)
        if deadline is not None and deadline < today:
            late += 1
            continue
        cost.claim = claim
        cost.save(update_fields=["claim"])  # one save each, so that auditlog sees every one
        added += 1
    return Assembly(added=added, past_deadline=late)


def claim_add_cost(*, by, claim: Claim, cost: CostEntry) -> None:
    """Put one unclaimed cost of the claim's payee in the draft, if its deadline has not passed."""
    _check_writer(by, claim.payee_id)
    with transaction.atomic(), set_actor(by):
        claim = _locked_draft(claim)
        cost = CostEntry.objects.select_for_update().filter(pk=cost.pk, payee_id=claim.payee_id).first()
        if cost is None:
            raise ValidationError(
                {"cost": ValidationError(_("Choose a cost of this payee."), code="no_such_cost")}
            )
        if cost.claim_id is not None:
            message = _("The cost is already in a claim.")
            raise ValidationError({"cost": ValidationError(message, code="cost_in_claim")})
        deadline = Deadlines().of(claim.payee.jurisdiction, cost.cost_date)
        if deadline is not None and deadline < timezone.localdate():
            message = past_deadline_message(deadline)
            raise ValidationError({"cost": ValidationError(message, code="past_deadline")})
        cost.claim = claim
        cost.save(update_fields=["claim"])


def claim_remove_cost(*, by, claim: Claim, cost: CostEntry) -> None:
    """Take a cost out of the draft; it is unclaimed again."""
    _check_writer(by, claim.payee_id)
    with transaction.atomic(), set_actor(by):
        claim = _locked_draft(claim)
        cost = CostEntry.objects.select_for_update().filter(pk=cost.pk, claim=claim).first()
        if cost is None:
            raise ValidationError(_("The cost is not in this claim."), code="cost_not_in_claim")
        cost.claim = None
        cost.save(update_fields=["claim"])


def claim_delete(*, by, claim: Claim) -> None:
    """Throw away a draft begun by mistake: its costs are again in no claim. A sent claim stays."""
    _check_writer(by, claim.payee_id)
    with transaction.atomic(), set_actor(by):
        claim = _locked_draft(claim)
        for cost in CostEntry.objects.select_for_update().filter(claim=claim):
            cost.claim = None
            cost.save(update_fields=["claim"])  # one save each, so that auditlog sees every one
        claim.delete()


def claim_send(*, by, claim: Claim, sent_on: datetime.date) -> Claim:
    """The draft was sent to the state: its sum is fixed, its costs no longer change."""
    _check_writer(by, claim.payee_id)
    with transaction.atomic(), set_actor(by):
        claim = _locked_draft(claim)
        errors: Errors = {}
        if not claim.period_first <= sent_on <= timezone.localdate():
            _add(errors, "sent_on", _("Give a day from the start of the period to today."), "sent_on_range")
        costs = list(claim.costs.select_for_update().order_by("cost_date", "pk"))
        if not costs:
            _add(errors, None, _("The claim has no costs."), "claim_empty")
        deadlines = Deadlines()
        late = [
            cost
            for cost in costs
            if (deadline := deadlines.of(claim.payee.jurisdiction, cost.cost_date)) and deadline < sent_on
        ]
        if late:
            _add(
                errors,
                None,
                ngettext(
                    "The claim deadline of %(count)s cost had passed on that day; take it out first.",
                    "The claim deadline of %(count)s costs had passed on that day; take them out first.",
                    len(late),
                )
                % {"count": len(late)},
                "past_deadline",
            )
        _raise(errors)
        claim.status = Claim.Status.SENT
        claim.sent_on = sent_on
        claim.claimed_eur = sum((cost.amount_eur for cost in costs), Decimal(0))
        claim.save()
    return claim


def claim_decide(
    *,
    by,
    claim: Claim,
    decided_on: datetime.date,
    decision_reference: str,
    accepted_eur: Decimal,
    decision_note: str = "",
) -> Claim:
    """The state's decision: all accepted (decided), or less than claimed (partly rejected)."""
    _check_writer(by, claim.payee_id)
    with transaction.atomic(), set_actor(by):
        claim = _locked(claim, Claim.Status.SENT)
        errors: Errors = {}
        if not claim.sent_on <= decided_on <= timezone.localdate():
            _add(errors, "decided_on", _("Give a day from the sending to today."), "decided_on_range")
        if not decision_reference.strip():
            _add(errors, "decision_reference", _("Give the reference of the decision."), "decision_missing")
        if not Decimal(0) <= accepted_eur <= claim.claimed_eur:
            _add(
                errors,
                "accepted_eur",
                _("The amount accepted is from 0 to the %(claimed)s € claimed.")
                % {"claimed": claim.claimed_eur},
                "accepted_range",
            )
        _raise(errors)
        claim.decided_on = decided_on
        claim.decision_reference = decision_reference.strip()
        claim.decision_note = decision_note.strip()
        claim.accepted_eur = accepted_eur
        claim.rejected_eur = claim.claimed_eur - accepted_eur
        claim.status = (
            Claim.Status.DECIDED if accepted_eur == claim.claimed_eur else Claim.Status.PARTLY_REJECTED
        )
        claim.save()
    return claim


def claim_mark_paid(*, by, claim: Claim, paid_on: datetime.date, paid_eur: Decimal) -> Claim:
    """The state paid what it accepted (or part of it)."""
    _check_writer(by, claim.payee_id)
    with transaction.atomic(), set_actor(by):
        claim = _locked(claim, Claim.Status.DECIDED, Claim.Status.PARTLY_REJECTED)
        errors: Errors = {}
        if not claim.accepted_eur:
            _add(errors, None, _("Nothing was accepted, so nothing is to be paid."), "nothing_accepted")
        elif not Decimal(0) < paid_eur <= claim.accepted_eur:
            _add(
                errors,
                "paid_eur",
                _("The amount paid is more than 0 and at most the %(accepted)s € accepted.")
                % {"accepted": claim.accepted_eur},
                "paid_range",
            )
        if not claim.decided_on <= paid_on <= timezone.localdate():
            _add(errors, "paid_on", _("Give a day from the decision to today."), "paid_on_range")
        _raise(errors)
        claim.paid_on = paid_on
        claim.paid_eur = paid_eur
        claim.status = Claim.Status.PAID
        claim.save()
    return claim


def _locked(claim: Claim, *statuses: str) -> Claim:
    """The claim's row, locked until the transaction ends, if it is in one of these states."""
    claim = Claim.objects.select_for_update(of=("self",)).select_related("payee").get(pk=claim.pk)
    if claim.status not in statuses:
        raise ValidationError(
            _("The claim is %(status)s: this cannot be done now.") % {"status": claim.get_status_display()},
            code="claim_state",
        )
    return claim


def _locked_draft(claim: Claim) -> Claim:
    return _locked(claim, Claim.Status.DRAFT)


# --- reads ---------------------------------------------------------------------------------------


def cost_get(*, user, pk) -> CostEntry | None:
    """A cost of a payee whose costs the user reads, or None (the page answers 404)."""
    ids = [payee.pk for payee in readable_payees(user)]
    return (
        CostEntry.objects.select_related("payee", "client", "claim").filter(pk=pk, payee_id__in=ids).first()
    )


def claim_get(*, user, pk) -> Claim | None:
    ids = [payee.pk for payee in readable_payees(user)]
    return Claim.objects.select_related("payee", "created_by").filter(pk=pk, payee_id__in=ids).first()


def costs_of(payee: Organisation) -> QuerySet[CostEntry]:
    return CostEntry.objects.filter(payee=payee).select_related("client", "claim")


def not_sent_q() -> Q:
    """Costs in no claim, or in a draft: not yet claimed."""
    return Q(claim__isnull=True) | Q(claim__status=Claim.Status.DRAFT)


def cost_filter(
    costs: QuerySet[CostEntry],
    *,
    payee: Organisation,
    category: str = "",
    claim_state: str = "",
    near_deadline: bool = False,
    deadlines: Deadlines,
    today: datetime.date,
) -> QuerySet[CostEntry]:
    """The list's filters: kind of cost; in no claim, in a draft, or claimed; deadline near."""
    if category:
        costs = costs.filter(category=category)
    if claim_state == "none":
        costs = costs.filter(claim__isnull=True)
    elif claim_state == "draft":
        costs = costs.filter(claim__status=Claim.Status.DRAFT)
    elif claim_state == "sent":
        costs = costs.filter(claim__status__in=SENT_STATUSES)
    if near_deadline:
        costs = costs.filter(not_sent_q(), deadlines.near_q(payee.jurisdiction, today))
    return costs


def deadline_warnings(*, payee: Organisation, deadlines: Deadlines, today: datetime.date) -> dict:
    """Costs not yet claimed whose deadline is within WARNING_DAYS, and how many were lost."""
    unsent = costs_of(payee).filter(not_sent_q())
    return {
        "near": unsent.filter(deadlines.near_q(payee.jurisdiction, today)).order_by("cost_date", "pk"),
        "passed": unsent.filter(claim__isnull=True)
        .filter(deadlines.passed_q(payee.jurisdiction, today))
        .count(),
        "days": WARNING_DAYS,
    }


def claims_of(payees: Iterable[Organisation], status: str = "") -> QuerySet[Claim]:
    """Claims with their number of costs and the sum of a draft's costs (a sent one keeps its own)."""
    claims = Claim.objects.filter(payee__in=list(payees)).select_related("payee")
    if status:
        claims = claims.filter(status=status)
    claims = claims.annotate(cost_count=Count("costs"), costs_eur=Sum("costs__amount_eur"))
    return claims.order_by("-period_last", "-pk")


def claim_costs(claim: Claim) -> list[CostEntry]:
    """The claim's costs by kind (in the order of CostCategory), then by date."""
    order = {value: position for position, value in enumerate(CostCategory.values)}
    costs = list(claim.costs.select_related("client").order_by("cost_date", "pk"))
    return sorted(costs, key=lambda cost: order[cost.category])


@dataclass(frozen=True)
class CategoryTotal:
    category: str
    label: str
    count: int
    amount: Decimal
    costs: list


def totals_by_category(costs: list[CostEntry]) -> list[CategoryTotal]:
    totals = []
    for value, label in CostCategory.choices:
        own = [cost for cost in costs if cost.category == value]
        if own:
            totals.append(
                CategoryTotal(value, str(label), len(own), sum((c.amount_eur for c in own), Decimal(0)), own)
            )
    return totals


def attachment_list(costs: list[CostEntry], visible: set[int]) -> list[str]:
    """The documents the claim's costs name, each once, in the order of the costs (of the costs
    whose words the user may read)."""
    return list(
        dict.fromkeys(name for cost in costs if words_shown(cost, visible) for name in cost.attachment_names)
    )


def words_shown(cost: CostEntry, visible: set[int]) -> bool:
    """Whether the user may read a cost's own words (description, attachments): free text about a
    person, special costs about their illness. Yes when it concerns no client, or a client the user
    may see (a read then logged); reporting staff see the figures of the others only."""
    return not cost.client_id or cost.client_id in visible


def payable_costs(claim: Claim) -> QuerySet[CostEntry]:
    """Costs a draft could take in: the payee's, in no claim (their deadlines checked on adding)."""
    return CostEntry.objects.filter(payee_id=claim.payee_id, claim__isnull=True).order_by("-cost_date", "-pk")


def visible_client_ids(user, costs: Iterable[CostEntry]) -> set[int]:
    """Of the clients the costs name, those the user may see by name (one query); the others are
    shown by record number only (reporting staff see figures, not people)."""
    ids = {cost.client_id for cost in costs if cost.client_id}
    if not ids:
        return set()
    return set(policy.visible_clients(user).filter(pk__in=ids).values_list("pk", flat=True))
