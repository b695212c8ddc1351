"""Tokens and small records for the API's tests, made directly (the services are tested in their
own apps; here only what the API reads matters)."""

import datetime

from django.utils import timezone

from hemkommun.api.models import ApiToken
from hemkommun.casework.models import (
    AssessedLanguage,
    Assessment,
    Contact,
    ContactTopic,
    IntegrationPlan,
    PlanGoal,
    PlanMeasure,
    Referral,
    ReferralEvent,
)
from hemkommun.organizations.models import Role, User
from hemkommun.programme.models import Activity, AnonymousAttendance, Attendance, Session
from hemkommun.reception.models import ArrivalGroup, ArrivalTask, ExpectedMember

from ..factories import OrganisationFactory, UserFactory

ALL_SCOPES = (
    "clients:read,contacts:read,assessments:read,plans:read,referrals:read,reception:read,activities:read,"
    "statistics:read"
)


def issue(user, scopes: str = ALL_SCOPES, **extra) -> str:
    token = ApiToken(name="Partner system", user=user, scopes=scopes, **extra)
    key = token.issue_key()
    token.save()
    return key


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def staff(organisation):
    """The organisation's case worker who records things (one per organisation)."""
    username = f"worker.{organisation.code}"
    known = User.objects.filter(username=username).first()
    return known or UserFactory.with_role(Role.CASE_WORKER, organisation, username=username)


def contact(organisation, client=None, *, topics=("work", "housing"), notes=""):
    made = Contact.objects.create(
        organisation=organisation,
        client=client,
        recorded_by=staff(organisation),
        language="ar",
        notes=notes if client else "",
    )
    for topic in topics:
        ContactTopic.objects.create(contact=made, topic=topic)
    return made


def assessment(client, *, health_notes="Diabetes, needs insulin"):
    made = Assessment.objects.create(
        client=client,
        organisation=client.organisation,
        worker=staff(client.organisation),
        started_on=datetime.date(2026, 1, 10),
        health_notes=health_notes,
        work_history="Electrician",
    )
    AssessedLanguage.objects.create(assessment=made, language="sv", level="A1")
    AssessedLanguage.objects.create(assessment=made, language="ar", level="native")
    made.participants.add(OrganisationFactory.welfare_area())
    return made


def plan(client, *, health_goal="Treatment of trauma"):
    made = IntegrationPlan.objects.create(
        client=client,
        organisation=client.organisation,
        worker=staff(client.organisation),
        drafted_on=datetime.date(2026, 1, 20),
        starts_on=datetime.date(2026, 2, 1),
        ends_on=datetime.date(2027, 1, 31),
    )
    work = PlanGoal.objects.create(plan=made, kind="employment", description="Work as an electrician")
    PlanGoal.objects.create(plan=made, kind="health", description=health_goal)
    PlanMeasure.objects.create(plan=made, goal=work, service="Swedish course", provider=client.organisation)
    return made


def referral(client, to_organisation, *, kind="employment", status="sent"):
    sender = staff(client.organisation)
    made = Referral.objects.create(
        client=client,
        kind=kind,
        from_organisation=client.organisation,
        to_organisation=to_organisation,
        sent_by=sender,
        sent_on=timezone.localdate() - datetime.timedelta(days=20),
        due_on=timezone.localdate() - datetime.timedelta(days=5),
        reason="Looks for work",
        status=status,
    )
    ReferralEvent.objects.create(referral=made, status="sent", by=sender, organisation=client.organisation)
    return made


def arrival(municipality, welfare_area, *, reference="UM-1", clients=()):
    group = ArrivalGroup.objects.create(
        municipality=municipality,
        welfare_area=welfare_area,
        reference=reference,
        expected_on=datetime.date(2026, 3, 1),
        created_by=staff(municipality),
    )
    ExpectedMember.objects.create(
        group=group,
        relation="head",
        birth_year=1985,
        sex="F",
        languages="ar, ku",
        health_flags="TB suspicion",
    )
    for client in clients:
        ExpectedMember.objects.create(group=group, relation="child", client=client, health_flags="Asthma")
    ArrivalTask.objects.create(
        group=group,
        title="Reserve a flat",
        offset_days=-14,
        due_on=datetime.date(2026, 2, 15),
        responsible=municipality,
    )
    ArrivalTask.objects.create(
        group=group,
        title="Health check",
        offset_days=14,
        due_on=datetime.date(2026, 3, 15),
        responsible=welfare_area,
        health_related=True,
    )
    return group


def activity(municipality, *, clients=(), name="Morning coffee"):
    made = Activity.objects.create(
        municipality=municipality,
        name=name,
        kind="recurring",
        organiser="Integration unit",
        languages="sv, uk",
        starts_on=datetime.date(2026, 1, 1),
        created_by=staff(municipality),
    )
    session = Session.objects.create(activity=made, held_on=datetime.date(2026, 1, 13))
    for client in clients:
        Attendance.objects.create(session=session, client=client)
    AnonymousAttendance.objects.create(session=session, age_group="30-64", gender="F", language="uk", count=4)
    return made
