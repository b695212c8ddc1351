"""Integration programmes: the import of seed 002 (command and page), approvals, yearly statuses,
revisions that keep the earlier version as it was, and the review reminder."""

import datetime
from io import StringIO

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from hemkommun.organizations.models import Role
from hemkommun.programme import services
from hemkommun.programme.models import Action, ActionStatus, Programme, ProgrammeOwner
from hemkommun.programme.parsing import parse_file
from hemkommun.programme.samples import SEED_002

from ..factories import OrganisationFactory, UserFactory

D = datetime.date
SEED = SEED_002
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel("2026-11-23 10:00 +0200", tick=False):
        yield


@pytest.fixture
def region(narpes):
    """The five municipalities of seed 002."""
    return [
        OrganisationFactory.municipality("287", "Kristinestad"),
        OrganisationFactory.municipality("231", "Kaskö"),
        narpes,
        OrganisationFactory.municipality("280", "Korsnäs"),
        OrganisationFactory.municipality("475", "Malax"),
    ]


@pytest.fixture
def coordinator(narpes):
    return UserFactory.with_role(Role.COORDINATOR, narpes, username="coordinator.narpes")


@pytest.fixture
def programme(region, coordinator) -> Programme:
    return services.programme_import(
        by=coordinator,
        owners=region,
        period=services.Period(2023, 2025),
        parsed=parse_file(SEED.read_bytes(), SEED.name),
        title="Integrationsprogram",
    )


def test_seed_002_gives_its_6_themes_and_every_row_with_the_cells_kept(programme, region):
    themes = list(programme.themes.all())
    assert [theme.title for theme in themes] == [
        "Grunden för inkludering och integration",
        "Sociala förhållanden och nätverk",
        "Hälsa och välbefinnande",
        "Barn och unga",
        "Sysselsättning och kompetens",
        "Boende",
    ]
    assert [theme.actions.count() for theme in themes] == [9, 4, 3, 2, 5, 1]
    first = themes[0].actions.get(position=1)
    assert (first.goal, first.action, first.responsible, first.partners, first.follow_up) == (
        "Koordinering av integration",
        "Integrationsarbetet samordnas centralt",
        "Kommunspecifikt",
        "Övriga aktörer, ex. välfärdsområdet, tredje sektorn",
        "Årlig genomgång av samordnandet och resursering i budgeteringskedet",
    )
    no_partner = Action.objects.get(goal="Främjande av delaktighet", theme=themes[0])
    assert no_partner.partners == "" and no_partner.follow_up.startswith("Information och material")
    assert {owner.municipality for owner in programme.owners.all()} == set(region)
    # Reviewed at least every 4 years: by the end of 2026 for a programme from 2023.
    assert programme.review_due == D(2026, 12, 31)


def test_the_command_imports_or_only_checks(region, coordinator):
    out = StringIO()
    arguments = [
        str(SEED),
        "--owners",
        "287,231,545,280,475",
        "--period",
        "2023-2025",
        "--user",
        "coordinator.narpes",
    ]
    with translation.override("en"):
        call_command("import_programme", *arguments, "--dry-run", stdout=out)
    assert "Dry run: 6 themes, 24 actions" in out.getvalue()
    assert not Programme.objects.exists()
    with translation.override("en"):
        call_command("import_programme", *arguments, stdout=out)
    programme = Programme.objects.get()
    assert Action.objects.filter(theme__programme=programme).count() == 24
    assert (programme.first_year, programme.last_year, programme.title) == (
        2023,
        2025,
        "Integration programme 2023–2025",
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--owners", "999", "--period", "2023-2025"], "No organisation has the code “999”"),
        (["--owners", "545", "--period", "2025-2023"], "the first not after the last"),
        (["--owners", "545", "--period", "soon"], "two years, for example 2023-2025"),
        (["--owners", "905", "--period", "2023-2025"], "municipalities you coordinate"),
    ],
)
def test_the_command_refuses_bad_arguments_and_writes_nothing(region, coordinator, vasa, arguments, message):
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("import_programme", str(SEED), *arguments, "--user", "coordinator.narpes")
    assert message in str(error.value)
    assert not Programme.objects.exists()


def test_a_broken_file_is_refused_by_the_command_with_the_reason(tmp_path, region, coordinator):
    broken = tmp_path / "broken.txt"
    broken.write_text(
        "Tema\nMål\tÅtgärd\tAnsvar\tSamarbetspartner\tUppföljning\nA\tB\tC\tD\tE\n", encoding="utf-8"
    )
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command(
            "import_programme",
            str(broken),
            "--owners",
            "545",
            "--period",
            "2023-2025",
            "--user",
            "coordinator.narpes",
        )
    assert "Line 2" in str(error.value) or "line 2" in str(error.value)
    assert not Programme.objects.exists()


