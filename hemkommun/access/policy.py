"""Who sees what: the one place for Hemkommun's access rules (DESIGN.md, Access).

A client belongs to the organisation holding the case. Staff with a client-data role in that
organisation see the record; another organisation sees it only through a share in force, and
only to the share's scope. Lists, search and exports all start from ``visible_clients`` or,
on tables carrying copies of a client's organisation and id (the name tokens), ``visibility_q``.
"""

from dataclasses import dataclass

import rules
from django.db.models import Q, QuerySet
from django.utils import timezone

from hemkommun.clients.models import Client
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Membership, Organisation, Role

from .models import Share

# Roles that work with individual clients. Reporting sees figures only (later issues).
CLIENT_DATA_ROLES = frozenset(
    {
        Role.COUNSELLOR,
        Role.CASE_WORKER,
        Role.COORDINATOR,
        Role.SOCIAL_WORKER,
        Role.EMPLOYMENT_OFFICER,
        Role.ADMINISTRATOR,
        Role.DATA_PROTECTION_OFFICER,
    }
)
# Roles that create and edit clients of their own organisation.
EDIT_ROLES = frozenset(
    {
        Role.COUNSELLOR,
        Role.CASE_WORKER,
        Role.COORDINATOR,
        Role.SOCIAL_WORKER,
        Role.EMPLOYMENT_OFFICER,
        Role.ADMINISTRATOR,
    }
)
# Roles that may see who has looked at a record.
READ_LOG_ROLES = frozenset({Role.COORDINATOR, Role.DATA_PROTECTION_OFFICER})
# Health data is narrower still: social and case work only, and only through a health share.
HEALTH_ROLES = frozenset({Role.SOCIAL_WORKER, Role.CASE_WORKER})
# Roles that bring whole registers in and share records with other organisations.
IMPORT_ROLES = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})
# Roles that record guidance and counselling contacts, anonymous drop-ins included.
CONTACT_ROLES = frozenset(
    {Role.COUNSELLOR, Role.CASE_WORKER, Role.COORDINATOR, Role.SOCIAL_WORKER, Role.EMPLOYMENT_OFFICER}
)
# Roles that do casework with a client of their organisation: assessments, plans, referrals.
CASEWORK_ROLES = frozenset({Role.CASE_WORKER, Role.COORDINATOR, Role.SOCIAL_WORKER, Role.EMPLOYMENT_OFFICER})
SHARE_ROLES = frozenset({Role.COORDINATOR, Role.CASE_WORKER, Role.SOCIAL_WORKER})


def active_memberships(user) -> list[Membership]:
    """The user's memberships in force today, read once per request and kept on the user."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_active_memberships", None)
    if cached is None:
        cached = list(memberships_in_force().filter(user=user).select_related("unit__organisation"))
        user._active_memberships = cached
    return cached


def memberships_in_force() -> QuerySet[Membership]:
    """Memberships valid today: begun (or with no start) and not ended."""
    today = timezone.localdate()
    return Membership.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today)).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )


def mfa_required(user) -> bool:
    """Whether the user must pass a second factor: an installation administrator (who sees every
    client) always; staff when a membership in force gives a client-data role in an organisation
    that requires it (Organisation.mfa_required)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return any(
        m.role in CLIENT_DATA_ROLES and m.unit.organisation.mfa_required for m in active_memberships(user)
    )


def organisation_ids_with(user, roles) -> set[int]:
    return {m.unit.organisation_id for m in active_memberships(user) if m.role in roles}


def organisations_with(user, roles) -> list:
    seen = {}
    for membership in active_memberships(user):
        if membership.role in roles:
            seen[membership.unit.organisation_id] = membership.unit.organisation
    return sorted(seen.values(), key=lambda organisation: organisation.name)


def roles_in(user, organisation_id: int) -> set[str]:
    return {m.role for m in active_memberships(user) if m.unit.organisation_id == organisation_id}


def visible_clients(user) -> QuerySet[Client]:
    """Every client the user may see: held by their organisation, or shared with it now."""
    visible = visibility_q(user)
    return Client.objects.all() if visible is None else Client.objects.filter(visible)


