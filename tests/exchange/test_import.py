import json

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import translation

from hemkommun.casework.models import Assessment, IntegrationPlan, Referral
from hemkommun.clients.models import Client
from hemkommun.core.models import ReadEvent
from hemkommun.exchange import importing
from hemkommun.exchange.models import RecordImport
from hemkommun.organizations.models import Role
from tests.factories import OrganisationFactory, UserFactory

from .helpers import do_import, free_identity_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(exported):
    return json.loads(exported)


def _nothing_written(count_before: int) -> None:
    assert Client.objects.count() == count_before
    assert not RecordImport.objects.exists()


def test_same_identity_code_is_refused_with_a_link_for_who_may_see_it(document, record_client, narpes):
    coordinator_narpes = UserFactory.with_role(Role.COORDINATOR, narpes)
    other_unit_worker = coordinator_narpes  # imports into its own organisation: sees the existing
    before = Client.objects.count()
    result = do_import(other_unit_worker, narpes, document)
    assert result.identity_taken
    assert any(f"/clients/{record_client.pk}/" in str(error) for error in result.errors)
    assert ReadEvent.objects.filter(
        user=coordinator_narpes, client=record_client, action=ReadEvent.Action.DUPLICATE
    ).exists()
    _nothing_written(before)


def test_same_identity_code_elsewhere_is_refused_without_naming_the_client(
    document, record_client, worker_vasa, vasa
):
    before = Client.objects.count()
    result = do_import(worker_vasa, vasa, document)
    assert result.identity_taken and result.client is None
    assert not any("Al-Hassan" in str(error) or "/clients/" in str(error) for error in result.errors)
    with translation.override("fi"):
        from django.utils.translation import gettext

        expected = gettext(
            "A client with this identity code is already registered in another organisation. "
            "Ask that organisation to share the record."
        )
        result = do_import(worker_vasa, vasa, document)
    assert any(expected in str(error) for error in result.errors)
    assert not ReadEvent.objects.filter(user=worker_vasa).exists()
    _nothing_written(before)


def test_possible_duplicate_needs_confirmation(document, record_client, worker_vasa, vasa):
    free_identity_code(record_client)
    before = Client.objects.count()
    result = do_import(worker_vasa, vasa, document)
    assert result.needs_confirmation and result.client is None
    assert result.possible_duplicates == [importing.Duplicate(name="", url=None)]  # not visible to Vasa
    _nothing_written(before)
    result = do_import(worker_vasa, vasa, document, confirm_duplicate=True)
    assert result.client is not None and Client.objects.count() == before + 1


def test_possible_duplicate_visible_to_the_user_is_linked(document, record_client, narpes, worker_narpes):
    free_identity_code(record_client)
    document["client"]["identity_code"] = ""
    result = do_import(worker_narpes, narpes, document)
    assert result.needs_confirmation
    assert result.possible_duplicates[0].url == f"/clients/{record_client.pk}/"
    assert "Al-Hassan" in str(importing.duplicate_message(result.possible_duplicates[0]))


def test_dry_run_writes_nothing(document, record_client, worker_vasa, vasa):
    free_identity_code(record_client)
    before = Client.objects.count()
    result = do_import(worker_vasa, vasa, document, dry_run=True, confirm_duplicate=True)
    assert result.ok and result.client is None and result.summary["plans"] == 1
    _nothing_written(before)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.pop("client"), "/: "),
        (lambda d: d["client"].update(sex="Q"), "/client/sex: "),
        (lambda d: d["client"].update(family_name=42), "/client/family_name: "),
        (lambda d: d["assessments"][0].update(status="finished"), "/assessments/0/status: "),
        (lambda d: d["plans"][0]["goals"][0].update(kind="wealth"), "/plans/0/goals/0/kind: "),
        (lambda d: d["referrals"][0]["events"][0].update(extra=1), "/referrals/0/events/0: "),
        (lambda d: d.update(version=2), "/version: "),
        (lambda d: d["plans"][0].update(starts_on="5.12.2026"), "/plans/0/starts_on: "),
    ],
)
def test_schema_violations_name_the_path(document, worker_vasa, vasa, change, path):
    change(document)
    before = Client.objects.count()
    with translation.override("fi"):
        result = do_import(worker_vasa, vasa, document)
    assert result.errors and any(str(error).startswith(path) for error in result.errors), result.errors
    _nothing_written(before)


def test_schema_messages_are_translated(document, worker_vasa, vasa):
    document["client"].pop("sex")
    with translation.override("fi"):
        from django.utils.translation import gettext

        expected = gettext("%(path)s: %(message)s") % {
            "path": "/client",
            "message": gettext("the field “%(name)s” is missing.") % {"name": "sex"},
        }
        result = do_import(worker_vasa, vasa, document)
    assert expected in result.errors


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"not json", "JSON"),
        (b"\xff\xfe\x00", "UTF-8"),
        (b"[" * 100000 + b"]" * 100000, "JSON"),
        (b"[]", "/: "),
        (b" " * (importing.MAX_FILE_SIZE + 1), "MB"),
    ],
)
def test_files_that_are_not_records(worker_vasa, vasa, content, fragment):
    with translation.override("en"):
        result = do_import(worker_vasa, vasa, content)
    assert result.errors and fragment in str(result.errors[0])
    _nothing_written(0)


