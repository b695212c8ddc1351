"""What a subject-access report holds: every model with data about a client, and how it is reached.

Completeness comes from Django's _meta API, not from memory: ``reachable_models`` walks every
relation (ForeignKey, OneToOne, ManyToMany, either direction) from clients.Client, stopping only
at the shared reference models (organisations, units, staff accounts), which every row names but
which hold nothing about the client. Each model found must have an entry here, included (with
the lookups that lead from its rows to the client) or excluded with a reason; the test suite
fails on a model that has neither, so a model added later cannot silently stay out of reports.

Included models contribute all their fields unless an entry omits one with a reason; a field
added later therefore appears in the report without anyone remembering to add it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

# Models every row may name (who, where) but that are not about a client: the walk stops there.
REFERENCE_MODELS = frozenset(
    {
        "organizations.Organisation",
        "organizations.Unit",
        "organizations.User",
        "contenttypes.ContentType",
    }
)


@dataclass(frozen=True)
class Included:
    """A model in the report: rows found through ``via`` (lookups OR'd, each ending at a client)."""

    label: str
    via: tuple[str, ...]
    omit: dict[str, str] = field(default_factory=dict)  # field name -> why it is left out
    order_by: tuple[str, ...] = ("pk",)
    # Values computed per row (say, the read log's basis in words), as name -> function.
    extra: dict[str, Callable] = field(default_factory=dict)
    prefetch: tuple[str, ...] = ()  # what ``extra`` reads, fetched once for all rows

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)

    def rows(self, client) -> QuerySet:
        condition = Q()
        for lookup in self.via:
            condition |= Q(**{lookup: client.pk})
        # A subquery of ids, not distinct(): distinct rows cannot be ordered by any field.
        ids = self.model.objects.filter(condition).values("pk")
        meta = self.model._meta
        # Every related row the report names, read with the rows: a client may have thousands
        # of read events, and one query per reader would make the report crawl.
        joined = [f.name for f in meta.concrete_fields if f.is_relation]
        many = [f.name for f in meta.many_to_many]
        rows = self.model.objects.filter(pk__in=ids).select_related(*joined)
        return rows.prefetch_related(*many, *self.prefetch).order_by(*self.order_by)


@dataclass(frozen=True)
class Excluded:
    label: str
    reason: str  # translated (lazily): the PDF prints it in the document's language


def _read_event_organisations(event) -> list[dict]:
    """The reader's organisations on the day of the read (memberships prefetched with the rows)."""
    day = event.at.date()
    seen = {
        m.unit.organisation.code: m.unit.organisation
        for m in event.user.memberships.all()
        if (m.valid_from is None or m.valid_from <= day) and (m.valid_until is None or m.valid_until >= day)
    }
    return [{"code": code, "name": org.name_fi} for code, org in sorted(seen.items())]


INCLUDED: tuple[Included, ...] = (
    Included(
        "clients.Client",
        via=("pk",),
        omit={
            "identity_code_index": "a keyed digest of the identity code, which is given in clear",
            "name_key": "the names folded for duplicate checks; the names are given as written",
        },
    ),
    Included("clients.ClientLanguage", via=("client",), order_by=("language",)),
    Included("clients.EarlierResidence", via=("client",), order_by=("moved_out_on",)),
    Included("clients.Household", via=("members__client",)),
    # The whole household: its other members are named with their relation, as the record shows it.
    Included("clients.HouseholdMember", via=("household__members__client",)),
    # The client's own consents, withdrawn ones too (what was agreed to, when, and when withdrawn).
    Included("access.Consent", via=("client",), order_by=("given_on", "pk")),
    Included("access.Share", via=("client",), order_by=("valid_from", "pk")),
    Included("casework.Contact", via=("client",), order_by=("occurred_at", "pk")),
    Included("casework.ContactTopic", via=("contact__client",)),
    Included("casework.Assessment", via=("client",), order_by=("started_on", "pk")),
    Included("casework.AssessedLanguage", via=("assessment__client",)),
    Included("casework.IntegrationPlan", via=("client",), order_by=("starts_on", "pk")),
    Included("casework.PlanGoal", via=("plan__client",)),
    Included("casework.PlanMeasure", via=("plan__client",)),
    Included("casework.PlanResponsibility", via=("plan__client",)),
    Included("casework.PlanReview", via=("plan__client",)),
    Included("casework.PlanExtension", via=("plan__client",)),
    Included("casework.Referral", via=("client",), order_by=("sent_on", "pk")),
    Included("casework.ReferralEvent", via=("referral__client",), order_by=("at", "pk")),
    Included("casework.Deadline", via=("client",), order_by=("due_on", "pk")),
    Included("casework.Notification", via=("client",), order_by=("created_at", "pk")),
    Included("casework.FamilyReunificationNeed", via=("client",), order_by=("recorded_on", "pk")),
    Included("casework.Aftercare", via=("client",), order_by=("started_on", "pk")),
    Included("reception.ArrivalGroup", via=("members__client",)),
    Included("reception.ExpectedMember", via=("client",)),
    Included("reception.FlatAssignment", via=("client", "group__members__client")),
    Included("reception.Flat", via=("assignments__client", "assignments__group__members__client")),
    Included("reception.MinorPlacement", via=("client",)),
    Included("compensation.CostEntry", via=("client",), order_by=("cost_date", "pk")),
    Included("programme.Activity", via=("sessions__attendances__client",)),
    Included("programme.Session", via=("attendances__client",), order_by=("held_on", "pk")),
    Included("programme.Attendance", via=("client",)),
    Included("exchange.RecordImport", via=("client",)),
    # Why the record is kept beyond its retention period (GDPR art. 15(1)(d): the period of storage).
    Included("retention.LegalHold", via=("client",), order_by=("held_from", "pk")),
    Included("subject_access.SubjectAccessRequest", via=("client",), order_by=("produced_at", "pk")),
    Included(
        "core.ReadEvent",
        via=("client",),
        order_by=("at", "pk"),
        extra={"organisations": _read_event_organisations, "basis_text": lambda event: event.basis_text()},
        prefetch=("user__memberships__unit__organisation",),
    ),
)

