"""The integration record of one client as a document (hemkommun.integration-record, version 1).

Identity, assessments, plans and referrals, for the national integration client system or for
a new home municipality. Codes, never labels; dates as ISO 8601; organisations by their code
and name; people by name only (an account id means nothing in another system).

Health data (an assessment's health notes, the descriptions of health goals) goes into the file
only when the exporting staff member may see the client's health data
(access.policy.can_view_health); otherwise those fields are left out and ``includes_health`` is
false, so that the receiver knows the file is not complete in that respect.
"""

import datetime
import json
from functools import cache
from pathlib import Path

from django.utils import timezone

from hemkommun.access import policy
from hemkommun.casework.models import Assessment, IntegrationPlan, Referral
from hemkommun.clients.models import Client
from hemkommun.organizations.models import Organisation

FORMAT = "hemkommun.integration-record"
VERSION = 1
SCHEMA_PATH = Path(__file__).parent / "schema" / "integration-record-v1.json"


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def organisation_ref(organisation: Organisation | None) -> dict | None:
    if organisation is None:
        return None
    return {"code": organisation.code, "name": organisation.name_fi}


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


class _People:
    """Names of who did what: the import note's names where the row came from a file."""

    def __init__(self, client: Client):
        from .models import RecordImport

        note = RecordImport.objects.filter(client=client).first()
        self.names = note.people if note else {}

    def name(self, kind: str, row, user) -> str:
        key = f"{kind}:{row.pk}"
        return self.names[key] if key in self.names else person_name(user)


def build_record(*, client: Client, by) -> dict:
    """The document for ``client`` as ``by`` may see it (health only with can_view_health)."""
    include_health = policy.can_view_health(by, client)
    people = _People(client)
    organisation = client.organisation
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "exported_by": {"organisation": organisation_ref(organisation), "person": person_name(by)},
        "includes_health": include_health,
        "client": _identity(client),
        "assessments": [
            _assessment(a, people, include_health)
            for a in client.assessments.select_related("organisation", "worker")
            .prefetch_related("languages", "participants")
            .order_by("started_on", "id")
        ],
        "plans": [
            _plan(p, people, include_health)
            for p in client.plans.select_related("organisation", "worker", "assessment")
            .prefetch_related("participants", "goals", "measures__provider", "responsibilities")
            .prefetch_related("reviews__reviewed_by", "extensions__decided_by")
            .order_by("starts_on", "id")
        ],
        "referrals": [
            _referral(r, people)
            for r in client.referrals.select_related("from_organisation", "to_organisation", "sent_by")
            .prefetch_related("events__by", "events__organisation")
            .order_by("sent_on", "id")
        ],
    }


def _identity(client: Client) -> dict:
    return {
        "family_name": client.family_name,
        "given_names": client.given_names,
        "family_name_latin": client.family_name_latin,
        "given_names_latin": client.given_names_latin,
        "preferred_name": client.preferred_name,
        "birth": {"year": client.birth_year, "month": client.birth_month, "day": client.birth_day},
        "sex": client.sex,
        "identity_code": client.identity_code,
        "identity_code_is_temporary": client.identity_code_is_temporary,
        "migri_customer_number": client.migri_customer_number,
        "citizenships": [c.strip() for c in client.citizenships.split(",") if c.strip()],
        "native_language": client.native_language,
        "interpreter_needed": client.interpreter_needed,
        "interpreter_language": client.interpreter_language,
        "languages": [
            {"language": row.language, "level": row.level} for row in client.languages.order_by("language")
        ],
        "contact": {
            "phone": client.phone,
            "email": client.email,
            "street_address": client.street_address,
            "postal_code": client.postal_code,
            "post_office": client.post_office,
        },
        "municipality_of_residence": organisation_ref(client.municipality_of_residence),
        "earlier_residences": [
            {"municipality": organisation_ref(row.municipality), "moved_out_on": _date(row.moved_out_on)}
            for row in client.earlier_residences.select_related("municipality").order_by("moved_out_on")
        ],
        "home_municipality_date": _date(client.home_municipality_date),
        "arrival_date": _date(client.arrival_date),
        "first_permit_date": _date(client.first_permit_date),
        "residence_ground": client.residence_ground,
        "unaccompanied_minor": client.unaccompanied_minor,
        "client_since": _date(client.client_since),
    }


def assessment_key(assessment: Assessment) -> str:
    return f"A{assessment.pk}"


