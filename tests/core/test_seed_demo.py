"""The demo region: organisations, one sign-in per role, ~200 clients in many scripts."""

import unicodedata
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import F
from django.test import override_settings
from django.utils import timezone, translation

from hemkommun.access import policy
from hemkommun.access.models import Share
from hemkommun.casework.models import (
    Aftercare,
    Assessment,
    Contact,
    Deadline,
    DeadlineStatus,
    FamilyReunificationNeed,
    IntegrationPlan,
    PlanExtension,
    PlanMeasure,
    PlanReview,
    Referral,
)
from hemkommun.casework.worklist import WorklistFilter, open_deadlines
from hemkommun.clients.models import Client, ClientNameToken, HouseholdMember
from hemkommun.organizations.models import Organisation, Role, User
from hemkommun.reception.models import ArrivalGroup, ArrivalTask, MinorPlacement
from hemkommun.reception.places import places_table

from ..factories import ensure_rule_sets

DEMO_SETTINGS = {"DEBUG": True, "DEMO_PASSWORD": "demo"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The region is loaded once for the module and rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_rule_sets()  # after a browser test's flush; rolled back with the rest
        output = StringIO()
        with override_settings(**DEMO_SETTINGS), translation.override("en"):
            call_command("seed_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


def user(username: str) -> User:
    return User.objects.get(username=username)


def roles(username: str) -> set[tuple[str, str]]:
    return {
        (m.role, m.unit.organisation.code)
        for m in user(username).memberships.select_related("unit__organisation")
    }


def test_region_has_the_ostrobothnia_organisations(demo, db):
    municipalities = dict(
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).values_list("code", "name_sv")
    )
    assert municipalities == {
        "287": "Kristinestad",
        "231": "Kaskö",
        "545": "Närpes",
        "280": "Korsnäs",
        "475": "Malax",
        "905": "Vasa",
        "478": "Mariehamn",
        "170": "Jomala",
    }
    assert Organisation.objects.get(code="545").municipality_code == "545"
    assert Organisation.objects.get(code="478").jurisdiction == "aland"
    assert Organisation.objects.get(code="kst").jurisdiction == "aland"
    assert Organisation.objects.get(code="905").jurisdiction == "mainland"
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert set(Organisation.Kind.values) <= kinds


def test_named_sign_ins_have_their_roles(demo, db, settings):
    # The module-wide seed hashed with the real hasher, before the suite's fast one took over.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    assert roles("counsellor.narpes") == {(Role.COUNSELLOR, "545")}
    assert roles("coordinator.narpes") == {(Role.COORDINATOR, "545")}
    assert roles("counsellor.vasa") == {(Role.COUNSELLOR, "905")}
    assert roles("socialworker.welfare") == {(Role.SOCIAL_WORKER, "welfare-ostrobothnia")}
    assert roles("officer.employment") == {(Role.EMPLOYMENT_OFFICER, "employment-vasa")}
    assert roles("dpo") == {(Role.DATA_PROTECTION_OFFICER, "545"), (Role.DATA_PROTECTION_OFFICER, "905")}
    admin = user("admin")
    assert admin.is_superuser and admin.is_staff
    every_role = {m.role for u in User.objects.all() for m in u.memberships.all()}
    assert every_role == set(Role.values)
    assert admin.check_password("demo")
    assert "counsellor.narpes" in demo and "Password" in demo


def test_about_two_hundred_clients_mostly_in_vasa_and_narpes(demo, db):
    total = Client.objects.count()
    assert 180 <= total <= 230
    vasa, narpes = (Client.objects.filter(organisation__code=code).count() for code in ("905", "545"))
    assert vasa + narpes > total / 2
    assert all(
        Client.objects.filter(organisation__code=code).exists() for code in ("287", "231", "280", "475")
    )


def test_names_in_several_scripts_with_latin_forms(demo, db):
    scripts = set()
    for name, latin in Client.objects.values_list("family_name", "family_name_latin"):
        assert (
            latin and latin.isascii() or all(not c.isalpha() or "LATIN" in unicodedata.name(c) for c in latin)
        )
        scripts.update(unicodedata.name(c).split()[0] for c in name if c.isalpha())
    assert {"ARABIC", "CYRILLIC", "ETHIOPIC", "LATIN"} <= scripts
    assert Client.objects.filter(family_name_latin="Järvinen").exists()
    assert ClientNameToken.objects.filter(token="jarvinen").exists()
    assert (
        Client.objects.exclude(family_name__regex=r"^[A-Za-z -]+$")
        .filter(family_name_latin__regex="[^A-Za-z -]")
        .exists()
    )


def test_uncertain_birth_dates_and_identity_codes(demo, db):
    assert Client.objects.filter(birth_year__isnull=False, birth_month__isnull=True).count() >= 5
    assert Client.objects.filter(birth_month__isnull=False, birth_day__isnull=True).exists()
    assert Client.objects.exclude(identity_code="").filter(identity_code_is_temporary=False).count() >= 20
    assert Client.objects.filter(identity_code_is_temporary=True).exclude(identity_code="").exists()
    assert Client.objects.filter(unaccompanied_minor=True).count() >= 3
    grounds = set(Client.objects.values_list("residence_ground", flat=True))
    assert {"quota_refugee", "temporary_protection", "asylum", "family", "work", "study"} <= grounds


def test_households_with_children(demo, db):
    relations = set(HouseholdMember.objects.values_list("relation", flat=True))
    assert {"head", "spouse", "child"} <= relations
    assert HouseholdMember.objects.values("household").distinct().count() >= 20


def test_access_follows_the_organisations(demo, db):
    vasa_sees = policy.visible_clients(user("counsellor.vasa"))
    assert vasa_sees.exists()
    assert not vasa_sees.filter(organisation__code="545").exists()
    assert policy.visible_clients(user("counsellor.narpes")).filter(organisation__code="545").exists()
    welfare_sees = policy.visible_clients(user("socialworker.welfare"))
    shared = Share.objects.in_force().filter(organisation__code="welfare-ostrobothnia")
    assert welfare_sees.count() == shared.values("client").distinct().count() > 0
    assert policy.visible_clients(user("officer.employment")).exists()
    assert not policy.visible_clients(user("reporting.narpes")).exists()


def test_anonymous_drop_ins_and_contacts_with_clients(demo, db):
    narpes = user("counsellor.narpes").memberships.get().unit.organisation
    drop_ins = Contact.objects.filter(organisation=narpes, client__isnull=True)
    assert drop_ins.count() >= 10
    assert not drop_ins.exclude(notes="").exists()
    assert Contact.objects.filter(client__isnull=True, unit__kind="service_point").count() >= 10
    anonymous = Contact.objects.filter(client__isnull=True)
    assert len(set(anonymous.values_list("language", flat=True))) >= 5
    assert len(set(anonymous.values_list("channel", flat=True))) >= 3
    assert len(set(anonymous.values_list("age_group", flat=True))) >= 3
    assert anonymous.filter(topics__isnull=False).distinct().count() == anonymous.count()
    assert not anonymous.filter(occurred_at__gt=timezone.now()).exists()
    with_clients = Contact.objects.filter(client__isnull=False)
    assert with_clients.exclude(notes="").count() >= 10
    assert not with_clients.exclude(client__organisation=F("organisation")).exists()


def test_assessments_and_plans_in_every_state(demo, db):
    assert set(Assessment.objects.values_list("status", flat=True)) == set(Assessment.Status.values)
    assert {"draft", "agreed", "ended"} <= set(IntegrationPlan.objects.values_list("status", flat=True))
    assert PlanReview.objects.exists() and PlanExtension.objects.count() == 1
    assert {"planned", "ongoing", "done"} <= set(PlanMeasure.objects.values_list("status", flat=True))
    today = timezone.localdate()
    assert not Assessment.objects.filter(started_on__gt=today).exists()
    for plan in IntegrationPlan.objects.exclude(agreed_on=None):
        assert plan.drafted_on <= plan.agreed_on <= today
    assert {"545", "905"} <= set(IntegrationPlan.objects.values_list("organisation__code", flat=True))


def test_case_workers_have_open_overdue_and_late_deadlines(demo, db):
    today = timezone.localdate()
    case_worker = user("caseworker.vasa")
    rows = list(open_deadlines(user=case_worker, selection=WorklistFilter(), today=today))
    assert rows and all(row.client.responsible_worker == case_worker for row in rows)
    assert DeadlineStatus.OVERDUE in {row.status(today) for row in rows}
    coordinator = user("coordinator.narpes")
    assert open_deadlines(user=coordinator, selection=WorklistFilter(), today=today).exists()
    everyone = open_deadlines(user=coordinator, selection=WorklistFilter(organisation_wide=True), today=today)
    assert {DeadlineStatus.OPEN, DeadlineStatus.OVERDUE} <= {row.status(today) for row in everyone}
    # Met late: on the coordinators' yearly table (counted by the year met, so not asserted per year).
    for code in ("545", "905"):
        assert Deadline.objects.filter(client__organisation__code=code, met_on__gt=F("due_on")).exists()


def test_referrals_to_the_welfare_and_employment_areas_and_the_third_sector(demo, db):
    social_worker = user("socialworker.welfare")
    welfare = Referral.objects.filter(to_organisation__code="welfare-ostrobothnia", kind="social_care")
    accepted = welfare.get(status=Referral.Status.ACCEPTED)
    assert accepted.from_organisation.code in ("545", "905")
    assert accepted.share in Share.objects.in_force()
    assert policy.visible_clients(social_worker).filter(pk=accepted.client_id).exists()
    assert policy.access_basis(social_worker, accepted.client).share == accepted.share
    assert welfare.filter(status=Referral.Status.SENT).exists()
    reported = welfare.get(status=Referral.Status.COMPLETED)
    assert reported.outcome and reported.share.revoked_at is not None
    assert Referral.objects.filter(to_organisation__code="employment-vasa", status="accepted").exists()
    assert Referral.objects.filter(to_organisation__kind="third_sector").exists()
    assert all(referral.events.exists() for referral in Referral.objects.all())


def test_family_reunification_and_aftercare(demo, db):
    assert FamilyReunificationNeed.objects.exclude(guidance_given="").exists()
    assert Aftercare.objects.exists()


def test_reception_families_flats_agreements_and_minors(demo, db):
    narpes = Organisation.objects.get(code="545")
    groups = ArrivalGroup.objects.filter(municipality=narpes)
    assert sorted(groups.values_list("status", flat=True)) == ["arrived", "expected", "expected"]
    family = groups.get(reference="UM-2026-0412")
    assert family.members.count() == 5 and family.flats.exists()
    assert family.members.exclude(health_flags="").exists()
    assert ArrivalGroup.objects.get(kind="reception_centre").status == "requested"
    places = places_table(municipality_ids=[narpes.pk], years=[timezone.localdate().year])
    assert {row.category: row.agreed for row in places} == {
        "quota": 25,
        "reception_centre": 10,
        "unaccompanied_minor": 4,
    }
    assert MinorPlacement.objects.filter(municipality=narpes).count() >= 1
    coordinator = User.objects.get(username="coordinator.narpes")
    assert ArrivalTask.objects.filter(responsible_user=coordinator, status="open").exists()


def test_if_empty_does_nothing_on_a_loaded_database(demo, db):
    def counts():
        return [
            model.objects.count()
            for model in (Organisation, Client, User, Contact, Assessment, IntegrationPlan, Referral)
        ]

    before = counts()
    with override_settings(**DEMO_SETTINGS):
        call_command("seed_demo", "--if-empty", stdout=StringIO())
        with pytest.raises(CommandError):
            call_command("seed_demo", stdout=StringIO())
    assert counts() == before


@pytest.mark.django_db
@override_settings(DEBUG=False, DEMO_PASSWORD="demo")
def test_default_password_is_refused_when_debug_is_off():
    users = User.objects.count()
    with pytest.raises(CommandError, match="DEMO_PASSWORD"):
        call_command("seed_demo", stdout=StringIO())
    assert User.objects.count() == users


@pytest.mark.django_db
@override_settings(DEBUG=False, DEMO_PASSWORD="a-strong-demo-password")
def test_own_password_is_accepted_when_debug_is_off():
    from hemkommun.organizations.management.commands.seed_demo import check_demo_password

    assert check_demo_password() == "a-strong-demo-password"


@pytest.mark.django_db
@override_settings(DEBUG=False, DEMO_PASSWORD="")
def test_empty_password_is_refused():
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())