def test_hostile_values_give_messages(document, record_client, worker_vasa, vasa):
    free_identity_code(record_client)
    document["client"]["family_name"] = "<script>alert(1)</script>" * 10  # 250 characters
    document["client"]["given_names"] = "x\x00y"
    document["client"]["native_language"] = "zz"
    document["client"]["citizenships"] = ["SYR"]
    document["client"]["birth"]["month"] = "10"
    document["assessments"][0]["organisation"] = {"code": "999", "name": "Nowhere"}
    document["plans"][0]["assessment"] = "A123456"  # an id of another installation
    document["referrals"][0]["events"][0]["at"] = "2026-13-45T00:00:00+02:00"
    document["assessments"][0]["work_history"] = "w" * 20000
    result = do_import(worker_vasa, vasa, document, confirm_duplicate=True)
    text = "\n".join(str(error) for error in result.errors)
    for path in (
        "/client/family_name",
        "/client/given_names",
        "/client/citizenships/0",
        "/client/birth/month",
        "/assessments/0/work_history",
    ):
        assert path in text, path
    assert result.client is None


def test_unknown_codes_and_references_after_the_schema(document, record_client, worker_vasa, vasa):
    free_identity_code(record_client)
    document["client"]["native_language"] = "zz"
    document["assessments"][0]["organisation"] = {"code": "999", "name": "Nowhere"}
    result = do_import(worker_vasa, vasa, document, confirm_duplicate=True)
    assert any(e.startswith("/assessments/0/organisation: ") for e in result.errors), result.errors
    document["assessments"][0]["organisation"] = {"code": "545", "name": "Närpes"}
    document["plans"][0]["assessment"] = "A123456"
    document["plans"][0]["ends_on"] = document["plans"][0]["starts_on"]
    document["referrals"][0]["events"][0]["at"] = "2026-13-45T00:00:00+02:00"
    document["plans"][0]["responsibilities"].append(dict(document["plans"][0]["responsibilities"][0]))
    result = do_import(worker_vasa, vasa, document, confirm_duplicate=True)
    text = "\n".join(str(error) for error in result.errors)
    for path in (
        "/client/native_language",
        "/plans/0/assessment",
        "/plans/0/ends_on",
        "/plans/0/responsibilities",
        "/referrals/0/events/0/at",
    ):
        assert path in text, (path, text)
    assert not RecordImport.objects.exists()


def test_markup_in_names_is_kept_as_text(document, record_client, worker_vasa, vasa, client):
    free_identity_code(record_client)
    document["client"]["family_name"] = "<b>Bold</b>"
    document["client"]["family_name_latin"] = "<b>Bold</b>"
    result = do_import(worker_vasa, vasa, document, confirm_duplicate=True)
    assert result.client is not None
    client.force_login(worker_vasa)
    page = client.get(f"/clients/{result.client.pk}/").content.decode()
    assert "<b>Bold</b>" not in page and "&lt;b&gt;Bold&lt;/b&gt;" in page


def test_health_data_needs_a_health_role(document, record_client, coordinator_vasa, vasa):
    free_identity_code(record_client)
    result = do_import(coordinator_vasa, vasa, document, confirm_duplicate=True)
    assert any("/assessments: " in e for e in result.errors)
    document["assessments"][0]["health_notes"] = ""
    document["plans"][0]["goals"][1].pop("description")
    document["includes_health"] = False
    result = do_import(coordinator_vasa, vasa, document, confirm_duplicate=True)
    assert result.client is not None, result.errors


@pytest.mark.parametrize("failure", [DatabaseError("boom"), ValidationError("bad", code="bad")])
def test_no_half_written_record_when_a_plan_fails(
    document, record_client, worker_vasa, vasa, monkeypatch, failure
):
    """The client, its assessment and referrals are written before the plan: a failure on the plan
    leaves nothing of them."""
    free_identity_code(record_client)
    counts = (
        Client.objects.count(),
        Assessment.objects.count(),
        IntegrationPlan.objects.count(),
        Referral.objects.count(),
    )

    def broken(*args, **kwargs):
        raise failure

    monkeypatch.setattr(importing, "_write_plan", broken)
    result = do_import(worker_vasa, vasa, document, confirm_duplicate=True)
    assert result.errors and result.client is None
    assert counts == (
        Client.objects.count(),
        Assessment.objects.count(),
        IntegrationPlan.objects.count(),
        Referral.objects.count(),
    )
    assert not RecordImport.objects.exists()


def test_import_into_an_organisation_without_a_casework_role_is_refused(document, vasa, narpes):
    counsellor = UserFactory.with_role(Role.COUNSELLOR, vasa)
    worker_elsewhere = UserFactory.with_role(
        Role.CASE_WORKER, OrganisationFactory.municipality("231", "Kaskö")
    )
    for user in (counsellor, worker_elsewhere):
        with pytest.raises(ValidationError) as error:
            do_import(user, vasa, document)
        assert error.value.code == "import_forbidden"
