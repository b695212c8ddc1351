"""Import of an integration record file: parse, check against the schema, check for duplicates,
then create the client with its assessments, plans and referrals in one transaction.

Everything is checked before anything is written; the writes run in one transaction, so a file
either creates the whole record or nothing. The dates and states of the file are kept: the
record is history made elsewhere, not new casework, so the casework services' rules for new
work (no dates in the past for referrals, drafts before agreement, ...) do not apply. The client
itself is registered through the client service, with its checks (identity code, names).
"""

import datetime
import json
from dataclasses import dataclass, field

import jsonschema
from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeData
from django.utils.translation import gettext as _

from hemkommun.access import policy
from hemkommun.casework.deadlines import refresh_deadlines
from hemkommun.casework.models import (
    Assessment,
    IntegrationPlan,
    PlanExtension,
    PlanGoal,
    PlanMeasure,
    PlanResponsibility,
    PlanReview,
    Referral,
    ReferralEvent,
)
from hemkommun.casework.services.common import PARTICIPANT_KINDS
from hemkommun.clients import services as client_services
from hemkommun.clients.codes import LANGUAGES
from hemkommun.clients.models import Client, EarlierResidence
from hemkommun.core.audit import record_reads
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Organisation

from .models import RecordImport
from .record import FORMAT, VERSION, schema

MAX_FILE_SIZE = 2 * 1024 * 1024
MAX_REPORTED_ERRORS = 50
# Who brings a record in: the casework roles of the receiving organisation (the same roles that
# export it on the sending side).
IMPORT_ROLES = policy.CASEWORK_ROLES


def importing_organisations(user) -> list[Organisation]:
    return policy.organisations_with(user, IMPORT_ROLES)


@dataclass
class Duplicate:
    """A client already registered with the same Latin names and full date of birth."""

    name: str
    url: str | None  # None when the user may not see that client


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)
    identity_taken: bool = False
    possible_duplicates: list[Duplicate] = field(default_factory=list)
    needs_confirmation: bool = False
    dry_run: bool = False
    client: Client | None = None
    summary: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.needs_confirmation


def import_record(
    *, by, organisation: Organisation, content: bytes, confirm_duplicate: bool = False, dry_run: bool = False
) -> ImportResult:
    """Check a file and, unless ``dry_run`` or something is wrong, create its record."""
    if organisation not in importing_organisations(by):
        raise ValidationError(
            _("You may not import records into this organisation."), code="import_forbidden"
        )
    result = ImportResult(dry_run=dry_run)
    document, errors = parse(content)
    if errors:
        result.errors = errors
        return result
    result.summary = {
        "assessments": len(document["assessments"]),
        "plans": len(document["plans"]),
        "referrals": len(document["referrals"]),
        "source": document["exported_by"]["organisation"]["name"],
    }
    plan = _Checker(by=by, organisation=organisation, document=document).check()
    if plan.errors:
        result.errors = plan.errors
        result.identity_taken = plan.identity_taken
        return result
    result.possible_duplicates = _possible_duplicates(by, plan.client)
    if result.possible_duplicates and not confirm_duplicate:
        result.needs_confirmation = True
        return result
    if dry_run:
        return result
    try:
        result.client = _write(by=by, organisation=organisation, document=document, plan=plan)
    except ValidationError as error:
        result.errors = [str(m) for m in error.messages]
    except DatabaseError:
        result.errors = [_("The record could not be saved. Nothing was written.")]
    return result


# --- parsing and the schema ---------------------------------------------------------------------


