"""Every member of staff reads the compensation rules with their sources; changes are listed."""

from decimal import Decimal

import pytest
from auditlog.context import set_actor
from django.urls import reverse
from django.utils import formats, translation

from hemkommun.compensation.models import Parameter
from hemkommun.organizations.models import Role

from ..factories import UserFactory


@pytest.mark.parametrize(
    "role", [Role.COUNSELLOR, Role.COORDINATOR, Role.REPORTING, Role.DATA_PROTECTION_OFFICER]
)
def test_staff_read_the_parameters_with_their_sources(client, narpes, role):
    client.force_login(UserFactory.with_role(role, narpes))
    page = client.get(reverse("compensation:parameters")).content.decode()
    assert "https://kotoutuminen.fi/laskennallinen-korvaus" in page
    with translation.override("fi"):
        assert formats.localize(Decimal("6503.00")) in page and formats.localize(Decimal("2300.00")) in page
        assert translation.gettext("Mainland Finland") in page and translation.gettext("Åland") in page


def test_a_correction_keeps_the_earlier_value_and_shows_who_changed_it(client, narpes):
    admin = UserFactory(username="admin.user", is_superuser=True, is_staff=True)
    rate = Parameter.objects.get(
        jurisdiction="mainland", key="calculated_rate", qualifier="municipality:7_and_over"
    )
    with set_actor(admin):
        rate.value = 2000
        rate.save()
    client.force_login(UserFactory.with_role(Role.COUNSELLOR, narpes))
    changes = client.get(reverse("compensation:parameters")).context["changes"]
    assert changes[0].actor == admin and changes[0].changes_dict["value"] == ["1955.00", "2000"]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("compensation:parameters"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_only_administrators_edit_the_parameters_in_the_admin(client, narpes):
    rate = Parameter.objects.filter(key="calculated_rate").first()
    url = reverse("admin:compensation_parameter_change", args=[rate.pk])
    client.force_login(UserFactory.with_role(Role.COORDINATOR, narpes))
    assert client.get(url).status_code == 302  # to the admin's sign-in: not staff
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(url).status_code == 200


def test_the_special_cost_notes_say_what_the_source_says(db):
    threshold = Parameter.objects.filter(key="special_cost_threshold").values_list("note", flat=True)
    years = Parameter.objects.filter(key="special_cost_max_years").values_list("note", flat=True)
    assert all("must be substantial" in note for note in threshold) and len(threshold) == 2
    assert all("first home-municipality registration" in note for note in years) and len(years) == 2
