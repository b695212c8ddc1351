import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hemkommun.clients import selectors, services
from hemkommun.clients.selectors import ClientSearch

from ..factories import make_client


def test_search_finds_name_typed_without_diacritics(narpes_client, counsellor_narpes):
    found = selectors.client_search(user=counsellor_narpes, search=ClientSearch(text="jarvinen"))
    assert list(found) == [narpes_client]


def test_search_finds_cyrillic_name_by_latin_spelling(narpes, counsellor_narpes):
    client = make_client(narpes, by=counsellor_narpes, family_name="Шевченко", given_names="Олександр")
    assert client.family_name_latin == "Shevchenko"
    found = selectors.client_search(user=counsellor_narpes, search=ClientSearch(text="олександр shev"))
    assert list(found) == [client]


def test_other_municipality_client_url_answers_404(client, narpes_client, counsellor_vasa):
    client.force_login(counsellor_vasa)
    response = client.get(reverse("clients:detail", args=[narpes_client.pk]))
    assert response.status_code == 404


def test_invalid_identity_code_is_refused_with_reason(narpes, counsellor_narpes):
    with pytest.raises(ValidationError) as error:
        make_client(narpes, by=counsellor_narpes, identity_code="131052-308X")
    assert "identity_code" in error.value.message_dict


def test_uncertain_birth_date_keeps_only_known_parts(narpes, counsellor_narpes):
    client = make_client(narpes, by=counsellor_narpes, birth_year=1985, birth_month=3)
    client.refresh_from_db()
    assert (client.birth_year, client.birth_month, client.birth_day) == (1985, 3, None)
    assert client.date_of_birth_display == "1985-03"


def test_update_keeps_history_with_identity_code_masked(narpes_client, counsellor_narpes):
    services.client_update(client=narpes_client, by=counsellor_narpes, data={"identity_code": "131052-308T"})
    entry = narpes_client.history.latest("timestamp")
    assert entry.actor == counsellor_narpes
    assert "131052" not in str(entry.changes)
