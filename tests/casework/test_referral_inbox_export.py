"""The referral inbox as CSV and .xlsx: the page's sections and access, every row, the filters
noted, formulas inert, clients named only where the user may open them, every client logged."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from hemkommun.casework import referral_selectors, referral_views
from hemkommun.casework.models import Referral
from hemkommun.casework.referral_views import INBOX_EXPORT_COLUMNS
from hemkommun.casework.services import referrals as services
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Organisation, Role

from ..factories import OrganisationFactory, UserFactory, make_client

FORMULA = '=HYPERLINK("http://example.com","x")'


@pytest.fixture
def welfare(db):
    # A name a spreadsheet would run as a formula: the file must show it, never run it.
    return OrganisationFactory(
        kind=Organisation.Kind.WELFARE_AREA, code="welfare", name_fi=FORMULA, name_sv=FORMULA
    )


@pytest.fixture
def worker(narpes):
    return UserFactory.with_role(Role.CASE_WORKER, narpes, username="case.narpes")


@pytest.fixture
def social_worker(welfare):
    return UserFactory.with_role(Role.SOCIAL_WORKER, welfare, username="social.welfare")


@pytest.fixture
def holder(narpes, worker):
    return make_client(narpes, by=worker, family_name="Haddad", given_names="Amal")


@pytest.fixture
def referral(worker, holder, welfare):
    return services.referral_send(
        consent_given="oral",
        by=worker,
        client=holder,
        to_organisation=welfare,
        kind=Referral.Kind.SOCIAL_CARE,
        reason="Needs help",
    )


def url(file_format: str) -> str:
    return reverse("casework:referral_inbox_export", args=[file_format])


def read(response) -> tuple[list[str], list[list]]:
    """The notes above the table, and the table (header first), from either kind of file."""
    if response["Content-Type"].startswith("text/csv"):
        lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        lines = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    header_at = lines.index(INBOX_EXPORT_COLUMNS)
    notes = [line[0] for line in lines[: header_at - 1]]
    return notes, lines[header_at:]


def fi(message: str, **values) -> str:
    with translation.override("fi"):
        return translation.gettext(message) % values if values else translation.gettext(message)


def test_the_sender_exports_the_sent_referral_named_with_formulas_inert(client, worker, holder, referral):
    client.force_login(worker)
    response = client.get(url("csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="referrals-' in response["Content-Disposition"]
    notes, table = read(response)
    assert "case.narpes" in notes[0]
    filters = fi(
        "none: every open incoming referral, the latest %(limit)s closed and sent",
        limit=referral_selectors.INBOX_LIMIT,
    )
    assert fi("Filters: %(filters)s", filters=filters) in notes
    with translation.override("fi"):
        kind_label = str(Referral.Kind.SOCIAL_CARE.label)
        status_label = str(Referral.Status.SENT.label)
    assert table[1:] == [
        [
            "sent",
            fi("Sent by your organisation"),
            str(referral.pk),
            str(holder.pk),
            "Haddad, Amal",
            "social_care",
            kind_label,
            "Närpes",
            "'" + FORMULA,
            referral.sent_on.isoformat(),
            referral.due_on.isoformat(),
            "0",
            "sent",
            status_label,
        ]
    ]
    assert ReadEvent.objects.filter(
        user=worker, client=holder, action=ReadEvent.Action.EXPORT, context=url("csv")
    ).exists()


def test_the_receiver_gets_a_record_number_until_the_share_opens(client, social_worker, holder, referral):
    client.force_login(social_worker)
    notes, table = read(client.get(url("xlsx")))
    assert [(row[0], row[3], row[4]) for row in table[1:]] == [("awaiting", str(holder.pk), "")]
    assert "Haddad" not in " ".join(" ".join(row) for row in table)
    assert fi("A client whose record you may not open is given by record number only.") in notes
    # Even unnamed, the row is data about the client: the export is in the client's read log.
    assert ReadEvent.objects.filter(
        user=social_worker, client=holder, action=ReadEvent.Action.EXPORT
    ).exists()
    services.referral_accept(by=social_worker, referral=referral)
    _notes, table = read(client.get(url("xlsx")))
    assert [(row[0], row[4], row[12]) for row in table[1:]] == [("accepted", "Haddad, Amal", "accepted")]


def test_every_row_of_the_inbox_is_in_the_file(client, worker, holder, welfare):
    for number in range(60):
        services.referral_send(
            consent_given="oral",
            by=worker,
            client=holder,
            to_organisation=welfare,
            kind=Referral.Kind.SOCIAL_CARE,
            reason=f"r{number}",
        )
    client.force_login(worker)
    _notes, table = read(client.get(url("csv"), {"page": "2"}))
    assert len(table) - 1 == 60


def test_another_municipalitys_staff_get_none_of_it(client, vasa, referral):
    outsider = UserFactory.with_role(Role.CASE_WORKER, vasa)
    client.force_login(outsider)
    response = client.get(url("csv"))
    assert response.status_code == 200
    _notes, table = read(response)
    assert table[1:] == [] and "Haddad" not in response.content.decode("utf-8-sig")
    assert not ReadEvent.objects.filter(user=outsider).exists()


def test_reporting_is_refused_as_on_the_page(client, narpes, welfare, referral):
    for organisation in (narpes, welfare):
        client.force_login(UserFactory.with_role(Role.REPORTING, organisation))
        assert client.get(reverse("casework:referral_inbox")).status_code == 403
        for file_format in ("csv", "xlsx"):
            assert client.get(url(file_format)).status_code == 403
    assert not ReadEvent.objects.filter(action=ReadEvent.Action.EXPORT).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, referral):
    response = client.get(url("csv"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_beyond_the_limit_the_user_is_sent_back_with_a_message(client, worker, referral, monkeypatch):
    monkeypatch.setattr(referral_views, "INBOX_EXPORT_ROWS", 0)
    client.force_login(worker)
    response = client.get(url("xlsx"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("casework:referral_inbox"))
    message = fi("More than %(limit)s referrals: too many to export at once.", limit=0)
    assert message in [str(m) for m in response.context["messages"]]
    assert not ReadEvent.objects.filter(action=ReadEvent.Action.EXPORT).exists()


def test_the_inbox_offers_both_files(client, worker, referral):
    client.force_login(worker)
    page = client.get(reverse("casework:referral_inbox")).content.decode()
    assert f'href="{url("csv")}?"' in page and f'href="{url("xlsx")}?"' in page