def visibility_q(
    user,
    *,
    organisation_field: str = "organisation_id",
    client_field: str = "id",
    inline_shares: bool = True,
) -> Q | None:
    """The access rule as a filter on any model naming a client's organisation and id.

    None when the user sees every client (no filter at all, so that the query stays a plain
    walk of an index). Used on Client itself and on tables carrying copies of those fields, such
    as the name tokens of search, so the rule is written once.

    With ``inline_shares`` the shared ids are read first and written into the query as a list,
    so that the usual case (few or no shares) is a plain indexed filter on the organisation that
    PostgreSQL can walk in name order; an OR with a subquery would make it scan the whole table.
    Without it they stay a subquery, for queries whose rows are found another way (a range of
    the name-token index, a page of ids): there the subquery is hashed once, which costs less
    than building, sending and planning a list of thousands of ids.
    """
    nothing = Q(**{f"{client_field}__in": []})
    if not getattr(user, "is_authenticated", False):
        return nothing
    if user.is_superuser:
        return None
    organisation_ids = organisation_ids_with(user, CLIENT_DATA_ROLES)
    if not organisation_ids:
        return nothing
    visible = Q(**{f"{organisation_field}__in": organisation_ids})
    shared = (
        _shared_client_ids(user, organisation_ids) if inline_shares else _shares_in_force(organisation_ids)
    )
    # A list may be empty; a subquery is not run here, only nested in the query.
    if not isinstance(shared, list) or shared:
        visible |= Q(**{f"{client_field}__in": shared})
    return visible


# Beyond this many shares in force, the shared ids stay a subquery rather than a list.
SHARED_IDS_INLINE_LIMIT = 5_000


def _shared_client_ids(user, organisation_ids: set[int]):
    """Ids of clients shared with the user's organisations now: a list, or a subquery when many."""
    cached = getattr(user, "_shared_client_ids", None)
    if cached is None:
        shared = _shares_in_force(organisation_ids)
        ids = list(shared[: SHARED_IDS_INLINE_LIMIT + 1])
        cached = ids if len(ids) <= SHARED_IDS_INLINE_LIMIT else shared
        user._shared_client_ids = cached
    return cached


