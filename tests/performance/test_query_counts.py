"""Query counts of the list pages (issue 9): a page showing 3N rows makes as many SQL queries as
the same page showing N rows, give or take a small constant written beside the page.

Each row of PAGES says how to build the address, how to add one listed record and who looks
(the role that sees the most). The page is warmed up once (session, caches, lazily loaded rule
sets), then counted with N and with 3N records. A new list page must get a row here or a reason
in NOT_LISTS / NOT_YET_MEASURED: test_every_list_view_is_measured walks the URL patterns.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver
from django.utils import timezone

from hemkommun.casework.models import Notification
from hemkommun.organizations.models import Role

from ..api import helpers
from ..factories import OrganisationFactory, UserFactory, make_client
from ..security.urlwalk import address_templates

N = 2


@dataclass
class World:
    """What every page needs: an organisation, its staff member of the page's role, a client."""

    organisation: object
    user: object
    client: object
    registrar: object = None
    extra: dict = field(default_factory=dict)


def _client(world, i):
    make_client(world.organisation, by=world.registrar, family_name="Virtanen", given_names=f"Aino{i}")


def _worklist_client(world, i):
    make_client(
        world.organisation,
        by=world.registrar,
        family_name=f"Late{i}",
        client_since=timezone.localdate() - datetime.timedelta(days=60),
        responsible_worker=world.user,
    )


def _notification(world, i):
    client = make_client(world.organisation, by=world.registrar, family_name=f"Noted{i}")
    Notification.objects.create(
        user=world.user,
        client=client,
        kind=Notification.Kind.OVERDUE,
        deadline_kind="initial_assessment",
        deadline_starts_on=timezone.localdate() - datetime.timedelta(days=90),
        due_on=timezone.localdate() - datetime.timedelta(days=30),
    )


def _contact(world, i):
    helpers.contact(world.organisation, world.client)


def _referral_in(world, i):
    sender = world.extra.setdefault("sender", OrganisationFactory.municipality("905", "Vasa"))
    client = make_client(sender, family_name=f"Referred{i}")
    helpers.referral(client, world.organisation)


def _arrival(world, i):
    welfare = world.extra.setdefault("welfare", OrganisationFactory.welfare_area())
    client = make_client(world.organisation, by=world.registrar, family_name=f"Arrived{i}")
    helpers.arrival(world.organisation, welfare, reference=f"UM-{i}", clients=[client])


def _activity(world, i):
    client = make_client(world.organisation, by=world.registrar, family_name=f"Active{i}")
    helpers.activity(world.organisation, clients=[client], name=f"Coffee {i}")


def _attendance(world, i):
    from hemkommun.programme.models import Attendance, Session

    session = world.extra.get("session")
    if session is None:
        activity = helpers.activity(world.organisation)
        session = world.extra["session"] = Session.objects.filter(activity=activity).get()
    client = make_client(world.organisation, by=world.registrar, family_name=f"Present{i}")
    Attendance.objects.create(session=session, client=client)


def _read(world, i):
    """A read of the client's record by another staff member (the client page's read log)."""
    reader = UserFactory.with_role(Role.CASE_WORKER, world.organisation)
    from django.test import Client as Browser

    browser = Browser()
    browser.force_login(reader)
    assert browser.get(f"/clients/{world.client.pk}/").status_code == 200


def _audit_row(world, i):
    make_client(world.organisation, by=world.registrar, family_name=f"Audited{i}")


def _export_job(world, i):
    from hemkommun.exports.models import ExportJob

    ExportJob.objects.create(user=world.user, kind="clients", file_format="csv", params={}, language="fi")


def _session(world, i):
    """A session of one activity, with a client present (the activity page lists its sessions)."""
    from hemkommun.programme.models import Attendance, Session

    activity = world.extra.get("activity") or world.extra.setdefault(
        "activity", helpers.activity(world.organisation)
    )
    session = Session.objects.create(activity=activity, held_on=datetime.date(2026, 2, 1 + i))
    client = make_client(world.organisation, by=world.registrar, family_name=f"Present{i}")
    Attendance.objects.create(session=session, client=client)


def _flat(world, i):
    from hemkommun.reception.services import housing

    from ..reception.test_flat_pages import FLAT

    housing.flat_create(
        by=world.user, municipality=world.organisation, data=dict(FLAT, street_address=f"Storgatan {i}")
    )


def _state_centre():
    from hemkommun.organizations.models import Organisation

    return OrganisationFactory(kind=Organisation.Kind.STATE_CENTRE, code="ely", name_fi="ELY", name_sv="NTM")


def _agreement(world, i):
    from ..reception.test_minors import make_agreement

    make_agreement(world.organisation, _state_centre(), starts_on=datetime.date(2010 + i, 1, 1))


