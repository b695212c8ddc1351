"""A Närpes client with a full integration record, made through the services as staff would."""

import datetime
import json

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from hemkommun.casework.models import Party, PlanGoal, Referral
from hemkommun.casework.services import assessments, plans, referrals
from hemkommun.exchange import importing
from hemkommun.exchange.record import build_record
from hemkommun.organizations.models import Organisation, Role
from tests.factories import OrganisationFactory, UserFactory, make_client


def welfare_area() -> Organisation:
    return OrganisationFactory.welfare_area(code="welfare-ostrobothnia")


def employment_area() -> Organisation:
    return OrganisationFactory(
        kind=Organisation.Kind.EMPLOYMENT_AREA,
        code="employment-vasa",
        name_fi="Työllisyysalue",
        name_sv="Sysselsättning",
    )


def full_record_client(narpes, worker, *, identity_code="131052-308T"):
    """A client with a signed assessment, an agreed and reviewed plan, and two referrals."""
    today = timezone.localdate()
    welfare, employment = welfare_area(), employment_area()
    client = make_client(
        narpes,
        by=worker,
        family_name="الحسن",
        given_names="أحمد",
        family_name_latin="Al-Hassan",
        given_names_latin="Ahmad",
        preferred_name="Ahmad",
        birth_year=1952,
        birth_month=10,
        birth_day=13,
        sex="M",
        identity_code=identity_code,
        citizenships="SY, IQ",
        native_language="ar",
        interpreter_needed=True,
        interpreter_language="ar",
        phone="+358 40 123 4567",
        municipality_of_residence=narpes,
        home_municipality_date=today - relativedelta(months=8),
        arrival_date=today - relativedelta(months=9),
        first_permit_date=today - relativedelta(months=10),
        residence_ground="quota_refugee",
        client_since=today - relativedelta(months=8),
    )
    from hemkommun.clients.services import replace_language_levels

    replace_language_levels(client.languages, [("en", "A2"), ("sv", "A1")])
    assessment = assessments.assessment_create(
        by=worker,
        client=client,
        data={
            "started_on": today - relativedelta(months=7),
            "requested_on": today - relativedelta(months=7, days=3),
            "multisectoral": True,
            "education_level": "secondary",
            "education_years": 12,
            "education_country": "SY",
            "work_history": "Snickare i tio år.",
            "literacy": "latin",
            "digital_skills": "basic",
            "language_training_need": "Svenska från grunden.",
            "health_notes": "Ryggbesvär.",
            "plan_needed": True,
            "path": "employment",
        },
        languages=[("ar", "native"), ("sv", "A1")],
        participants=[welfare],
    )
    assessments.assessment_complete(
        by=worker, assessment=assessment, completed_on=today - relativedelta(months=6)
    )
    assessments.assessment_sign(by=worker, assessment=assessment, signed_on=today - relativedelta(months=6))
    start = today - relativedelta(months=5)
    plan = plans.plan_create(
        by=worker,
        client=client,
        data={
            "assessment": assessment,
            "drafted_on": start - datetime.timedelta(days=10),
            "starts_on": start,
            "ends_on": start + relativedelta(years=1),
            "summary": "Svenska och arbete.",
        },
    )
    language = plans.goal_add(
        by=worker,
        plan=plan,
        data={"kind": PlanGoal.Kind.LANGUAGE, "target_level": "B1", "description": "Svenska B1"},
    )
    plans.goal_add(by=worker, plan=plan, data={"kind": PlanGoal.Kind.HEALTH, "description": "Fysioterapi."})
    plans.responsibility_set(by=worker, plan=plan, party=Party.CLIENT, description="Deltar i kursen.")
    plans.responsibility_set(by=worker, plan=plan, party=Party.MUNICIPALITY, description="Ordnar tolk.")
    plans.plan_agree(by=worker, plan=plan, agreed_on=start)
    plans.measure_add(
        by=worker,
        plan=plan,
        data={
            "goal": language,
            "service": "Integrationsutbildning",
            "provider": employment,
            "starts_on": start + datetime.timedelta(days=20),
            "status": "ongoing",
        },
    )
    plans.measure_add(by=worker, plan=plan, data={"service": "Klubb", "provider_name": "Röda korset"})
    plans.plan_review(by=worker, plan=plan, reviewed_on=today - relativedelta(months=1), notes="Går bra.")
    plans.plan_extend(
        by=worker, plan=plan, new_end=start + relativedelta(months=18), reason="Kursen fortsätter."
    )
    social_worker = UserFactory.with_role(Role.SOCIAL_WORKER, welfare, first_name="Sara", last_name="Social")
    referral = referrals.referral_send(
        consent_given="oral",
        by=worker,
        client=client,
        kind=Referral.Kind.SOCIAL_CARE,
        to_organisation=welfare,
        reason="Behöver stöd.",
    )
    referrals.referral_acknowledge(by=social_worker, referral=referral, note="Mottagen.")
    referral = referrals.referral_accept(by=social_worker, referral=referral)
    referrals.referral_report_outcome(by=social_worker, referral=referral, outcome="Bedömning gjord.")
    rejected = referrals.referral_send(
        consent_given="oral",
        by=worker,
        client=client,
        kind=Referral.Kind.OTHER,
        to_organisation=welfare,
        reason="Annat <b>stöd</b>.",
    )
    referrals.referral_reject(by=social_worker, referral=rejected, reason="Hör inte till oss.")
    client.refresh_from_db()
    return client


def export_bytes(client, by) -> bytes:
    return json.dumps(build_record(client=client, by=by), ensure_ascii=False).encode()


def do_import(by, organisation, content, **kwargs):
    if isinstance(content, dict):
        content = json.dumps(content, ensure_ascii=False).encode()
    return importing.import_record(by=by, organisation=organisation, content=content, **kwargs)


def free_identity_code(client) -> None:
    """As if the record lived in another installation: its identity code no longer collides."""
    from hemkommun.clients.models import Client

    Client.objects.filter(pk=client.pk).update(identity_code="")