def _shares_in_force(organisation_ids: set[int]) -> QuerySet:
    """Ids of the clients shared with these organisations now, as a query."""
    return (
        Share.objects.in_force()
        .filter(organisation_id__in=organisation_ids)
        .values_list("client_id", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class Basis:
    """Why a user may see a client: their own organisation holds it, or a share."""

    own_organisation: bool
    share: Share | None = None

    def describe(self) -> str:
        if self.share:
            return self.share.describe()
        return str(ReadEvent.Basis.OWN_ORGANISATION.label)


def access_basis(user, client: Client) -> Basis | None:
    """The ground on which the user sees this client, or None where they may not."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Basis(own_organisation=True)
    if roles_in(user, client.organisation_id) & CLIENT_DATA_ROLES:
        return Basis(own_organisation=True)
    organisation_ids = organisation_ids_with(user, CLIENT_DATA_ROLES)
    share = (
        Share.objects.in_force()
        .filter(client=client, organisation_id__in=organisation_ids)
        .order_by("-scope", "-valid_until")
        .first()
    )
    return Basis(own_organisation=False, share=share) if share else None


@rules.predicate
def can_view_client(user, client: Client) -> bool:
    return access_basis(user, client) is not None


@rules.predicate
def can_edit_client(user, client: Client) -> bool:
    return user.is_superuser or bool(roles_in(user, client.organisation_id) & EDIT_ROLES)


@rules.predicate
def can_view_read_log(user, client: Client) -> bool:
    return user.is_superuser or bool(roles_in(user, client.organisation_id) & READ_LOG_ROLES)


@rules.predicate
def can_share_client(user, client: Client) -> bool:
    return user.is_superuser or bool(roles_in(user, client.organisation_id) & SHARE_ROLES)


@rules.predicate
def can_record_consent(user, client: Client) -> bool:
    """Consents are recorded and withdrawals taken by staff of the organisation holding the case
    who work with the client (the client tells whoever they meet), and by whoever may share it."""
    return can_share_client(user, client) or bool(roles_in(user, client.organisation_id) & CONTACT_ROLES)


@rules.predicate
def can_view_health(user, client: Client) -> bool:
    """Health data: health roles of the holding organisation, or of a recipient of a health share."""
    if user.is_superuser:
        return False  # the installation's administrator runs the system, not the casework
    if roles_in(user, client.organisation_id) & HEALTH_ROLES:
        return True
    health_organisations = organisation_ids_with(user, HEALTH_ROLES)
    return (
        Share.objects.in_force()
        .filter(client=client, organisation_id__in=health_organisations, scope=Share.Scope.HEALTH)
        .exists()
    )


def contact_organisations(user) -> list:
    """Organisations in which the user records contacts (anonymous ones included)."""
    return organisations_with(user, CONTACT_ROLES)


@rules.predicate
def can_record_contact(user, client: Client) -> bool:
    """A contact with a registered client is recorded by the organisation holding the case."""
    return bool(roles_in(user, client.organisation_id) & CONTACT_ROLES)


@rules.predicate
def can_do_casework(user, client: Client) -> bool:
    """Assessments, plans and referrals: casework roles of the organisation holding the case."""
    return bool(roles_in(user, client.organisation_id) & CASEWORK_ROLES)


# Referrals between organisations. Kinds are the codes of casework.Referral.Kind (named here as
# text so that this module does not import casework). Counsellors refer to the low-threshold
# services only, and in a receiving organisation they answer those same kinds.
COUNSELLOR_REFERRAL_KINDS = frozenset({"third_sector", "language_course"})


def _referral_roles(kind: str) -> frozenset:
    return CASEWORK_ROLES | {Role.COUNSELLOR} if kind in COUNSELLOR_REFERRAL_KINDS else CASEWORK_ROLES


def referral_kinds_for(user, client: Client, kinds) -> list[str]:
    """Of ``kinds``, those the user may refer this client to (none for the superuser)."""
    roles = roles_in(user, client.organisation_id)
    return [kind for kind in kinds if roles & _referral_roles(kind)]


def can_send_referral(user, client: Client, kind: str) -> bool:
    """Staff of the organisation holding the case with a casework role; counsellors for
    third-sector activities and language courses."""
    return bool(roles_in(user, client.organisation_id) & _referral_roles(kind))


@rules.predicate
def can_handle_referral(user, referral) -> bool:
    """Acknowledge, accept, reject, report the outcome: the receiving organisation's casework roles."""
    return bool(roles_in(user, referral.to_organisation_id) & _referral_roles(referral.kind))


@rules.predicate
def can_withdraw_referral(user, referral) -> bool:
    """The sending organisation's staff who may send such a referral may also take it back."""
    return bool(roles_in(user, referral.from_organisation_id) & _referral_roles(referral.kind))


def referral_visibility_q(user) -> Q | None:
    """Who sees a referral, as a filter on Referral (both sides: the sender's client-data roles,
    and those who answer it in the receiving organisation); None when the user sees every one."""
    if getattr(user, "is_superuser", False):
        return None
    return referral_sent_q(user) | referral_incoming_q(user)


def referral_sent_q(user) -> Q:
    """Referrals sent by the organisations whose clients the user sees."""
    return Q(from_organisation_id__in=organisation_ids_with(user, CLIENT_DATA_ROLES))


def referral_incoming_q(user) -> Q:
    """``can_handle_referral`` as a filter on Referral: those the user answers."""
    incoming = Q(to_organisation_id__in=organisation_ids_with(user, CASEWORK_ROLES))
    counselled = organisation_ids_with(user, {Role.COUNSELLOR})
    if counselled:
        incoming |= Q(to_organisation_id__in=counselled, kind__in=COUNSELLOR_REFERRAL_KINDS)
    return incoming


def referral_handling_organisation_ids(user) -> set[int]:
    """Organisations in which the user answers at least some referrals."""
    return organisation_ids_with(user, CASEWORK_ROLES | {Role.COUNSELLOR})


@rules.predicate
def may_use_referrals(user) -> bool:
    """Whether the referral inbox is worth a link: the user sends or answers referrals somewhere."""
    return bool(referral_handling_organisation_ids(user))


# Reception of quota refugees: the municipality's coordinators and case workers run it; the
# health flags and health tasks of an expected family are the welfare area's alone.
RECEPTION_ROLES = frozenset({Role.COORDINATOR, Role.CASE_WORKER})


def can_manage_arrivals(user, municipality_id: int) -> bool:
    return any(municipality.pk == municipality_id for municipality in arrival_municipalities(user))


def can_see_arrival_health(user, group) -> bool:
    """Health flags and health tasks: the social and case workers of the group's welfare area."""
    return bool(roles_in(user, group.welfare_area_id) & HEALTH_ROLES)


def arrival_health_organisation_ids(user) -> set[int]:
    """Welfare areas whose arrivals' health flags and health tasks the user handles."""
    return {
        organisation.pk
        for organisation in organisations_with(user, HEALTH_ROLES)
        if organisation.kind == Organisation.Kind.WELFARE_AREA
    }


def arrival_task_roles(task) -> frozenset:
    """Who handles an arrival task in its responsible organisation: the welfare area's health
    roles for a health task, the municipality's reception staff for its own tasks, and the case
    workers of a partner (the employment services, say) for a task given to the partner."""
    if task.health_related:
        return HEALTH_ROLES
    if task.responsible_id == task.group.municipality_id:
        return RECEPTION_ROLES
    return RECEPTION_ROLES | CASEWORK_ROLES


def can_handle_arrival_task(user, task) -> bool:
    """The municipality's reception staff manage every task but the health ones; the responsible
    organisation's staff handle their own."""
    if not task.health_related and can_manage_arrivals(user, task.group.municipality_id):
        return True
    return bool(roles_in(user, task.responsible_id) & arrival_task_roles(task))


def arrival_municipalities(user) -> list:
    """Municipalities in which the user manages arrivals (a case worker of a welfare area has
    that role in the welfare area, which receives no arrivals)."""
    return [
        organisation
        for organisation in organisations_with(user, RECEPTION_ROLES)
        if organisation.kind == Organisation.Kind.MUNICIPALITY
    ]


@rules.predicate
def may_manage_some_arrivals(user) -> bool:
    return bool(arrival_municipalities(user))


@rules.predicate
def may_handle_arrival_health(user) -> bool:
    return bool(arrival_health_organisation_ids(user))


# State compensation: the coordinators and reporting staff of the body that is paid see its
# forecast and reconcile its payments (client numbers and amounts, no other client data).
COMPENSATION_ROLES = frozenset({Role.COORDINATOR, Role.REPORTING})


def compensation_payees(user) -> list:
    """Bodies that are paid compensation: municipalities, joint authorities (KST) that do the
    work for them, and welfare areas (their own share, for the municipalities they serve)."""
    kinds = {
        Organisation.Kind.MUNICIPALITY,
        Organisation.Kind.JOINT_AUTHORITY,
        Organisation.Kind.WELFARE_AREA,
    }
    return [org for org in organisations_with(user, COMPENSATION_ROLES) if org.kind in kinds]


@rules.predicate
def may_follow_compensation(user) -> bool:
    return bool(compensation_payees(user))


def may_create_clients(user) -> bool:
    return user.is_superuser or bool(organisation_ids_with(user, EDIT_ROLES))


def creatable_organisations(user) -> list:
    """Organisations the user may register new clients in."""
    if user.is_superuser:
        return list(Organisation.objects.all())
    return organisations_with(user, EDIT_ROLES)


def importable_organisations(user) -> list:
    if user.is_superuser:
        return list(Organisation.objects.all())
    return organisations_with(user, IMPORT_ROLES)


# --- integration programmes -----------------------------------------------------------------------
# A programme is a public document of its councils: everyone working for an owner municipality
# reads it; its coordinators keep it (import, statuses, approvals, revisions).
PROGRAMME_WRITE_ROLES = frozenset({Role.COORDINATOR})


def programme_municipality_ids(user) -> set[int]:
    """The municipalities whose programmes the user reads."""
    return {
        m.unit.organisation_id
        for m in active_memberships(user)
        if m.unit.organisation.kind == Organisation.Kind.MUNICIPALITY
    }


def visible_programmes(user):
    from hemkommun.programme.models import Programme

    if user.is_superuser:
        return Programme.objects.all()
    owned = Programme.objects.filter(owners__municipality__in=programme_municipality_ids(user))
    return Programme.objects.filter(pk__in=owned.values("pk"))


def programme_writer_municipalities(user) -> list:
    """The municipalities for which the user may create and keep programmes."""
    return [
        o for o in organisations_with(user, PROGRAMME_WRITE_ROLES) if o.kind == Organisation.Kind.MUNICIPALITY
    ]


def may_write_programme(user, programme) -> bool:
    """A coordinator of any owner keeps a joint programme: it is one document for them all."""
    owner_ids = {owner.municipality_id for owner in programme.owners.all()}
    return bool(organisation_ids_with(user, PROGRAMME_WRITE_ROLES) & owner_ids)


# Activities (language cafés, courses, meeting places) are run by the integration staff of a
# municipality; attendance may name clients they see.
ACTIVITY_ROLES = frozenset({Role.COUNSELLOR, Role.CASE_WORKER, Role.COORDINATOR})


def activity_municipalities(user) -> list:
    return [o for o in organisations_with(user, ACTIVITY_ROLES) if o.kind == Organisation.Kind.MUNICIPALITY]


@rules.predicate
def may_read_programmes(user) -> bool:
    return user.is_superuser or bool(programme_municipality_ids(user))


# Subject access (GDPR art. 15): the controller answers, that is the organisation holding the case,
# through its data-protection officer. A share gives another organisation sight of the record, not
# the controller's duty, so its DPO does not produce the report; nor does the superuser, who runs
# the installation rather than answering for a controller.
SUBJECT_ACCESS_ROLES = frozenset({Role.DATA_PROTECTION_OFFICER})


@rules.predicate
def can_produce_subject_access(user, client: Client) -> bool:
    return bool(roles_in(user, client.organisation_id) & SUBJECT_ACCESS_ROLES)


rules.add_perm("clients.view_client", can_view_client)
rules.add_perm("clients.change_client", can_edit_client)
rules.add_perm("clients.view_read_log", can_view_read_log)
rules.add_perm("subject_access.produce", can_produce_subject_access)
rules.add_perm("access.add_share", can_share_client)
rules.add_perm("casework.use_referral_inbox", may_use_referrals)
rules.add_perm("reception.manage_arrivals", may_manage_some_arrivals)
rules.add_perm("reception.handle_arrival_health", may_handle_arrival_health)
rules.add_perm("compensation.follow", may_follow_compensation)
rules.add_perm("programme.read", may_read_programmes)


# --- statistics (reports) -------------------------------------------------------------------------
# Counts only, no client data: a municipality's (or another body's) coordinators and its reporting
# staff follow its figures. Exact figures are for the unit itself: only a coordinator of a
# municipality sees small groups of that municipality, and only while the figures are not meant
# to be shared; the reporting role, a welfare area and everyone else always get groups smaller
# than 5 suppressed (reports.suppression).
STATISTICS_ROLES = frozenset({Role.COORDINATOR, Role.REPORTING})


def statistics_organisations(user) -> list:
    """The organisations whose figures the user may report on (their own records only)."""
    return organisations_with(user, STATISTICS_ROLES)


@rules.predicate
def may_see_statistics(user) -> bool:
    return bool(statistics_organisations(user))


def statistics_exact(user, organisation_ids, *, for_sharing: bool) -> bool:
    """Whether figures of these organisations may be shown unsuppressed to the user: never for
    sharing outside the unit; otherwise only to a coordinator of every one of them, each a
    municipality."""
    if for_sharing or not organisation_ids:
        return False
    exact = {
        m.unit.organisation_id
        for m in active_memberships(user)
        if m.role == Role.COORDINATOR and m.unit.organisation.kind == Organisation.Kind.MUNICIPALITY
    }
    return set(organisation_ids) <= exact


rules.add_perm("reports.view_statistics", may_see_statistics)


# --- the audit log (hemkommun.audit) --------------------------------------------------------------
# The data-protection officer of an organisation reads its read and write logs: entries about
# its clients and entries by its staff. No one else, not even the installation's superuser, who
# is among those the log watches.
AUDIT_ROLES = frozenset({Role.DATA_PROTECTION_OFFICER})


def audit_organisations(user) -> list:
    """The organisations whose audit log the user reads."""
    return organisations_with(user, AUDIT_ROLES)


@rules.predicate
def may_read_audit_log(user) -> bool:
    return bool(audit_organisations(user))


rules.add_perm("audit.read_log", may_read_audit_log)

# --- retention (issue 8) ---------------------------------------------------------------------------
# The data-protection officers of an organisation review what its retention rules find due and
# approve the destruction; a legal hold is placed by them or by a coordinator (who knows of the
# complaint or the court case) and lifted by an officer only, for lifting reopens destruction.
# The installation's superuser decides the installation-wide types (webhook deliveries, exports).
RETENTION_ROLES = frozenset({Role.DATA_PROTECTION_OFFICER})
HOLD_ROLES = frozenset({Role.DATA_PROTECTION_OFFICER, Role.COORDINATOR})


def retention_organisation_ids(user) -> set[int]:
    return organisation_ids_with(user, RETENTION_ROLES)


@rules.predicate
def may_review_retention(user) -> bool:
    return bool(getattr(user, "is_superuser", False) or retention_organisation_ids(user))


def retention_review_q(user) -> Q:
    """Proposals and destruction records the user reviews, as a filter on their organisation."""
    q = Q(organisation_id__in=retention_organisation_ids(user))
    if getattr(user, "is_superuser", False):
        q |= Q(organisation__isnull=True)
    return q


def hold_organisation_ids(user) -> set[int]:
    return organisation_ids_with(user, HOLD_ROLES)


def can_lift_hold(user, hold) -> bool:
    return bool(roles_in(user, hold.client.organisation_id) & RETENTION_ROLES)


rules.add_perm("retention.review", may_review_retention)
