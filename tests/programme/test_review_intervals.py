"""The review date of a programme from the law's review interval (law data, ReviewInterval)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from hemkommun.organizations.models import Jurisdiction, Role
from hemkommun.programme import services
from hemkommun.programme.models import Programme, ReviewInterval
from hemkommun.programme.parsing import parse_file
from hemkommun.programme.samples import SEED_002

from ..factories import OrganisationFactory, UserFactory

D = datetime.date


def _import(owners, by, period, review_due=None):
    return services.programme_import(
        by=by,
        owners=owners,
        period=period,
        parsed=parse_file(SEED_002.read_bytes(), SEED_002.name),
        title="Programme",
        review_due=review_due,
    )


@pytest.fixture
def coordinator(narpes):
    return UserFactory.with_role(Role.COORDINATOR, narpes)


def test_the_mainland_reviews_at_least_every_four_years_under_both_acts(narpes, coordinator):
    # Written from the acts: 1386/2010 until 2024, 681/2023 from 2025, both every four years.
    assert _import([narpes], coordinator, services.Period(2021, 2024)).review_due == D(2024, 12, 31)
    assert _import([narpes], coordinator, services.Period(2026, 2029)).review_due == D(2029, 12, 31)
    sources = set(ReviewInterval.objects.values_list("legal_source", flat=True))
    assert any("1386/2010" in source for source in sources) and any(
        "681/2023" in source for source in sources
    )


def test_a_changed_interval_applies_to_programmes_that_begin_after_it(narpes, coordinator):
    current = ReviewInterval.objects.get(jurisdiction=Jurisdiction.MAINLAND, valid_until__isnull=True)
    current.valid_until = D(2029, 12, 31)
    current.save()
    ReviewInterval.objects.create(
        jurisdiction=Jurisdiction.MAINLAND, valid_from=D(2030, 1, 1), years=3, legal_source="A new act"
    )
    assert _import([narpes], coordinator, services.Period(2029, 2030)).review_due == D(2032, 12, 31)
    assert _import([narpes], coordinator, services.Period(2030, 2032)).review_due == D(2032, 12, 31)


def test_without_an_interval_in_force_the_date_must_be_given(coordinator, narpes):
    jomala = OrganisationFactory.municipality("170", "Jomala")
    jomala.jurisdiction = Jurisdiction.ALAND
    jomala.save()
    aland_coordinator = UserFactory.with_role(Role.COORDINATOR, jomala)
    with pytest.raises(ValidationError) as refused:
        _import([jomala], aland_coordinator, services.Period(2026, 2028))
    assert refused.value.error_dict["review_due"][0].code == "review_due_required"
    given = _import([jomala], aland_coordinator, services.Period(2026, 2028), review_due=D(2028, 6, 30))
    assert given.review_due == D(2028, 6, 30)
    # A joint programme across jurisdictions has no one interval either.
    with pytest.raises(ValidationError):
        _import([jomala, narpes], aland_coordinator, services.Period(2026, 2028))


def test_the_page_shows_the_missing_date_as_a_form_error(client, coordinator, narpes):
    ReviewInterval.objects.all().delete()
    client.force_login(coordinator)
    response = client.post(
        reverse("programme:import"),
        {
            "owners": [narpes.pk],
            "period": "2026-2028",
            "language": "sv",
            "title": "Programme",
            "file": SimpleUploadedFile(SEED_002.name, SEED_002.read_bytes()),
        },
    )
    assert response.status_code == 200
    with translation.override("fi"):
        message = translation.gettext(
            "No review interval is in force for these municipalities: give the date the review is due."
        )
    assert message in response.content.decode()
    assert not Programme.objects.exists()