def test_statuses_are_recorded_per_year_and_cleared(programme, coordinator):
    first, second = Action.objects.filter(theme__programme=programme).order_by("theme__position", "position")[
        :2
    ]
    changed = services.statuses_set(
        by=coordinator,
        programme=programme,
        year=2024,
        entries=[(first, "done", " Samordnaren anställd. "), (second, "in_progress", "")],
    )
    assert changed == 2
    assert ActionStatus.objects.get(action=first, year=2024).comment == "Samordnaren anställd."
    assert (
        services.statuses_set(
            by=coordinator, programme=programme, year=2024, entries=[(first, "done", "Samordnaren anställd.")]
        )
        == 0
    )
    services.statuses_set(by=coordinator, programme=programme, year=2024, entries=[(second, "", "")])
    assert not ActionStatus.objects.filter(action=second).exists()
    with pytest.raises(ValidationError) as error:
        services.statuses_set(by=coordinator, programme=programme, year=2026, entries=[(first, "done", "")])
    assert error.value.code == "year_outside"


def test_an_action_of_another_programme_is_refused(programme, coordinator, region):
    other = services.programme_import(
        by=coordinator,
        owners=[region[2]],
        period=services.Period(2023, 2025),
        parsed=parse_file(SEED.read_bytes()),
        title="Other",
    )
    stranger = Action.objects.filter(theme__programme=other).first()
    with pytest.raises(ValidationError):
        services.statuses_set(
            by=coordinator, programme=programme, year=2024, entries=[(stranger, "done", "")]
        )
    assert not ActionStatus.objects.exists()


def test_an_approval_needs_all_its_parts(programme, coordinator, narpes):
    owner = programme.owners.get(municipality=narpes)
    with pytest.raises(ValidationError):
        services.approval_set(
            by=coordinator, owner=owner, approved_by="Fullmäktige", approved_on=None, decision_reference=""
        )
    services.approval_set(
        by=coordinator,
        owner=owner,
        approved_by="Kommunfullmäktige",
        approved_on=D(2023, 3, 20),
        decision_reference="§ 21",
    )
    owner.refresh_from_db()
    assert (owner.approved_by, owner.approved_on, owner.decision_reference) == (
        "Kommunfullmäktige",
        D(2023, 3, 20),
        "§ 21",
    )
    assert LogEntry.objects.get_for_object(owner).exists()


def test_a_revision_copies_and_keeps_the_earlier_version_as_it_was(programme, coordinator, narpes):
    first_action = (
        Action.objects.filter(theme__programme=programme).order_by("theme__position", "position").first()
    )
    services.statuses_set(
        by=coordinator, programme=programme, year=2023, entries=[(first_action, "done", "Klart")]
    )
    services.approval_set(
        by=coordinator,
        owner=programme.owners.get(municipality=narpes),
        approved_by="KF",
        approved_on=D(2023, 3, 20),
        decision_reference="§ 21",
    )
    revision = services.programme_revise(by=coordinator, programme=programme)
    assert (revision.version, revision.revision_of) == (2, programme)
    assert Action.objects.filter(theme__programme=revision).count() == 24
    assert (
        ActionStatus.objects.filter(action__theme__programme=revision, year=2023, status="done").count() == 1
    )
    # The new version's approvals are its own to record.
    assert not ProgrammeOwner.objects.filter(programme=revision).exclude(approved_on=None).exists()
    # The earlier version can no longer change.
    with pytest.raises(ValidationError) as error:
        services.statuses_set(
            by=coordinator, programme=programme, year=2024, entries=[(first_action, "done", "")]
        )
    assert error.value.code == "programme_revised"
    with pytest.raises(ValidationError):
        services.programme_revise(by=coordinator, programme=programme)
    assert ActionStatus.objects.filter(action=first_action).count() == 1