EXCLUDED: tuple[Excluded, ...] = (
    Excluded(
        "clients.ClientNameToken",
        _("A search index derived from the names in the client section; it holds nothing more."),
    ),
    Excluded(
        "casework.Rule",
        _("A deadline rule from the law; it holds no personal data (deadlines name their rule)."),
    ),
    Excluded(
        "casework.RuleSet",
        _("A set of deadline rules from the law; it holds no personal data."),
    ),
    Excluded(
        "reception.ArrivalTask",
        _(
            "The organisations' work list for a group's arrival, not about one person; health tasks "
            "may concern other family members."
        ),
    ),
    Excluded(
        "reception.FurnishingItem",
        _("The furniture of a municipality's flat; not about a person."),
    ),
    Excluded(
        "reception.PlacementAgreement",
        _(
            "The municipality's agreement with the state on places; not about a person (minor placements name it)."
        ),
    ),
    Excluded(
        "reception.AgreedPlaces",
        _("Numbers of places in a placement agreement; not about a person."),
    ),
    Excluded(
        "reception.NegotiationRound",
        _("Negotiation of a placement agreement; not about a person."),
    ),
    Excluded(
        "compensation.Claim",
        _("A payee's claim of many clients' costs; the client's own cost entries name their claim."),
    ),
    Excluded(
        "programme.AnonymousAttendance",
        _("Counts of anonymous participants; no person is named."),
    ),
)

# Models that hold client data without a relation the walk can follow, each with the reason it
# stays out or the section that covers it. Kept here so that the decision is written down once.
UNLINKED: tuple[Excluded, ...] = (
    Excluded(
        "auditlog.LogEntry",
        _(
            "The write log names rows by content type and id, not by relation: its entries for the "
            "rows of every included model make the write-log section."
        ),
    ),
    Excluded(
        "webhooks.Delivery",
        _(
            "Thin event payloads sent to partner systems (an event type and a record id); the "
            "records themselves are in this report."
        ),
    ),
    Excluded(
        "exports.ExportJob",
        _(
            "Staff list exports (files) kept for a short time; a client in them is logged as an "
            "export in the read log, which is in this report."
        ),
    ),
    Excluded(
        "audit.AuditSeal",
        _(
            "Tamper-evidence seals of the read and write logs (a sequence number and a hash per "
            "entry); the entries themselves are in this report."
        ),
    ),
    Excluded(
        "retention.RetentionProposal",
        _(
            "A proposal to destroy or anonymise records whose retention period has ended; it names "
            "the record by its number only and holds the organisation's decision, not data about "
            "the person. Holds on the record are in this report."
        ),
    ),
    Excluded(
        "retention.DestructionRecord",
        _(
            "The lasting note that a record was destroyed or anonymised: only a pseudonymous number "
            "and counts of rows remain, and no data of a record still held."
        ),
    ),
)


def included(label: str) -> Included:
    return next(entry for entry in INCLUDED if entry.label == label)


def registered_labels() -> set[str]:
    return {entry.label for entry in (*INCLUDED, *EXCLUDED)}


def _neighbours(model: type[models.Model]):
    """Models related to ``model`` by any relation, in either direction."""
    for relation in model._meta.get_fields(include_hidden=True):
        # Generic relations (auditlog's history) go by content type and id: the write log.
        if isinstance(relation, GenericRelation | GenericForeignKey):
            continue
        if relation.is_relation and relation.related_model not in (None, model):
            related = relation.related_model
            if related._meta.auto_created:  # a many-to-many table: go on to the other end
                yield from (f.related_model for f in related._meta.get_fields() if f.many_to_one)
            else:
                yield related


def reachable_models() -> set[str]:
    """Labels of every model related to clients.Client through models other than the references."""
    start = apps.get_model("clients", "Client")
    seen, queue = {start._meta.label}, [start]
    while queue:
        for related in _neighbours(queue.pop()):
            label = related._meta.label
            if label not in seen and label not in REFERENCE_MODELS:
                seen.add(label)
                queue.append(related)
    return seen


def fields_of(entry: Included) -> list:
    """The fields an included model contributes: concrete and many-to-many, less those omitted."""
    meta = entry.model._meta
    return [f for f in (*meta.concrete_fields, *meta.many_to_many) if f.name not in entry.omit]