def _minor(world, i):
    from ..reception.test_minors import make_agreement, place

    agreement = world.extra.get("agreement") or world.extra.setdefault(
        "agreement", make_agreement(world.organisation, _state_centre())
    )
    minor = make_client(
        world.organisation,
        by=world.registrar,
        family_name=f"Minor{i}",
        birth_year=2012,
        birth_month=3,
        birth_day=2,
    )
    place(world.user, minor, agreement)


def _cost(world, i):
    from ..compensation.test_claim_list_exports import cost

    client = make_client(world.organisation, by=world.registrar, family_name=f"Costly{i}")
    cost(world.organisation, world.user, client=client)


def _hold(world, i):
    from hemkommun.retention import services as retention

    client = make_client(world.organisation, by=world.registrar, family_name=f"Held{i}")
    retention.hold_place(client=client, by=world.user, reason="Court case", held_from=timezone.localdate())


def _claim(world, i):
    from hemkommun.compensation import claims

    first = datetime.date(2020 + i, 1, 1)
    claims.claim_create(
        by=world.user,
        payee=world.organisation,
        period_first=first,
        period_last=first.replace(month=12, day=31),
    )


def _share(world, i):
    from ..factories import make_share

    make_share(world.client, OrganisationFactory.municipality(f"{700 + i}", f"Kunta {i}"), by=world.registrar)


@dataclass
class Page:
    name: str
    role: str
    address: Callable[[World], str]
    add_row: Callable[[World, int], None]
    # Queries that may legitimately be added by 2N more rows (say why beside the page).
    slack: int = 0


PAGES = [
    Page("client list", Role.ADMINISTRATOR, lambda w: "/clients/", _client),
    Page("client search", Role.ADMINISTRATOR, lambda w: "/clients/?q=Virtanen", _client),
    Page("worklist (case worker)", Role.CASE_WORKER, lambda w: "/casework/worklist/", _worklist_client),
    Page(
        "worklist (coordinator)",
        Role.COORDINATOR,
        lambda w: "/casework/worklist/?status=overdue",
        _worklist_client,
    ),
    Page("notifications (home page)", Role.CASE_WORKER, lambda w: "/", _notification),
    Page("referral inbox", Role.COORDINATOR, lambda w: "/casework/referrals/", _referral_in),
    Page(
        "timeline of a client",
        Role.CASE_WORKER,
        lambda w: f"/casework/clients/{w.client.pk}/timeline/",
        _contact,
    ),
    Page("client page: contacts", Role.CASE_WORKER, lambda w: f"/clients/{w.client.pk}/", _contact),
    Page("client page: read log", Role.ADMINISTRATOR, lambda w: f"/clients/{w.client.pk}/", _read),
    Page("reception board", Role.COORDINATOR, lambda w: "/reception/", _arrival),
    Page("arrival calendar", Role.COORDINATOR, lambda w: "/reception/calendar/", _arrival),
    Page("activities", Role.COORDINATOR, lambda w: "/programme/activities/", _activity),
    Page(
        "session attendance",
        Role.COORDINATOR,
        lambda w: f"/programme/sessions/{w.extra['session'].pk}/",
        _attendance,
    ),
    Page("flats", Role.COORDINATOR, lambda w: "/reception/flats/", _flat),
    Page("placement agreements", Role.COORDINATOR, lambda w: "/reception/agreements/", _agreement),
    Page("minors", Role.COORDINATOR, lambda w: "/reception/minors/", _minor),
    Page("compensation costs", Role.COORDINATOR, lambda w: "/compensation/costs/", _cost),
    Page("legal holds", Role.DATA_PROTECTION_OFFICER, lambda w: "/retention/holds/", _hold),
    Page("compensation claims", Role.COORDINATOR, lambda w: "/compensation/claims/", _claim),
    Page("client page: shares", Role.ADMINISTRATOR, lambda w: f"/clients/{w.client.pk}/", _share),
    Page("exports list", Role.ADMINISTRATOR, lambda w: "/exports/", _export_job),
    Page(
        "activity page: sessions",
        Role.COORDINATOR,
        lambda w: f"/programme/activities/{w.extra['activity'].pk}/",
        _session,
    ),
    Page("audit log", Role.DATA_PROTECTION_OFFICER, lambda w: "/audit/", _audit_row),
]


