"""The figures of a known data set (conftest.dataset), each filter, timeliness per rule."""

import datetime

import pytest

from hemkommun.casework.models import Deadline, Rule, RuleKind
from hemkommun.reports.statistics import statistics

from ..factories import make_client
from .conftest import compute, d, summary, table

pytestmark = pytest.mark.django_db


def test_figures_of_the_year(dataset, narpes):
    figures = summary(compute([narpes]))
    assert figures == {
        "clients_registered": "4",
        "clients_active": "2",
        "clients_new": "2",
        "contacts": "4",  # two named, two anonymous; 31.12.2025 23:30 in Helsinki is last year
        "assessments": "1",  # the draft and the one of 2025 not
        "plans": "1",
        "referrals": "2",
        "arrival_groups": "1",
        "arrival_persons": "3",
        "sessions": "2",
        "participants": "7",  # two named clients once each, five anonymous
    }


def test_breakdowns(dataset, narpes):
    stats = compute([narpes])
    assert table(stats, "clients_by_sex") == {
        "F": ["1", "2"],
        "M": ["1", "0"],
        "X": ["0", "0"],
        "": ["0", "0"],
        "total": ["2", "2"],
    }
    assert table(stats, "clients_by_age") == {
        "0-17": ["1", "0"],
        "18-29": ["0", "0"],
        "30-64": ["1", "1"],
        "65+": ["0", "1"],
        "unknown": ["0", "0"],
        "total": ["2", "2"],
    }
    by_language = table(stats, "clients_by_language")
    assert by_language["ar"] == ["2", "1"] and by_language["so"] == ["0", "1"]
    assert by_language["other"] == ["0", "0"] and by_language[""] == ["0", "0"]
    assert table(stats, "clients_by_residence_ground")["quota_refugee"] == ["1", "1"]
    assert table(stats, "clients_by_organisation") == {"545": ["2", "2"], "total": ["2", "2"]}
    assert table(stats, "contacts_by_channel") == {
        "visit": ["1"],
        "phone": ["1"],
        "chat": ["2"],
        "outreach": ["0"],
        "total": ["4"],
    }
    assert table(stats, "contacts_by_kind") == {"named": ["2"], "anonymous": ["2"], "total": ["4"]}
    outcomes = table(stats, "referrals_by_outcome")
    assert outcomes["accepted"] == ["1"] and outcomes["rejected"] == ["1"] and outcomes["completed"] == ["0"]


def test_both_municipalities_and_one_of_them(dataset, narpes, vasa):
    both = compute([narpes, vasa])
    assert summary(both)["clients_active"] == "3"
    assert summary(both)["contacts"] == "6"
    assert summary(both)["assessments"] == "2"
    assert table(both, "clients_by_organisation") == {
        "545": ["2", "2"],
        "905": ["1", "1"],
        "total": ["3", "3"],
    }
    only_vasa = compute([narpes, vasa], organisations=(vasa,))
    assert summary(only_vasa)["clients_active"] == "1"


def test_a_chosen_organisation_outside_the_scope_gives_nothing(dataset, narpes, vasa):
    """statistics() itself never counts beyond its scope, whatever the filters say."""
    stats = compute([narpes], organisations=(vasa,))
    assert set(summary(stats).values()) <= {"0"}
    assert stats.organisations == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            {"sex": "F"},
            {
                "clients_registered": "2",
                "clients_active": "1",
                "clients_new": "2",
                "contacts": "1",
                "arrival_persons": "2",
                "participants": "4",
                "referrals": "1",
            },
        ),
        (
            {"age_group": "0-17"},
            {
                "clients_active": "1",
                "clients_new": "0",
                "contacts": "1",
                "arrival_persons": "1",
                "assessments": "0",
            },
        ),
        ({"age_group": "18-29"}, {"clients_active": "0", "contacts": "2", "arrival_persons": "0"}),
        (
            {"language": "ar"},
            {
                "clients_active": "2",
                "clients_new": "1",
                "contacts": "4",
                "arrival_persons": "3",
                "participants": "5",
            },
        ),
        ({"language": "ku"}, {"clients_active": "0", "contacts": "0", "arrival_persons": "1"}),
        (
            {"residence_ground": "asylum"},
            {
                "clients_active": "1",
                "referrals": "1",
                "contacts": "1",
                "arrival_persons": "0",
                "participants": "1",
            },
        ),
        (
            {"residence_ground": "quota_refugee"},
            {"arrival_groups": "1", "arrival_persons": "3", "plans": "1"},
        ),
        (
            {"date_from": d("2025-01-01"), "date_to": d("2025-12-31")},
            {
                "clients_new": "1",
                "contacts": "2",
                "assessments": "1",
                "referrals": "1",
                "sessions": "1",
                "participants": "1",
                "clients_registered": "2",
            },
        ),
        (
            {"date_from": d("2026-03-01"), "date_to": d("2026-03-31")},
            {
                "clients_active": "1",
                "clients_new": "1",
                "contacts": "1",
                "arrival_persons": "3",
                "sessions": "0",
            },
        ),
    ],
)
def test_filters_narrow(dataset, narpes, filters, expected):
    figures = summary(compute([narpes], **filters))
    assert {key: figures[key] for key in expected} == expected


