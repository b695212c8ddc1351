"""The programme list and the activities as CSV and .xlsx: the page's access and choice of
municipality, every row, the filters noted, formulas inert; no client data in them, so no read
is logged."""

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role
from hemkommun.programme import activities, services
from hemkommun.programme.activity_views import ACTIVITY_EXPORT_COLUMNS
from hemkommun.programme.models import Activity
from hemkommun.programme.parsing import parse_text
from hemkommun.programme.views import PROGRAMME_EXPORT_COLUMNS

from ..factories import OrganisationFactory, UserFactory

D = datetime.date
FORMULA = '=HYPERLINK("http://example.com","x")'
TABLE = "Grunden\nMål\tÅtgärd\tUppföljning\nMötesplatser\tSkapa mötesplatser\tAntal mötesplatser per år\n"
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel("2026-11-23 10:00 +0200", tick=False):
        yield


@pytest.fixture
def coordinator(narpes):
    return UserFactory.with_role(Role.COORDINATOR, narpes, username="coordinator.narpes")


def programme(owner, by, title: str, review_due=D(2027, 1, 10)):
    return services.programme_import(
        by=by,
        owners=[owner],
        period=services.Period(2024, 2027),
        parsed=parse_text(TABLE),
        title=title,
        review_due=review_due,
    )


def activity(municipality, by, **data) -> Activity:
    values = {
        "name": "Morgonkaffe",
        "kind": Activity.Kind.RECURRING,
        "organiser": "Integrationstjänsterna",
        "starts_on": D(2024, 1, 1),
        **data,
    }
    return activities.activity_save(by=by, municipality=municipality, data=values)


def read(response, columns) -> tuple[list[str], list[list[str]]]:
    """The notes above the table, and the rows below its header, from either kind of file."""
    assert response.status_code == 200, response.status_code
    if response["Content-Type"].startswith("text/csv"):
        lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        lines = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    header_at = lines.index(columns)
    return [line[0] for line in lines[: header_at - 1]], lines[header_at + 1 :]


def fi(message: str, **values) -> str:
    with translation.override("fi"):
        return translation.gettext(message) % values if values else translation.gettext(message)


def list_url(file_format: str) -> str:
    return reverse("programme:list_export", args=[file_format])


def activities_url(file_format: str) -> str:
    return reverse("programme:activities_export", args=[file_format])


# --- the programme list --------------------------------------------------------------------------


def test_the_programme_file_lists_the_latest_versions_with_the_review(client, narpes, vasa, coordinator):
    first = programme(narpes, coordinator, FORMULA, review_due=D(2026, 12, 1))
    revised = services.programme_revise(by=coordinator, programme=first)
    programme(vasa, UserFactory.with_role(Role.COORDINATOR, vasa), "Vasa programme")
    client.force_login(UserFactory.with_role(Role.COUNSELLOR, narpes))
    response = client.get(list_url("csv"))
    notes, rows = read(response, PROGRAMME_EXPORT_COLUMNS)
    assert (
        fi(
            "Filters: %(filters)s",
            filters=fi("none: the latest version of each programme of your municipalities"),
        )
        in notes
    )
    revised.refresh_from_db()
    assert rows == [
        [
            str(revised.pk),
            "'" + FORMULA,
            "Närpes",
            "2024",
            "2027",
            str(revised.version),
            revised.language,
            revised.review_due.isoformat(),
            "soon",
            fi("soon"),
        ]
    ]
    assert "Vasa programme" not in response.content.decode("utf-8-sig")
    _notes, rows = read(client.get(list_url("xlsx")), PROGRAMME_EXPORT_COLUMNS)
    assert [row[1] for row in rows] == ["'" + FORMULA]
    assert not ReadEvent.objects.exists()


@pytest.mark.parametrize("role", Role.values)
def test_staff_of_another_municipality_get_an_empty_file(client, vasa, narpes, coordinator, role):
    programme(narpes, coordinator, "Secret title of Närpes")
    client.force_login(UserFactory.with_role(role, vasa))
    response = client.get(list_url("csv"))
    _notes, rows = read(response, PROGRAMME_EXPORT_COLUMNS)
    assert rows == [] and "Secret title" not in response.content.decode("utf-8-sig")


def test_staff_of_a_welfare_area_find_no_programme_file(client, narpes, coordinator):
    programme(narpes, coordinator, "P")
    client.force_login(UserFactory.with_role(Role.SOCIAL_WORKER, OrganisationFactory.welfare_area()))
    assert client.get(reverse("programme:list")).status_code == 404
    for file_format in ("csv", "xlsx"):
        assert client.get(list_url(file_format)).status_code == 404