def test_the_pages_import_show_record_and_revise(client, region, coordinator):
    client.force_login(coordinator)
    with translation.override("fi"):
        expected = translation.gettext(
            "The file holds %(themes)s themes and %(rows)s actions. Nothing was imported."
        ) % {
            "themes": 6,
            "rows": 24,
        }
    form = {
        "title": "Integrationsprogram",
        "period": "2023-2025",
        "language": "sv",
        "owners": [o.pk for o in region],
    }
    upload = SimpleUploadedFile("program.txt", SEED.read_bytes(), content_type="text/plain")
    response = client.post(reverse("programme:import"), {**form, "file": upload, "dry_run": "on"})
    assert response.status_code == 200 and expected in response.content.decode()
    assert not Programme.objects.exists()
    upload = SimpleUploadedFile("program.txt", SEED.read_bytes(), content_type="text/plain")
    response = client.post(reverse("programme:import"), {**form, "file": upload})
    programme = Programme.objects.get()
    assert response.status_code == 302 and response.url == reverse("programme:detail", args=[programme.pk])
    page = client.get(response.url, {"year": 2024}).content.decode()
    assert "Koordinering av integration" in page and "Boende" in page
    action = Action.objects.filter(theme__programme=programme).order_by("theme__position", "position").first()
    url = reverse("programme:statuses", args=[programme.pk, 2024])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {f"status_{action.pk}": "done", f"comment_{action.pk}": "Morgonkaffe varje vecka"}
    )
    assert response.status_code == 302
    assert (
        "Morgonkaffe varje vecka"
        in client.get(reverse("programme:detail", args=[programme.pk]), {"year": 2024}).content.decode()
    )
    response = client.post(reverse("programme:revise", args=[programme.pk]))
    revision = Programme.objects.get(revision_of=programme)
    assert response.url == reverse("programme:detail", args=[revision.pk])
    old_page = client.get(reverse("programme:detail", args=[programme.pk])).content.decode()
    assert reverse("programme:statuses", args=[programme.pk, 2025]) not in old_page


def test_bad_input_on_the_pages_gets_messages_and_keeps_what_was_typed(client, region, coordinator, narpes):
    client.force_login(coordinator)
    form = {"title": "<b>Program</b>", "period": "2025-2023", "language": "sv", "owners": [narpes.pk]}
    response = client.post(reverse("programme:import"), {**form, "text": "Tema\nMål\tÅtgärd\nA\tB\n"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="form-errors"' in page
    assert "&lt;b&gt;Program&lt;/b&gt;" in page and "<b>Program</b>" not in page
    response = client.post(
        reverse("programme:import"), {**form, "period": "2023-2025", "text": "no table here"}
    )
    assert response.status_code == 200 and 'id="form-errors"' in response.content.decode()
    assert not Programme.objects.exists()
    bad_period = {**form, "period": "2023/2025", "text": "Tema\nMål\tÅtgärd\nA\tB\n"}
    response = client.post(reverse("programme:import"), bad_period)
    assert response.status_code == 200 and 'id="form-errors"' in response.content.decode()
    response = client.post(
        reverse("programme:import"),
        {**form, "period": "2023-2025", "text": "Tema\nMål\tÅtgärd\n<script>x</script>\tB\n"},
    )
    programme = Programme.objects.get()
    page = client.get(reverse("programme:detail", args=[programme.pk])).content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    action = Action.objects.get(theme__programme=programme)
    url = reverse("programme:statuses", args=[programme.pk, 2024])
    response = client.post(url, {f"status_{action.pk}": "", f"comment_{action.pk}": "Kommentar utan status"})
    assert response.status_code == 200 and "Kommentar utan status" in response.content.decode()
    response = client.post(url, {f"status_{action.pk}": "bogus"})
    assert response.status_code == 200
    assert not ActionStatus.objects.exists()
    owner = programme.owners.get()
    response = client.post(
        reverse("programme:approval", args=[programme.pk, owner.pk]),
        {"approved_by": "KF", "approved_on": "2099-01-01", "decision_reference": "§ 1"},
    )
    assert response.status_code == 200
    owner.refresh_from_db()
    assert owner.approved_on is None


def test_the_review_reminder_shows_before_and_after_the_due_date(client, programme, coordinator):
    client.force_login(coordinator)
    # Due 31.12.2026; today 23.11.2026 is within the 180 days warned of.
    page = client.get(reverse("programme:detail", args=[programme.pk])).content.decode()
    assert 'id="review-alert"' in page and "alert-warning" in page
    with time_machine.travel("2027-01-05 10:00 +0200", tick=False):
        client.force_login(coordinator)  # the earlier session has expired meanwhile
        page = client.get(reverse("programme:detail", args=[programme.pk])).content.decode()
    assert "alert-danger" in page
    Programme.objects.filter(pk=programme.pk).update(review_due=D(2029, 12, 31))
    page = client.get(reverse("programme:detail", args=[programme.pk])).content.decode()
    assert 'id="review-alert"' not in page