def _participants(record) -> list[dict]:
    return [organisation_ref(o) for o in sorted(record.participants.all(), key=lambda o: o.code)]


def _assessment(a: Assessment, people: _People, include_health: bool) -> dict:
    data = {
        "key": assessment_key(a),
        "organisation": organisation_ref(a.organisation),
        "worker": people.name("assessment", a, a.worker),
        "status": a.status,
        "requested_on": _date(a.requested_on),
        "started_on": _date(a.started_on),
        "completed_on": _date(a.completed_on),
        "signed_on": _date(a.signed_on),
        "multisectoral": a.multisectoral,
        "participants": _participants(a),
        "education_level": a.education_level,
        "education_years": a.education_years,
        "education_country": a.education_country,
        "education_field": a.education_field,
        "work_history": a.work_history,
        "literacy": a.literacy,
        "digital_skills": a.digital_skills,
        "family_situation": a.family_situation,
        "language_training_need": a.language_training_need,
        "other_service_needs": a.other_service_needs,
        "plan_needed": a.plan_needed,
        "path": a.path,
        "languages": [
            {"language": row.language, "level": row.level}
            for row in sorted(a.languages.all(), key=lambda row: row.language)
        ],
    }
    if include_health:
        data["health_notes"] = a.health_notes
    return data


def _plan(p: IntegrationPlan, people: _People, include_health: bool) -> dict:
    goals = sorted(p.goals.all(), key=lambda g: g.pk)
    return {
        "organisation": organisation_ref(p.organisation),
        "worker": people.name("plan", p, p.worker),
        "status": p.status,
        "assessment": assessment_key(p.assessment) if p.assessment_id else None,
        "drafted_on": _date(p.drafted_on),
        "starts_on": _date(p.starts_on),
        "ends_on": _date(p.ends_on),
        "agreed_on": _date(p.agreed_on),
        "ended_on": _date(p.ended_on),
        "multisectoral": p.multisectoral,
        "participants": _participants(p),
        "summary": p.summary,
        "goals": [_goal(g, include_health) for g in goals],
        "measures": [
            {
                "goal": f"G{m.goal_id}" if m.goal_id else None,
                "service": m.service,
                "provider": organisation_ref(m.provider),
                "provider_name": m.provider_name,
                "responsible": m.responsible,
                "starts_on": _date(m.starts_on),
                "ends_on": _date(m.ends_on),
                "status": m.status,
            }
            for m in sorted(p.measures.all(), key=lambda m: m.pk)
        ],
        "responsibilities": [
            {"party": r.party, "description": r.description}
            for r in sorted(p.responsibilities.all(), key=lambda r: r.pk)
        ],
        "reviews": [
            {
                "reviewed_on": _date(r.reviewed_on),
                "reviewed_by": people.name("review", r, r.reviewed_by),
                "notes": r.notes,
            }
            for r in sorted(p.reviews.all(), key=lambda r: (r.reviewed_on, r.pk))
        ],
        "extensions": [
            {
                "decided_on": _date(e.decided_on),
                "decided_by": people.name("extension", e, e.decided_by),
                "previous_end": _date(e.previous_end),
                "new_end": _date(e.new_end),
                "reason": e.reason,
            }
            for e in sorted(p.extensions.all(), key=lambda e: (e.decided_on, e.pk))
        ],
    }


def _goal(goal, include_health: bool) -> dict:
    data = {"key": f"G{goal.pk}", "kind": goal.kind, "target_level": goal.target_level}
    if include_health or not goal.is_health:
        data["description"] = goal.description
    return data


def _referral(r: Referral, people: _People) -> dict:
    return {
        "kind": r.kind,
        "from_organisation": organisation_ref(r.from_organisation),
        "to_organisation": organisation_ref(r.to_organisation),
        "sent_by": people.name("referral", r, r.sent_by),
        "sent_on": _date(r.sent_on),
        "due_on": _date(r.due_on),
        "reason": r.reason,
        "scope": r.scope,
        "status": r.status,
        "rejection_reason": r.rejection_reason,
        "outcome": r.outcome,
        "events": [
            {
                "status": e.status,
                "at": e.at.isoformat(),
                "by": people.name("event", e, e.by),
                "organisation": organisation_ref(e.organisation),
                "note": e.note,
            }
            for e in sorted(r.events.all(), key=lambda e: (e.at, e.pk))
        ],
    }