def test_compensation_in_the_demo(demo, db):
    from hemkommun.clients.models import EarlierResidence
    from hemkommun.compensation.models import Claim, CostEntry, PayeeRoute
    from hemkommun.compensation.totals import forecast_totals

    today = timezone.localdate()
    first, last = today.replace(month=1, day=1), today.replace(month=12, day=1)
    moved = EarlierResidence.objects.filter(municipality__code="545")
    assert moved.count() >= 2 and not moved.exclude(client__municipality_of_residence__code="905").exists()
    assert PayeeRoute.objects.filter(municipality__code="170", payee__code="kst").exists()
    kst, welfare = Organisation.objects.get(code="kst"), Organisation.objects.get(code="welfare-ostrobothnia")
    assert forecast_totals(payee=kst, first=first, last=last).clients > 0
    assert forecast_totals(payee=welfare, first=first, last=last).clients > 0
    assert {"draft", "paid"} <= set(Claim.objects.values_list("status", flat=True))
    assert CostEntry.objects.filter(claim__isnull=True).exists()
    assert policy.compensation_payees(user("coordinator.kst")) == [kst]
    assert policy.compensation_payees(user("reporting.welfare")) == [welfare]


def test_the_integration_programme_of_seed_002_in_the_demo(demo, db):
    from hemkommun.programme.models import ActionStatus, Programme

    programme = Programme.objects.get()
    assert programme.themes.count() == 6
    assert sorted(programme.owners.values_list("municipality__code", flat=True)) == [
        "231",
        "280",
        "287",
        "475",
        "545",
    ]
    assert not programme.owners.filter(approved_on=None).exists()
    assert {2023, 2024} == set(ActionStatus.objects.values_list("year", flat=True))
    assert policy.may_write_programme(user("coordinator.narpes"), programme)
    assert not policy.may_write_programme(user("counsellor.narpes"), programme)
    from hemkommun.programme.indicators import programme_values
    from hemkommun.programme.models import Activity, Indicator

    assert Activity.objects.filter(name="Morgonkaffe för äldre").get().sessions.count() == 12
    this_year = timezone.localdate().year  # the sessions are of the last 12 weeks
    values = programme_values(programme, [this_year - 1, this_year])
    participants = programme.indicators.get(figure=Indicator.Figure.ACTIVITY_PARTICIPANTS)
    assert values[participants.pk][this_year - 1] + values[participants.pk][this_year] > 0
    assert programme.indicators.get(kind="typed").actions.exists()


def test_demo_staff_sign_in_with_the_demo_password_and_the_admin_with_the_printed_key(
    demo, db, client, settings
):
    """The demo organisations need no second factor; the installation administrator always does,
    with the authenticator key printed beside the sign-ins."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]  # as above
    import pyotp
    from django.urls import reverse

    from hemkommun.accounts.models import TotpDevice
    from hemkommun.organizations import demo_data

    assert not Organisation.objects.filter(mfa_required=True).exists()
    response = client.post(reverse("login"), {"username": "coordinator.narpes", "password": "demo"})
    assert response["Location"] == reverse("home") and client.get("/").status_code == 200
    client.post(reverse("logout"))

    assert demo_data.DEMO_TOTP_SECRET in demo
    assert TotpDevice.objects.get(user__username="admin").secret == demo_data.DEMO_TOTP_SECRET
    response = client.post(reverse("login"), {"username": "admin", "password": "demo"})
    assert response["Location"] == reverse("accounts:verify")
    client.post(reverse("accounts:verify"), {"code": pyotp.TOTP(demo_data.DEMO_TOTP_SECRET).now()})
    assert client.get("/admin/").status_code == 200