def test_unit_filter(dataset, narpes):
    unit = narpes.units.first()
    figures = summary(compute([narpes], unit=unit))
    assert figures["clients_active"] == "1"  # only Ali has the unit as responsible
    assert figures["contacts"] == "4"  # every contact was recorded in the unit
    assert figures["arrival_persons"] == "–" and figures["sessions"] == "–"  # not a unit's


def test_age_is_counted_at_the_end_of_the_period(narpes, counsellor_narpes):
    # Born 31.12.2008: 17 on 30.12.2026, 18 on 31.12.2026.
    make_client(
        narpes,
        by=counsellor_narpes,
        birth_year=2008,
        birth_month=12,
        birth_day=31,
        client_since=d("2026-02-01"),
    )
    whole_year = table(compute([narpes]), "clients_by_age")
    assert whole_year["18-29"] == ["0", "1"]
    to_30th = table(compute([narpes], date_to=d("2026-12-30")), "clients_by_age")
    assert to_30th["0-17"] == ["0", "1"]


def _deadline(client, rule, due, met=None, n=0):
    return Deadline.objects.create(
        client=client,
        rule=rule,
        kind=rule.kind,
        starts_on=due - datetime.timedelta(days=60 + n),
        due_on=due,
        met_on=met,
    )


def test_timeliness_per_rule(narpes, counsellor_narpes):
    """Today is 15.6.2026: a deadline due in April and not met is missed; one due in September open."""
    assessment = Rule.objects.filter(
        kind=RuleKind.ASSESSMENT_START, rule_set__jurisdiction="mainland"
    ).first()
    review = Rule.objects.filter(kind=RuleKind.PLAN_REVIEW, rule_set__jurisdiction="mainland").first()
    client = make_client(narpes, by=counsellor_narpes, client_since=None)
    Deadline.objects.filter(client=client).delete()
    _deadline(client, assessment, d("2026-02-01"), d("2026-01-20"), 1)  # on time
    _deadline(client, assessment, d("2026-03-01"), d("2026-03-05"), 2)  # late
    _deadline(client, assessment, d("2026-04-01"), None, 3)  # missed
    _deadline(client, assessment, d("2026-09-01"), None, 4)  # still open
    _deadline(client, assessment, d("2025-12-01"), None, 5)  # due last year: not in the period
    _deadline(client, review, d("2026-05-01"), d("2026-05-01"), 6)  # met on the day: on time
    rows = table(compute([narpes]), "timeliness")
    assert rows[f"{assessment.rule_set.code}:{assessment.kind}"] == ["4", "1", "1", "1", "1", "33 %"]
    assert rows[f"{review.rule_set.code}:{review.kind}"] == ["1", "1", "0", "0", "0", "100 %"]
    assert len(rows) == 2


def test_only_open_deadlines_have_no_share(narpes, counsellor_narpes):
    rule = Rule.objects.filter(kind=RuleKind.ASSESSMENT_START).first()
    client = make_client(narpes, by=counsellor_narpes, client_since=None)
    _deadline(client, rule, d("2026-10-01"))
    (row,) = table(compute([narpes]), "timeliness").values()
    assert row == ["1", "0", "0", "0", "1", "–"]


def test_a_bounded_number_of_queries(dataset, narpes, vasa, counsellor_narpes, django_assert_max_num_queries):
    with django_assert_max_num_queries(18):
        compute([narpes, vasa], sex="F", age_group="30-64", language="ar")
    for n in range(10):
        make_client(narpes, by=counsellor_narpes, family_name=f"Extra{n}", native_language="fa")
    with django_assert_max_num_queries(18):
        statistics  # noqa: B018 (the same function, more data)
        compute([narpes, vasa])