def test_the_programme_list_offers_both_files(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("programme:list")).content.decode()
    assert f'href="{list_url("csv")}?"' in page and f'href="{list_url("xlsx")}?"' in page


# --- the activities ------------------------------------------------------------------------------


def test_the_activity_file_has_the_chosen_municipalitys_activities(client, narpes, vasa, coordinator):
    coffee = activity(
        narpes, coordinator, organiser=FORMULA, schedule="Tisdagar 9–11", ends_on=D(2026, 12, 31)
    )
    activities.session_record(by=coordinator, activity=coffee, held_on=D(2025, 1, 1))
    activities.session_record(by=coordinator, activity=coffee, held_on=D(2025, 2, 1))
    course = activity(narpes, coordinator, name="Svenska", kind=Activity.Kind.COURSE, starts_on=D(2025, 8, 1))
    vasa_coordinator = UserFactory.with_role(Role.COORDINATOR, vasa, username="both")
    activity(vasa, vasa_coordinator, name="Vasa café")
    client.force_login(coordinator)
    response = client.get(activities_url("csv"))
    assert 'filename="activities-545-20261123.csv"' in response["Content-Disposition"]
    notes, rows = read(response, ACTIVITY_EXPORT_COLUMNS)
    assert notes[1] == fi("Filters: %(filters)s", filters=fi("municipality %(name)s", name="Närpes"))
    with translation.override("fi"):
        labels = {kind: str(kind.label) for kind in Activity.Kind}
    assert rows == [
        [
            str(course.pk),
            "Närpes",
            "Svenska",
            "course",
            labels[Activity.Kind.COURSE],
            "Integrationstjänsterna",
            "",
            "2025-08-01",
            "",
            "0",
        ],
        [
            str(coffee.pk),
            "Närpes",
            "Morgonkaffe",
            "recurring",
            labels[Activity.Kind.RECURRING],
            "'" + FORMULA,
            "Tisdagar 9–11",
            "2024-01-01",
            "2026-12-31",
            "2",
        ],
    ]
    assert "Vasa café" not in response.content.decode("utf-8-sig")
    assert not ReadEvent.objects.exists()


def test_the_municipality_chosen_is_noted_and_another_is_never_given(client, narpes, vasa, coordinator):
    activity(narpes, coordinator)
    both = UserFactory.with_role(Role.COORDINATOR, vasa, username="both")
    UserFactory.with_role(Role.COORDINATOR, narpes, username="both")
    activity(vasa, both, name="Vasa café")
    client.force_login(both)
    notes, rows = read(client.get(activities_url("xlsx"), {"municipality": vasa.pk}), ACTIVITY_EXPORT_COLUMNS)
    assert [row[2] for row in rows] == ["Vasa café"]
    assert fi("municipality %(name)s", name="Vasa") in notes[1]
    # Vasa's coordinator alone, asking for Närpes: Vasa's own, as on the page.
    client.force_login(UserFactory.with_role(Role.COORDINATOR, vasa))
    _notes, rows = read(
        client.get(activities_url("csv"), {"municipality": narpes.pk}), ACTIVITY_EXPORT_COLUMNS
    )
    assert [row[2] for row in rows] == ["Vasa café"]


@pytest.mark.parametrize(
    "role", [Role.REPORTING, Role.SOCIAL_WORKER, Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER]
)
def test_roles_outside_integration_work_find_no_activity_file(client, narpes, coordinator, role):
    activity(narpes, coordinator)
    client.force_login(UserFactory.with_role(role, narpes))
    for file_format in ("csv", "xlsx"):
        assert client.get(activities_url(file_format)).status_code == 404


def test_beyond_the_limit_the_user_is_sent_back_with_a_message(client, narpes, coordinator, monkeypatch):
    from hemkommun.programme import activity_views

    activity(narpes, coordinator)
    activity(narpes, coordinator, name="Two")
    monkeypatch.setattr(activity_views, "ACTIVITY_EXPORT_ROWS", 1)
    client.force_login(coordinator)
    response = client.get(activities_url("csv"), {"municipality": narpes.pk}, follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('programme:activities')}?municipality={narpes.pk}"
    message = fi("More than %(limit)s activities: too many to export at once.", limit=1)
    assert message in [str(m) for m in response.context["messages"]]


def test_the_activity_list_offers_both_files_with_the_municipality(client, narpes, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("programme:activities"), {"municipality": narpes.pk}).content.decode()
    for file_format in ("csv", "xlsx"):
        assert f'href="{activities_url(file_format)}?municipality={narpes.pk}"' in page
