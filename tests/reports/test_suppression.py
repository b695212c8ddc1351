"""Small groups suppressed for sharing: the rule (reports.suppression) and who gets what."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hemkommun.organizations.models import Membership, Role
from hemkommun.reports.suppression import suppress_line

from ..factories import UserFactory, make_client
from .conftest import compute, d, summary, table


def test_a_single_small_cell_takes_the_smallest_other_with_it():
    """30 + 3 + 12 = 45: with only the 3 hidden, 45 − 30 − 12 would give it away."""
    result = suppress_line([30, 3, 12], 45)
    assert result.small == {1}
    assert result.complementary == {2}
    assert not result.hide_total


def test_two_small_cells_that_could_be_told_apart_take_a_third():
    # 4 + 4 of a total 58: both pinned at 4 (each is at most 4 and they add up to 8).
    result = suppress_line([50, 4, 4], 58)
    assert result.small == {1, 2}
    assert result.complementary == {0}
    assert not result.hide_total


def test_two_small_cells_that_cannot_be_told_apart_are_enough():
    result = suppress_line([50, 2, 3], 55)
    assert result.small == {1, 2} and result.complementary == set()


def test_the_total_is_hidden_when_nothing_else_would_do():
    # 1 and 5 of 6: hiding the 5 too leaves 6 = 1..4 + at least 5, so the 1 would still show.
    result = suppress_line([1, 5, 0], 6)
    assert result.hide_total


def test_zeros_are_shown_and_small_totals_hide_themselves():
    assert not suppress_line([0, 0, 7], 7).small
    result = suppress_line([1, 2, 0], 3)
    assert result.small == {0, 1} and not result.hide_total  # the total 3 is itself shown as <5


@pytest.mark.django_db
def test_subtraction_does_not_reveal_a_small_group(narpes, counsellor_narpes, fi):
    """Six new women and two new men: the total 8 minus the 6 would tell the 2."""
    for n in range(6):
        make_client(narpes, by=counsellor_narpes, family_name=f"F{n}", sex="F", client_since=d("2026-03-01"))
    for n in range(2):
        make_client(narpes, by=counsellor_narpes, family_name=f"M{n}", sex="M", client_since=d("2026-03-01"))
    exact = compute([narpes])
    assert table(exact, "clients_by_sex")["F"] == ["0", "6"]
    shared = compute([narpes], exact=False)
    by_sex = table(shared, "clients_by_sex")
    assert by_sex["M"][1] == "<5"
    assert by_sex["F"][1] == "x"  # the next smallest, so that 8 − 6 cannot be done
    assert by_sex["X"][1] == "0" and by_sex[""][1] == "0"
    assert by_sex["total"][1] == "8" == summary(shared)["clients_new"]
    cells = shared.table("clients_by_sex").rows
    assert all(row.cells[1].value is None for row in cells if row.key in ("F", "M"))


@pytest.mark.django_db
def test_timeliness_rows_are_suppressed_too(narpes, counsellor_narpes):
    import datetime

    from hemkommun.casework.models import Deadline, Rule, RuleKind

    rule = Rule.objects.filter(kind=RuleKind.ASSESSMENT_START).first()
    client = make_client(narpes, by=counsellor_narpes, client_since=None)
    for n in range(9):
        met = d("2026-01-10") if n < 7 else None
        Deadline.objects.create(
            client=client,
            rule=rule,
            kind=rule.kind,
            starts_on=d("2025-10-01") + datetime.timedelta(days=n),
            due_on=d("2026-02-01"),
            met_on=met,
        )
    (row,) = table(compute([narpes]), "timeliness").values()
    assert row == ["9", "7", "0", "2", "0", "78 %"]
    (row,) = table(compute([narpes], exact=False), "timeliness").values()
    # 2 missed is small; 9 − 7 would give it away, so the 7 goes too, and the share with them.
    assert row == ["9", "x", "0", "<5", "0", "x"]


@pytest.fixture
def fi():
    from django.utils import translation

    with translation.override("fi"):
        yield


@pytest.mark.django_db
def test_who_gets_exact_figures(dataset, narpes, vasa, client, coordinator_narpes, reporting_narpes, welfare):
    """Exact only for a municipality's own coordinator, and not when ticked for sharing."""

    def page(user, **params):
        client.force_login(user)
        response = client.get(
            "/reports/statistics/", {"date_from": "2026-01-01", "date_to": "2026-12-31", **params}
        )
        assert response.status_code == 200
        return summary(response.context["stats"])

    assert page(coordinator_narpes)["clients_active"] == "2"
    assert page(coordinator_narpes, for_sharing="on")["clients_active"] == "<5"
    assert page(reporting_narpes)["clients_active"] == "<5"
    both = UserFactory.with_role(Role.COORDINATOR, narpes, username="both")
    Membership.objects.create(user=both, unit=vasa.units.first(), role=Role.REPORTING)
    assert page(both)["clients_active"] == "<5"  # 3, but Vasa's figures are not theirs to see exactly
    assert page(both, organisation="545")["clients_active"] == "2"


@pytest.mark.django_db
def test_a_welfare_area_and_a_reporting_role_never_get_exact_figures(narpes, welfare, reporting_narpes):
    from hemkommun.access import policy

    coordinator = UserFactory.with_role(Role.COORDINATOR, welfare, username="coordinator.welfare")
    assert not policy.statistics_exact(coordinator, {welfare.pk}, for_sharing=False)
    assert not policy.statistics_exact(reporting_narpes, {narpes.pk}, for_sharing=False)
    assert not policy.statistics_exact(coordinator, set(), for_sharing=False)


@given(st.lists(st.integers(min_value=0, max_value=9), min_size=1, max_size=4))
@settings(max_examples=300, deadline=None)
def test_no_hidden_small_count_can_be_worked_out(values):
    """Brute force: every assignment a reader who knows the rule could not rule out, and each
    hidden small count must have at least two possible values."""
    total = sum(values)
    result = suppress_line(values, total)
    if total < 5 or result.hide_total or not result.small:
        return
    hidden = sorted(result.small | result.complementary)
    shown = [v for i, v in enumerate(values) if i not in hidden and v > 0]
    ceiling = min(shown) if shown else total
    ranges = [range(1, 5) if i in result.small else range(5, ceiling + 1) for i in hidden]
    rest = total - sum(v for i, v in enumerate(values) if i not in hidden)
    possible = [combo for combo in itertools.product(*ranges) if sum(combo) == rest]
    for position, i in enumerate(hidden):
        if i in result.small:
            assert len({combo[position] for combo in possible}) >= 2, (values, result)
