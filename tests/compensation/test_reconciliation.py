"""The state's payment specification against the forecast: missing, extra and wrong payments."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from hemkommun.compensation.reconciliation import SpecificationError, parse_specification, reconcile
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role

from ..factories import UserFactory, make_client

D = datetime.date
CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
ADULT, CHILD = Decimal("162.92"), Decimal("541.92")


def hetu(birth: str, serial: int) -> str:
    """A valid personal identity code for a date DDMMYY (born in the 1900s or 2000s)."""
    century = "-" if int(birth[4:]) > 30 else "A"
    number = f"{birth}{serial:03d}"
    return f"{birth}{century}{serial:03d}{CHECK[int(number) % 31]}"


@pytest.fixture
def people(narpes):
    adult = make_client(
        narpes,
        residence_ground="quota_refugee",
        birth_year=1980,
        identity_code=hetu("010180", 123),
        home_municipality_date=D(2025, 2, 1),
    )
    child = make_client(
        narpes,
        residence_ground="quota_refugee",
        birth_year=2022,
        birth_month=3,
        birth_day=4,
        identity_code=hetu("040322", 456),
        home_municipality_date=D(2025, 2, 1),
    )
    asylum = make_client(
        narpes,
        residence_ground="asylum",
        birth_year=1990,
        identity_code=hetu("050590", 789),
        home_municipality_date=D(2025, 6, 1),
    )
    worker = make_client(
        narpes,
        residence_ground="work",
        birth_year=1991,
        identity_code=hetu("060691", 321),
        home_municipality_date=D(2025, 6, 1),
    )
    return {"adult": adult, "child": child, "asylum": asylum, "worker": worker}


def specification(lines: list[tuple[str, str, str]], separator: str = ";") -> bytes:
    rows = [separator.join(["identity_code", "month", "amount_eur", "note"])]
    rows += [separator.join([code, month, amount, "x"]) for code, month, amount in lines]
    return ("\ufeff" + "\n".join(rows) + "\n").encode()


@translation.override("en")
def test_missing_extra_and_wrong_payments_are_listed_with_the_sum_at_stake(narpes, people):
    adult, child, asylum, worker = (people[k] for k in ("adult", "child", "asylum", "worker"))
    unknown = hetu("070785", 555)
    payments = parse_specification(
        specification(
            [
                (adult.identity_code, "2026-01", "162,92"),
                (adult.identity_code, "2026-02", "162.92"),
                (child.identity_code, "2026-01", "162.92"),  # paid at the 7-and-over rate
                (child.identity_code, "2026-02", "541.92"),
                (asylum.identity_code, "2026-02", "162.92"),  # January not paid
                (worker.identity_code, "2026-01", "162.92"),  # work does not qualify
                (unknown, "2026-01", "162.92"),  # no such client
            ]
        )
    )
    result = reconcile(payee=narpes, payments=payments)
    found = {(d.kind, d.client_id, d.month): d for d in result.differences}
    assert set(found) == {
        ("different", child.pk, D(2026, 1, 1)),
        ("missing", asylum.pk, D(2026, 1, 1)),
        ("extra", worker.pk, D(2026, 1, 1)),
        ("extra", None, D(2026, 1, 1)),
    }
    assert result.matched == 4
    assert found[("different", child.pk, D(2026, 1, 1))].at_stake == CHILD - ADULT
    assert "Under 7" in found[("different", child.pk, D(2026, 1, 1))].reason
    assert found[("missing", asylum.pk, D(2026, 1, 1))].at_stake == ADULT
    assert (
        found[("extra", worker.pk, D(2026, 1, 1))].reason
        == "The residence ground does not qualify in that month."
    )
    assert found[("extra", None, D(2026, 1, 1))].reason == "No client has this identity code."
    # Owed: the child's difference and the missing month; paid too much: two extra payments.
    assert result.at_stake == (CHILD - ADULT) + ADULT - 2 * ADULT
    # Forecast: two months each of the adult, the child and the asylum client; paid: seven lines.
    assert result.forecast_total == 2 * ADULT + 2 * CHILD + 2 * ADULT
    assert result.paid_total == 5 * ADULT + ADULT + CHILD


@translation.override("en")
def test_a_client_of_another_municipality_is_not_revealed(narpes, vasa, people):
    elsewhere = make_client(
        vasa,
        residence_ground="asylum",
        birth_year=1990,
        identity_code=hetu("080890", 111),
        home_municipality_date=D(2025, 6, 1),
    )
    result = reconcile(
        payee=narpes,
        payments=parse_specification(specification([(elsewhere.identity_code, "2026-01", "162.92")])),
    )
    (difference,) = [d for d in result.differences if d.kind == "extra"]
    assert difference.client_id is None and difference.reason == "No client has this identity code."


@pytest.mark.parametrize(
    "content, message",
    [
        (b"identity_code;month\n", "Columns missing or named twice: amount_eur"),
        (
            b"identity_code,month,amount_eur,amount_eur\nX,2026-01,1,2\n",
            "Columns missing or named twice: amount_eur",
        ),
        (
            b"identity_code,month,amount_eur\n131052-308T,2026-01,162,92\n",
            "Line 2: the line has another number of columns than the header",
        ),
        (
            specification([("X", "2026-01", "1e999999999")]),
            "Line 2: the amount is not a sum of euros and cents",
        ),
        (specification([("X", "2026-01", "1.001")]), "Line 2: the amount is not a sum of euros and cents"),
        (specification([("X", "1999-12", "1")]), "Line 2: the month is not between 2000 and 2099"),
        (b'identity_code;month;amount_eur\r"x' + b"y" * 140000 + b'"', "The file cannot be read as CSV."),
        (specification([("X", "2026-13", "1")]), "Line 2: write the month as YYYY-MM"),
        (specification([("X", "2026-01", "ten")]), "Line 2: the amount is not a number"),
        (specification([("", "2026-01", "1")]), "Line 2: the identity code is missing"),
        (b"\xff\xfe\x00", "The file is not UTF-8 text."),
    ],
)
@translation.override("en")
def test_a_bad_file_is_refused_with_a_message_by_line(content, message):
    with pytest.raises(SpecificationError) as excinfo:
        parse_specification(content)
    assert message in excinfo.value.messages


@time_machine.travel("2026-03-15 10:00 +0200", tick=False)
def test_the_page_reconciles_an_upload_and_logs_the_clients_shown(client, narpes, people):
    coordinator = UserFactory.with_role(Role.COORDINATOR, narpes)
    client.force_login(coordinator)
    upload = SimpleUploadedFile(
        "maksut.csv",
        specification([(people["adult"].identity_code, "2026-01", "100.00")]),
        content_type="text/csv",
    )
    response = client.post(
        reverse("compensation:reconciliation"), {"payee": narpes.pk, "specification": upload}
    )
    result = response.context["result"]
    # The adult paid too little; the child and the asylum client not at all; the worker is not due.
    assert [(d.kind, d.client_id) for d in result.differences] == [
        ("different", people["adult"].pk),
        ("missing", people["child"].pk),
        ("missing", people["asylum"].pk),
    ]
    logged = set(ReadEvent.objects.filter(user=coordinator).values_list("client_id", flat=True))
    assert logged == {people[key].pk for key in ("adult", "child", "asylum")}


def test_the_page_refuses_a_bad_file_without_an_error_page(client, narpes):
    client.force_login(UserFactory.with_role(Role.COORDINATOR, narpes))
    for name, content in (
        ("spec.csv", b"nonsense\n"),
        ("spec.exe", b"MZ"),
        ("spec.csv", b"identity_code,month,amount_eur\n"),
    ):
        upload = SimpleUploadedFile(name, content)
        response = client.post(
            reverse("compensation:reconciliation"), {"payee": narpes.pk, "specification": upload}
        )
        assert response.status_code == 200 and response.context["form"].errors["specification"]


@pytest.mark.parametrize("role", [Role.COUNSELLOR, Role.CASE_WORKER, Role.DATA_PROTECTION_OFFICER])
def test_roles_without_compensation_may_not_reconcile(client, narpes, role):
    client.force_login(UserFactory.with_role(role, narpes))
    assert client.get(reverse("compensation:reconciliation")).status_code == 404


def test_another_payees_id_is_refused(client, narpes, vasa, people):
    client.force_login(UserFactory.with_role(Role.COORDINATOR, vasa))
    upload = SimpleUploadedFile("spec.csv", specification([(people["adult"].identity_code, "2026-01", "1")]))
    response = client.post(
        reverse("compensation:reconciliation"), {"payee": narpes.pk, "specification": upload}
    )
    assert "payee" in response.context["form"].errors and response.context["result"] is None


def test_a_client_held_by_another_organisation_keeps_its_sums_but_not_its_name(client, narpes, vasa, people):
    held = make_client(
        vasa,
        municipality_of_residence=narpes,
        residence_ground="asylum",
        birth_year=1990,
        identity_code=hetu("090990", 222),
        home_municipality_date=D(2025, 6, 1),
    )
    coordinator = UserFactory.with_role(Role.COORDINATOR, narpes)
    client.force_login(coordinator)
    upload = SimpleUploadedFile("spec.csv", specification([(held.identity_code, "2026-01", "100.00")]))
    result = client.post(
        reverse("compensation:reconciliation"), {"payee": narpes.pk, "specification": upload}
    ).context["result"]
    (difference,) = [d for d in result.differences if d.identity_code == held.identity_code]
    assert (difference.kind, difference.client_id, difference.at_stake) == (
        "different",
        None,
        ADULT - Decimal("100.00"),
    )
    with translation.override("fi"):  # the pages speak Finnish
        assert difference.reason == translation.gettext("A client whose case another organisation holds.")
    assert not ReadEvent.objects.filter(client=held).exists()