def _count(browser, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(address)
    assert response.status_code == 200, (address, response.status_code)
    return len(queries)


@pytest.mark.parametrize("list_page", PAGES, ids=[p.name for p in PAGES])
def test_queries_do_not_grow_with_the_rows(list_page, client, narpes):
    user = UserFactory.with_role(list_page.role, narpes, username="looker", email="looker@narpes.fi")
    registrar = UserFactory.with_role(Role.ADMINISTRATOR, narpes, username="registrar")
    main = make_client(narpes, by=registrar, family_name="Main", responsible_worker=user)
    world = World(organisation=narpes, user=user, client=main, registrar=registrar)
    for i in range(N):
        list_page.add_row(world, i)
    client.force_login(user)
    address = list_page.address(world)
    client.get(address)  # warm up: session, caches, the first read of a rule set
    few = _count(client, address)
    for i in range(N, 3 * N):
        list_page.add_row(world, i)
    many = _count(client, address)
    assert many - few <= list_page.slack, (
        f"{list_page.name}: {few} queries with {N} rows, {many} with {3 * N}"
    )


# Views that show no list of records (forms, single records, files, redirects, sign-in steps).
_FORM = "a form or an action (POST), no list"
_FILE = "a file download; its rows come from the same selectors as the page's list"
_ONE = "one record"
NOT_LISTS = {
    **dict.fromkeys(
        [
            "accounts.views.sign_in",
            "accounts.views.sign_out",
            "accounts.views.verify",
            "accounts.security_views.totp_enrol",
            "accounts.security_views.totp_remove",
            "accounts.security_views.recovery_regenerate",
            "accounts.security_views.recovery_codes_new",
            "accounts.security_views.sign_in_again",
            "accounts.security_views.sign_out_everywhere",
            "accounts.webauthn_views.register_options",
            "accounts.webauthn_views.register",
            "accounts.webauthn_views.remove",
            "accounts.webauthn_views.sign_in_options",
            "accounts.webauthn_views.sign_in",
            "sso.views.start",
            "sso.views.callback",
            "django.views.i18n.set_language",
            "clients.views.client_create",
            "clients.import_views.client_import",
            "clients.views.client_edit",
            "clients.views.client_share",
            "access.views.consent_create",
            "access.views.consent_withdraw",
            "clients.household_views.household_join",
            "clients.household_views.household_leave",
            "clients.move_views.client_move_page",
            "clients.move_views.client_move_undo_view",
            "casework.views.drop_in",
            "casework.views.contact_create",
            "casework.worklist_views.notification_read",
            "casework.plan_views.assessment_create",
            "casework.plan_views.plan_create",
            "casework.referral_views.referral_create",
            "casework.referral_views.referral_step",
            "reception.arrival_views.arrival_create",
            "reception.arrival_views.arrival_date",
            "reception.arrival_views.arrival_convert",
            "reception.arrival_views.arrival_step",
            "reception.arrival_views.task_update",
            "reception.template_views.task_template",
            "reception.agreement_views.agreement_create",
            "reception.agreement_views.agreement_edit",
            "reception.agreement_views.agreement_places",
            "reception.agreement_views.agreement_round",
            "reception.flat_views.flat_create",
            "reception.flat_views.flat_edit",
            "reception.flat_views.furnishing_add",
            "reception.flat_views.furnishing_state",
            "reception.flat_views.furnishing_remove",
            "reception.flat_views.flat_assign",
            "reception.flat_views.assignment_end",
            "reception.minor_views.minor_create",
            "reception.minor_views.minor_edit",
            "reception.minor_views.minor_end",
            "compensation.claims_views.cost_create",
            "compensation.claims_views.cost_edit",
            "compensation.claims_views.cost_delete",
            "compensation.claims_views.claim_create",
            "compensation.claims_views.claim_collect",
            "compensation.claims_views.claim_add_cost",
            "compensation.claims_views.claim_remove_cost",
            "compensation.claims_views.claim_send",
            "compensation.claims_views.claim_delete",
            "compensation.claims_views.claim_decide",
            "compensation.claims_views.claim_pay",
            "programme.views.programme_import",
            "programme.activity_views.activity_edit",
            "programme.activity_views.session_create",
            "programme.activity_views.session_delete",
            "programme.views.statuses_edit",
            "programme.views.approval_edit",
            "programme.views.programme_revise",
            "programme.survey_views.survey_create",
            "programme.survey_views.survey_texts",
            "programme.survey_views.question_edit",
            "programme.survey_views.question_delete",
            "programme.survey_views.survey_state",
            "programme.survey_views.invitations_create",
            "programme.survey_views.survey_answer",
            "programme.indicator_views.indicator_edit",
            "programme.indicator_views.indicator_delete",
            "programme.indicator_views.indicator_values",
            "exports.views.job_start",
            "exchange.views.record_import",
            "audit.views.verify_page",
            "retention.views.proposal_decide",
            "retention.views.hold_lift_view",
        ],
        _FORM,
    ),
    **dict.fromkeys(
        [
            "clients.export_views.client_export",
            "casework.worklist_views.worklist_export",
            "casework.plan_views.plan_download",
            "casework.referral_views.referral_inbox_export",
            "reception.views.arrivals_export",
            "reception.agreement_views.places_export",
            "reception.flat_views.flat_export",
            "reception.minor_views.minors_export",
            "compensation.views.forecast_export",
            "compensation.claims_views.cost_list_export",
            "compensation.claims_views.claim_list_export",
            "compensation.claims_views.claim_xlsx",
            "compensation.claims_views.claim_pdf",
            "programme.views.programme_list_export",
            "programme.activity_views.activity_list_export",
            "programme.report_views.report_pdf",
            "programme.report_views.report_xlsx",
            "exports.views.job_download",
            "reports.views.statistics_export",
            "exchange.views.schema_v1",
            "exchange.views.record_export",
            "audit.views.audit_log_export",
        ],
        _FILE,
    ),
    **dict.fromkeys(
        [
            "casework.plan_views.assessment_detail",
            "casework.plan_views.plan_detail",
            "casework.referral_views.referral_detail",
            "reception.arrival_views.arrival_detail",
            "exports.views.job_detail",
        ],
        _ONE,
    ),
    "drf_spectacular.views.view": "the API's schema and its documentation page",
    "compensation.views.parameters": "the effective-dated law parameters: a fixed small table, no client rows",
    "casework.views.rules": "the deadline rule sets: a fixed small table, no client rows",
}

# Pages that do list records but have no row in PAGES yet (and the client page's shares, consents,
# household and history sections; its contacts and read log are measured) (issue 9: left to do, see
# docs/performance.md). Emptying this set is the aim; adding to it needs a reason.
NOT_YET_MEASURED = {
    "accounts.security_views.security",  # the staff member's own keys and sessions
    "casework.referral_views.followups",
    "reception.health_views.health_list",
    "reception.health_views.health_detail",
    "reception.agreement_views.agreement_detail",
    "reception.flat_views.flat_detail",
    "reception.minor_views.minor_detail",
    "compensation.views.forecast_page",
    "compensation.views.reconciliation_page",
    "compensation.claims_views.claim_detail",
    "programme.views.programme_list",
    "programme.views.programme_detail",
    "programme.report_views.report_page",
    "programme.survey_views.survey_detail",
    "programme.survey_views.survey_results",
    "reports.views.statistics_page",
    "retention.views.proposal_list",
    "retention.views.destruction_list",
    "subject_access.views.client_page",
    "api.statistics_views.view",
    "api.views.ClientViewSet",
    "api.casework_views.ContactViewSet",
    "api.casework_views.AssessmentViewSet",
    "api.casework_views.PlanViewSet",
    "api.casework_views.ReferralViewSet",
    "api.programme_views.ArrivalViewSet",
    "api.programme_views.ActivityViewSet",
}


def _key(view) -> str:
    return f"{view.__module__.removeprefix('hemkommun.')}.{view.__name__}"


def test_every_list_view_is_measured():
    """A view is in PAGES, or NOT_LISTS says why it lists nothing, or NOT_YET_MEASURED owns up."""
    from types import SimpleNamespace

    from django.urls import resolve

    one = SimpleNamespace(pk=1)
    world = World(organisation=None, user=None, client=one, extra={"session": one, "activity": one})
    measured = {_key(resolve(page.address(world).split("?")[0]).func) for page in PAGES}
    views = {
        _key(view)
        for template, _, view in address_templates(get_resolver().url_patterns)
        if not template.startswith("/admin/")
    }
    unexplained = views - measured - set(NOT_LISTS) - NOT_YET_MEASURED
    assert not unexplained, (
        f"list pages without a row in PAGES (or a reason in NOT_LISTS): {sorted(unexplained)}"
    )
    assert not (measured & NOT_YET_MEASURED), "measured now: take them out of NOT_YET_MEASURED"
    assert not (set(NOT_LISTS) | NOT_YET_MEASURED) - views, "allow-listed views that no longer exist"


def test_the_reminder_job_costs_nothing_per_deadline_notified_before(narpes):
    """The daily job (casework/reminders) reads the stages notified before in one query a chunk,
    so a run over already-notified deadlines costs the same for N and for 3N of them."""
    from hemkommun.casework.reminders import send_deadline_reminders

    user = UserFactory.with_role(Role.CASE_WORKER, narpes, username="looker", email="looker@narpes.fi")
    world = World(
        organisation=narpes,
        user=user,
        client=None,
        registrar=UserFactory.with_role(Role.ADMINISTRATOR, narpes),
    )
    counts = []
    for rows in (range(N), range(N, 3 * N)):
        for i in rows:
            _worklist_client(world, i)
        assert send_deadline_reminders() > 0
        with CaptureQueriesContext(connection) as queries:
            assert send_deadline_reminders() == 0
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
