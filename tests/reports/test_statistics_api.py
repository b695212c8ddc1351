"""The statistics through the API (/api/v1/statistics/): the page's figures, always suppressed as
for sharing, for the organisations the token's account reports on, and nothing else."""

import pytest
from django.utils import translation

from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role

from ..api.helpers import bearer, issue
from ..factories import UserFactory
from .conftest import compute

URL = "/api/v1/statistics/"


def _cells(answer, key: str) -> dict[str, list]:
    table = next(t for t in answer["tables"] if t["key"] == key)
    rows = {row["key"]: row["cells"] for row in table["rows"]}
    if table["total"]:
        rows["total"] = table["total"]["cells"]
    return rows


def test_a_coordinator_gets_the_figures_for_sharing(client, dataset, narpes, coordinator_narpes):
    key = issue(coordinator_narpes, "statistics:read")
    response = client.get(URL, {"date_from": "2026-01-01", "date_to": "2026-12-31"}, **bearer(key))
    assert response.status_code == 200
    answer = response.json()
    assert answer["exact"] is False and answer["organisations"] == [narpes.code]
    expected = compute([narpes], exact=False)
    for table in expected.tables:
        got = _cells(answer, table.key)
        for row in table.rows:
            assert [cell["value"] for cell in got[row.key]] == [cell.value for cell in row.cells]
    summary = _cells(answer, "summary")
    # Närpes has 1-4 of most things in this small data set: small groups carry no value, only why.
    small = [cell for cells in summary.values() for cell in cells if cell["suppressed"] == "small"]
    assert small and all(cell["value"] is None for cell in small)
    assert not ReadEvent.objects.exists()


def test_the_filters_narrow_as_on_the_page(client, dataset, narpes, coordinator_narpes):
    key = issue(coordinator_narpes, "statistics:read")
    answer = client.get(URL, {"sex": "F", "language": "ar"}, **bearer(key)).json()
    expected = compute([narpes], exact=False, sex="F", language="ar")
    got = _cells(answer, "summary")
    assert {k: [c["value"] for c in v] for k, v in got.items()} == {
        row.key: [cell.value for cell in row.cells] for row in expected.table("summary").rows
    }


@pytest.mark.parametrize(
    "query",
    [
        {"organisation": "905"},  # Vasa: not the account's
        {"organisation": "<script>"},
        {"unit": "99999999999999999999"},
    ],
)
def test_an_organisation_or_unit_not_the_accounts_is_not_found(client, dataset, coordinator_narpes, query):
    key = issue(coordinator_narpes, "statistics:read")
    response = client.get(URL, query, **bearer(key))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "Vaasa" not in response.content.decode() and "<script>" not in response.content.decode()


def test_a_period_given_by_its_start_runs_to_the_end_of_that_year(client, dataset, coordinator_narpes):
    key = issue(coordinator_narpes, "statistics:read")
    answer = client.get(URL, {"date_from": "2025-03-01"}, **bearer(key)).json()
    assert (answer["date_from"], answer["date_to"]) == ("2025-03-01", "2025-12-31")
    answer = client.get(URL, {"date_to": "2024-05-31"}, **bearer(key)).json()
    assert (answer["date_from"], answer["date_to"]) == ("2024-01-01", "2024-05-31")


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "2026-13-45"},
        {"date_from": "2026-06-01", "date_to": "2026-01-01"},
        {"sex": "' OR 1=1 --"},
        {"colour": "red"},
    ],
)
def test_bad_filters_are_refused_in_the_one_error_shape(client, dataset, coordinator_narpes, query):
    key = issue(coordinator_narpes, "statistics:read")
    response = client.get(URL, query, **bearer(key))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and set(error["fields"]) <= set(query) | {"__all__"}


def test_a_filter_given_twice_is_refused(client, dataset, coordinator_narpes):
    key = issue(coordinator_narpes, "statistics:read")
    response = client.get(f"{URL}?sex=F&sex=M", **bearer(key))
    assert response.status_code == 400 and "sex" in response.json()["error"]["fields"]


def test_without_the_scope_or_a_reporting_role_nothing(client, dataset, narpes, coordinator_narpes):
    assert client.get(URL, **bearer(issue(coordinator_narpes, "clients:read"))).status_code == 403
    counsellor = UserFactory.with_role(Role.COUNSELLOR, narpes)
    response = client.get(URL, **bearer(issue(counsellor, "statistics:read")))
    assert response.status_code == 403
    with translation.override("fi"):
        assert response.json()["error"]["message"] == translation.gettext(
            "The account follows the figures of no organisation."
        )
    assert client.get(URL).status_code == 401


def test_reporting_staff_of_another_municipality_see_only_their_own(client, dataset, vasa):
    reporting = UserFactory.with_role(Role.REPORTING, vasa)
    answer = client.get(URL, **bearer(issue(reporting, "statistics:read"))).json()
    assert answer["organisations"] == [vasa.code]