def parse(content: bytes) -> tuple[dict | None, list[str]]:
    """The document of a file, or the reasons it is not one (size, encoding, JSON, schema)."""
    if len(content) > MAX_FILE_SIZE:
        return None, [_("The file is larger than %(size)d MB.") % {"size": MAX_FILE_SIZE // (1024 * 1024)}]
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, [_("The file is not UTF-8 text.")]
    except (ValueError, RecursionError):
        return None, [_("The file is not valid JSON.")]
    errors = schema_errors(document)
    return (document if not errors else None), errors


def schema_errors(document) -> list[str]:
    """Translated messages naming the path of each place the document breaks the schema."""
    validator = jsonschema.Draft202012Validator(schema())
    try:
        found = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    except RecursionError:
        return [_("The file is not valid JSON.")]
    messages: list[str] = []
    for error in found:
        for message in _messages(error):
            if message not in messages:
                messages.append(message)
    messages.extend(_null_characters(document, ""))
    if len(messages) > MAX_REPORTED_ERRORS:
        rest = len(messages) - MAX_REPORTED_ERRORS
        messages = messages[:MAX_REPORTED_ERRORS] + [_("… and %(count)d more errors.") % {"count": rest}]
    return messages


def json_path(parts) -> str:
    return "/" + "/".join(_short(str(p)) for p in parts)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


_TYPE_NAMES = {
    "string": lambda: _("text"),
    "integer": lambda: _("a whole number"),
    "number": lambda: _("a number"),
    "boolean": lambda: _("true or false"),
    "object": lambda: _("an object"),
    "array": lambda: _("a list"),
    "null": lambda: _("null"),
}


def _messages(error) -> list[str]:
    path = json_path(error.absolute_path)
    kind, limit, instance = error.validator, error.validator_value, error.instance

    def at(message: str) -> str:
        return _("%(path)s: %(message)s") % {"path": path, "message": message}

    if kind == "required":
        missing = [name for name in limit if isinstance(instance, dict) and name not in instance]
        return [at(_("the field “%(name)s” is missing.") % {"name": name}) for name in missing]
    if kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = [name for name in instance if name not in known][:5]
        return [at(_("unknown field “%(name)s”.") % {"name": _short(name)}) for name in extra]
    if kind == "type":
        types = limit if isinstance(limit, list) else [limit]
        names = _(" or ").join(str(_TYPE_NAMES[t]()) for t in types if t in _TYPE_NAMES)
        return [at(_("must be %(type)s.") % {"type": names})]
    if kind == "enum":
        codes = ", ".join(f"“{code}”" for code in limit if code != "")
        return [
            at(
                _("“%(value)s” is not one of the codes %(codes)s.")
                % {"value": _short(str(instance)), "codes": codes}
            )
        ]
    if kind == "const":
        return [at(_("must be “%(value)s”.") % {"value": limit})]
    if kind == "maxLength":
        return [at(_("is longer than %(limit)d characters.") % {"limit": limit})]
    if kind == "minLength":
        return [at(_("must not be empty."))]
    if kind in ("pattern", "format"):
        return [at(_("“%(value)s” is not in the expected form.") % {"value": _short(str(instance))})]
    if kind == "minimum":
        return [at(_("must be at least %(limit)s.") % {"limit": limit})]
    if kind == "maximum":
        return [at(_("must be at most %(limit)s.") % {"limit": limit})]
    if kind == "maxItems":
        return [at(_("has more than %(limit)d items.") % {"limit": limit})]
    if kind == "anyOf":
        return [at(_("must be an organisation (code and name) or null."))]
    return [at(_("does not match the schema."))]


def _null_characters(value, path: str) -> list[str]:
    """PostgreSQL cannot store NUL in text: refuse it with a message instead of a crash."""
    if isinstance(value, str):
        return [_("%(path)s: contains a NUL character.") % {"path": path or "/"}] if "\x00" in value else []
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _null_characters(item, f"{path}/{_short(str(key))}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _null_characters(item, f"{path}/{index}")
    return found[:MAX_REPORTED_ERRORS]


# --- checks before writing ----------------------------------------------------------------------


@dataclass
class _Plan:
    """What the checks found: the validated client and the organisations and dates to use."""

    errors: list = field(default_factory=list)
    identity_taken: bool = False
    client: Client | None = None
    client_data: dict = field(default_factory=dict)
    languages: list = field(default_factory=list)
    organisations: dict = field(default_factory=dict)


class _Checker:
    def __init__(self, *, by, organisation: Organisation, document: dict):
        self.by, self.organisation, self.document = by, organisation, document
        self.result = _Plan()

    def error(self, path: str, message) -> None:
        if isinstance(message, SafeData):  # a message with a link to the existing client
            self.result.errors.append(format_html("{}: {}", path, message))
            return
        self.result.errors.append(_("%(path)s: %(message)s") % {"path": path, "message": message})

    def check(self) -> _Plan:
        if self.document["format"] != FORMAT or self.document["version"] != VERSION:
            self.error("/", _("This is not a version 1 integration record."))
            return self.result
        self.moment("/exported_at", self.document["exported_at"])
        self._organisations()
        if self.result.errors:
            return self.result
        self._client()
        self._health()
        keys = self._assessments()
        self._plans(keys)
        self._referrals()
        return self.result

    # Organisations are named by code; every code must be known in this installation.
    def _organisations(self) -> None:
        refs = list(_organisation_refs(self.document, ""))
        codes = {ref["code"] for _path, ref in refs}
        known = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
        for path, ref in refs:
            if ref["code"] not in known:
                self.error(path, _("unknown organisation code “%(code)s”.") % {"code": ref["code"]})
        self.result.organisations = known

    def org(self, ref: dict | None) -> Organisation | None:
        return self.result.organisations[ref["code"]] if ref else None

    def date(self, path: str, value: str | None) -> datetime.date | None:
        if value is None:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.error(path, _("“%(value)s” is not a date.") % {"value": _short(value)})
            return None

    def moment(self, path: str, value: str) -> datetime.datetime | None:
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            self.error(path, _("“%(value)s” is not a time.") % {"value": _short(value)})
            return None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    def _client(self) -> None:
        c = self.document["client"]
        birth, contact = c["birth"], c["contact"]
        data = {
            "family_name": c["family_name"],
            "given_names": c["given_names"],
            "family_name_latin": c["family_name_latin"],
            "given_names_latin": c["given_names_latin"],
            "preferred_name": c["preferred_name"],
            "birth_year": birth["year"],
            "birth_month": birth["month"],
            "birth_day": birth["day"],
            "sex": c["sex"],
            "identity_code": c["identity_code"],
            "identity_code_is_temporary": c["identity_code_is_temporary"],
            "migri_customer_number": c["migri_customer_number"],
            "citizenships": ", ".join(c["citizenships"]),
            "native_language": c["native_language"],
            "interpreter_needed": c["interpreter_needed"],
            "interpreter_language": c["interpreter_language"],
            **contact,
            "municipality_of_residence": self.org(c["municipality_of_residence"]),
            "home_municipality_date": self.date(
                "/client/home_municipality_date", c["home_municipality_date"]
            ),
            "arrival_date": self.date("/client/arrival_date", c["arrival_date"]),
            "first_permit_date": self.date("/client/first_permit_date", c["first_permit_date"]),
            "residence_ground": c["residence_ground"],
            "unaccompanied_minor": c["unaccompanied_minor"],
            "client_since": self.date("/client/client_since", c["client_since"]),
        }
        languages = [(row["language"], row["level"]) for row in c["languages"]]
        if len({code for code, _level in languages}) != len(languages):
            self.error("/client/languages", _("a language appears twice."))
        moved = [r["moved_out_on"] for r in c["earlier_residences"]]
        if len(set(moved)) != len(moved):
            self.error("/client/earlier_residences", _("two moves on the same day."))
        for index, row in enumerate(c["earlier_residences"]):
            self.date(f"/client/earlier_residences/{index}/moved_out_on", row["moved_out_on"])
            if self.org(row["municipality"]).kind != Organisation.Kind.MUNICIPALITY:
                self.error(f"/client/earlier_residences/{index}/municipality", _("Choose a municipality."))
        client = Client(organisation=self.organisation)
        try:
            client_services.client_validate(client=client, by=self.by, data=data, languages=languages)
        except ValidationError as error:
            for name, field_errors in error.error_dict.items():
                for item in field_errors:
                    if item.code == "identity_code_taken":
                        self.result.identity_taken = True
                    message = item.message % item.params if item.params else item.message
                    self.error(f"/client/{name}", message)
        self.result.client, self.result.client_data, self.result.languages = client, data, languages

    def _health(self) -> None:
        """Health data goes only to someone who may see it in the receiving organisation."""
        has_health = any(a.get("health_notes") for a in self.document["assessments"]) or any(
            g.get("description") and g["kind"] == PlanGoal.Kind.HEALTH
            for p in self.document["plans"]
            for g in p["goals"]
        )
        if has_health and not (policy.roles_in(self.by, self.organisation.pk) & policy.HEALTH_ROLES):
            self.error(
                "/assessments",
                _("The file contains health data: it must be imported by someone who may see it."),
            )

    def participants(self, path: str, refs: list, multisectoral: bool) -> None:
        if any(self.org(ref).kind not in PARTICIPANT_KINDS for ref in refs):
            self.error(path, _("Only the welfare area or the employment services take part."))
        if bool(refs) != multisectoral:
            self.error(path, _("Only a multisectoral record has participants, and it names them."))

    def clean(self, path: str, instance, exclude: list[str]) -> None:
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.error(f"{path}/{name}", message)

    def languages(self, path: str, rows: list) -> None:
        codes = [row["language"] for row in rows]
        for code in codes:
            if code not in LANGUAGES:
                self.error(path, _("Unknown language code “%(code)s”.") % {"code": code})
        if len(set(codes)) != len(codes):
            self.error(path, _("a language appears twice."))

    def _assessments(self) -> set[str]:
        keys: set[str] = set()
        for index, a in enumerate(self.document["assessments"]):
            path = f"/assessments/{index}"
            if a["key"] in keys:
                self.error(f"{path}/key", _("the key “%(key)s” appears twice.") % {"key": a["key"]})
            keys.add(a["key"])
            assessment = Assessment(**assessment_fields(a, self.date, path))
            self.clean(path, assessment, ["client", "organisation", "worker"])
            self._states(path, a, {"completed": ["completed_on"], "signed": ["completed_on", "signed_on"]})
            self.participants(f"{path}/participants", a["participants"], a["multisectoral"])
            self.languages(f"{path}/languages", a["languages"])
        return keys

    def _states(self, path: str, row: dict, needs: dict) -> None:
        for name in needs.get(row["status"], []):
            if not row[name]:
                self.error(
                    f"{path}/{name}",
                    _("a record in state “%(status)s” needs this date.") % {"status": row["status"]},
                )

    def _plans(self, assessment_keys: set[str]) -> None:
        for index, p in enumerate(self.document["plans"]):
            path = f"/plans/{index}"
            if p["assessment"] is not None and p["assessment"] not in assessment_keys:
                self.error(
                    f"{path}/assessment",
                    _("no assessment in the file has the key “%(key)s”.") % {"key": _short(p["assessment"])},
                )
            plan = IntegrationPlan(**plan_fields(p, self.date, path))
            self.clean(path, plan, ["client", "organisation", "worker", "assessment"])
            if plan.starts_on and plan.ends_on and plan.ends_on <= plan.starts_on:
                self.error(f"{path}/ends_on", _("The plan must end after it starts."))
            self._states(path, p, {"agreed": ["agreed_on"], "ended": ["ended_on"]})
            self.participants(f"{path}/participants", p["participants"], p["multisectoral"])
            goal_keys = set()
            for g_index, g in enumerate(p["goals"]):
                if g["key"] in goal_keys:
                    self.error(
                        f"{path}/goals/{g_index}/key",
                        _("the key “%(key)s” appears twice.") % {"key": g["key"]},
                    )
                goal_keys.add(g["key"])
                if g["target_level"] and g["kind"] != PlanGoal.Kind.LANGUAGE:
                    self.error(f"{path}/goals/{g_index}/target_level", _("Only a language goal has a level."))
            for m_index, m in enumerate(p["measures"]):
                m_path = f"{path}/measures/{m_index}"
                if m["goal"] is not None and m["goal"] not in goal_keys:
                    self.error(
                        f"{m_path}/goal",
                        _("no goal of this plan has the key “%(key)s”.") % {"key": _short(m["goal"])},
                    )
                self.clean(
                    m_path, PlanMeasure(**measure_fields(m, self.date, m_path)), ["plan", "goal", "provider"]
                )
            parties = [r["party"] for r in p["responsibilities"]]
            if len(set(parties)) != len(parties):
                self.error(f"{path}/responsibilities", _("a party appears twice."))
            for r_index, r in enumerate(p["reviews"]):
                self.date(f"{path}/reviews/{r_index}/reviewed_on", r["reviewed_on"])
            for e_index, e in enumerate(p["extensions"]):
                for name in ("decided_on", "previous_end", "new_end"):
                    self.date(f"{path}/extensions/{e_index}/{name}", e[name])

    def _referrals(self) -> None:
        for index, r in enumerate(self.document["referrals"]):
            path = f"/referrals/{index}"
            self.date(f"{path}/sent_on", r["sent_on"])
            self.date(f"{path}/due_on", r["due_on"])
            for e_index, e in enumerate(r["events"]):
                self.moment(f"{path}/events/{e_index}/at", e["at"])


def _organisation_refs(value, path: str):
    """(path, reference) of every organisation named in the document, exporter aside."""
    if isinstance(value, dict):
        if set(value) == {"code", "name"} and path.split("/")[1:2] != ["exported_by"]:
            yield path, value
            return
        for key, item in value.items():
            yield from _organisation_refs(item, f"{path}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _organisation_refs(item, f"{path}/{index}")


ASSESSMENT_COPIED = (
    "status",
    "multisectoral",
    "education_level",
    "education_years",
    "education_country",
    "education_field",
    "work_history",
    "literacy",
    "digital_skills",
    "family_situation",
    "language_training_need",
    "other_service_needs",
    "plan_needed",
    "path",
)


def assessment_fields(a: dict, date, path: str) -> dict:
    data = {name: a[name] for name in ASSESSMENT_COPIED}
    data["health_notes"] = a.get("health_notes", "")
    for name in ("requested_on", "started_on", "completed_on", "signed_on"):
        data[name] = date(f"{path}/{name}", a[name])
    return data


def plan_fields(p: dict, date, path: str) -> dict:
    data = {"status": p["status"], "multisectoral": p["multisectoral"], "summary": p["summary"]}
    for name in ("drafted_on", "starts_on", "ends_on", "agreed_on", "ended_on"):
        data[name] = date(f"{path}/{name}", p[name])
    return data


def measure_fields(m: dict, date, path: str) -> dict:
    data = {name: m[name] for name in ("service", "provider_name", "responsible", "status")}
    for name in ("starts_on", "ends_on"):
        data[name] = date(f"{path}/{name}", m[name])
    return data


def _possible_duplicates(by, client: Client) -> list[Duplicate]:
    """Clients with the same Latin names and the same full date of birth."""
    if not (client.birth_year and client.birth_month and client.birth_day):
        return []
    matches = Client.objects.filter(
        family_name_latin__iexact=client.family_name_latin,
        given_names_latin__iexact=client.given_names_latin,
        birth_year=client.birth_year,
        birth_month=client.birth_month,
        birth_day=client.birth_day,
    ).order_by("id")[:10]
    found = []
    for match in matches:
        basis = policy.access_basis(by, match)
        if basis is None:
            found.append(Duplicate(name="", url=None))
            continue
        # Naming the existing client shows their record: a read.
        record_reads(
            user=by,
            client_ids=[match.pk],
            action=ReadEvent.Action.DUPLICATE,
            basis=basis,
            context="exchange import",
        )
        found.append(Duplicate(name=match.display_name, url=reverse("clients:detail", args=[match.pk])))
    return found


# --- writing ------------------------------------------------------------------------------------


def _write(*, by, organisation: Organisation, document: dict, plan: _Plan) -> Client:
    people: dict[str, str] = {}
    date = datetime.date.fromisoformat  # every date was checked above
    with transaction.atomic(), set_actor(by):
        client = client_services.client_create(
            by=by, organisation=organisation, data=plan.client_data, languages=plan.languages
        )
        for row in document["client"]["earlier_residences"]:
            EarlierResidence.objects.create(
                client=client,
                municipality=_org(plan, row["municipality"]),
                moved_out_on=date(row["moved_out_on"]),
            )
        assessments = {}
        for a in document["assessments"]:
            assessments[a["key"]] = _write_assessment(client, by, a, plan, people)
        for p in document["plans"]:
            _write_plan(client, by, p, plan, people, assessments)
        for r in document["referrals"]:
            _write_referral(client, by, r, plan, people)
        exported_by = document["exported_by"]
        RecordImport.objects.create(
            client=client,
            source_organisation_code=exported_by["organisation"]["code"],
            source_organisation_name=exported_by["organisation"]["name"],
            exported_at=_moment(document["exported_at"]),
            exported_by=exported_by["person"],
            imported_by=by,
            people=people,
        )
        refresh_deadlines(client)
    return client


def _moment(value: str) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(value)  # checked above
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _org(plan: _Plan, ref: dict | None) -> Organisation | None:
    return plan.organisations[ref["code"]] if ref else None


def _no_date_errors(path, value):
    return datetime.date.fromisoformat(value) if value is not None else None


def _write_assessment(client, by, a: dict, plan: _Plan, people: dict) -> Assessment:
    assessment = Assessment.objects.create(
        client=client,
        organisation=_org(plan, a["organisation"]),
        worker=by,
        **assessment_fields(a, _no_date_errors, ""),
    )
    people[f"assessment:{assessment.pk}"] = a["worker"]
    if a["participants"]:
        assessment.participants.set([_org(plan, ref) for ref in a["participants"]])
    for row in a["languages"]:
        assessment.languages.create(language=row["language"], level=row["level"])
    return assessment


def _write_plan(client, by, p: dict, plan: _Plan, people: dict, assessments: dict) -> IntegrationPlan:
    integration_plan = IntegrationPlan.objects.create(
        client=client,
        organisation=_org(plan, p["organisation"]),
        worker=by,
        assessment=assessments.get(p["assessment"]) if p["assessment"] else None,
        **plan_fields(p, _no_date_errors, ""),
    )
    people[f"plan:{integration_plan.pk}"] = p["worker"]
    if p["participants"]:
        integration_plan.participants.set([_org(plan, ref) for ref in p["participants"]])
    goals = {}
    for g in p["goals"]:
        goals[g["key"]] = PlanGoal.objects.create(
            plan=integration_plan,
            kind=g["kind"],
            target_level=g["target_level"],
            description=g.get("description", ""),
        )
    for m in p["measures"]:
        PlanMeasure.objects.create(
            plan=integration_plan,
            goal=goals.get(m["goal"]) if m["goal"] else None,
            provider=_org(plan, m["provider"]),
            **measure_fields(m, _no_date_errors, ""),
        )
    for r in p["responsibilities"]:
        PlanResponsibility.objects.create(
            plan=integration_plan, party=r["party"], description=r["description"]
        )
    for r in p["reviews"]:
        review = PlanReview.objects.create(
            plan=integration_plan,
            reviewed_on=_no_date_errors("", r["reviewed_on"]),
            reviewed_by=by,
            notes=r["notes"],
        )
        people[f"review:{review.pk}"] = r["reviewed_by"]
    for e in p["extensions"]:
        extension = PlanExtension.objects.create(
            plan=integration_plan,
            decided_on=_no_date_errors("", e["decided_on"]),
            decided_by=by,
            previous_end=_no_date_errors("", e["previous_end"]),
            new_end=_no_date_errors("", e["new_end"]),
            reason=e["reason"],
        )
        people[f"extension:{extension.pk}"] = e["decided_by"]
    return integration_plan


def _write_referral(client, by, r: dict, plan: _Plan, people: dict) -> Referral:
    # No share: an imported referral is history; access goes with the new organisation's own
    # referrals and shares.
    referral = Referral.objects.create(
        client=client,
        kind=r["kind"],
        from_organisation=_org(plan, r["from_organisation"]),
        to_organisation=_org(plan, r["to_organisation"]),
        sent_by=by,
        sent_on=_no_date_errors("", r["sent_on"]),
        due_on=_no_date_errors("", r["due_on"]),
        reason=r["reason"],
        scope=r["scope"],
        status=r["status"],
        rejection_reason=r["rejection_reason"],
        outcome=r["outcome"],
    )
    people[f"referral:{referral.pk}"] = r["sent_by"]
    for e in r["events"]:
        event = ReferralEvent.objects.create(
            referral=referral,
            status=e["status"],
            by=by,
            organisation=_org(plan, e["organisation"]),
            note=e["note"],
        )
        # The time is history from the file; auto_now_add set the import time on create.
        ReferralEvent.objects.filter(pk=event.pk).update(at=_moment(e["at"]))
        people[f"event:{event.pk}"] = e["by"]
    return referral


def duplicate_message(duplicate: Duplicate):
    if duplicate.url:
        return format_html(
            '{} <a href="{}">{}</a>',
            _("A client with the same name and date of birth is already registered:"),
            duplicate.url,
            duplicate.name,
        )
    return _("A client with the same name and date of birth is registered in another organisation.")
