"""Name search answered from the name tokens (ClientResults), the paginator over it, and access."""

import pytest
from django.urls import reverse

from hemkommun.clients import selectors, services
from hemkommun.clients.models import ClientNameToken
from hemkommun.clients.selectors import ClientResults, ClientSearch
from hemkommun.core.pagination import CappedPaginator

from ..factories import UserFactory, make_client, make_share


@pytest.fixture
def aaltonens(narpes, counsellor_narpes):
    given = ["Maria", "Marko", "Aino", "Mikael"]
    return [
        make_client(narpes, by=counsellor_narpes, family_name="Aaltonen", given_names=name) for name in given
    ]


def search(user, text, **parts):
    return selectors.client_search(user=user, search=ClientSearch(text=text, **parts))


def names(user, text, **parts):
    return [c.given_names for c in search(user, text, **parts)]


def test_every_word_is_a_prefix_in_any_order(aaltonens, counsellor_narpes):
    assert isinstance(search(counsellor_narpes, "aalto"), ClientResults)
    assert names(counsellor_narpes, "aalto") == ["Aino", "Maria", "Marko", "Mikael"]
    assert names(counsellor_narpes, "aalto mar") == ["Maria", "Marko"]
    assert names(counsellor_narpes, "mar aaltonen") == ["Maria", "Marko"]
    assert names(counsellor_narpes, "aalto xyz") == []


def test_name_search_with_date_of_birth_and_identity_code(narpes, counsellor_narpes):
    make_client(narpes, by=counsellor_narpes, family_name="Aaltonen", given_names="Year", birth_year=1990)
    make_client(
        narpes,
        by=counsellor_narpes,
        family_name="Aaltonen",
        given_names="Day",
        birth_year=1990,
        birth_month=3,
        birth_day=14,
        identity_code="140390-123M",
    )
    make_client(narpes, by=counsellor_narpes, family_name="Aaltonen", given_names="Other", birth_year=1991)
    # A record known only to the year may be the person searched for by the full date.
    assert names(counsellor_narpes, "aalto", date_of_birth="1990-03-14") == ["Day", "Year"]
    assert names(counsellor_narpes, "aalto", identity_code="140390-123m") == ["Day"]
    assert names(counsellor_narpes, "aalto", identity_code="010101-123N") == []


def test_results_page_in_name_order_and_count(aaltonens, counsellor_narpes):
    results = search(counsellor_narpes, "aaltonen")
    assert (results.count(), len(results), results.exists()) == (4, 4, True)
    assert [c.given_names for c in results[1:3]] == ["Maria", "Marko"]
    assert results[3].given_names == "Mikael"
    with pytest.raises(IndexError):
        results[4]
    paginator = CappedPaginator(search(counsellor_narpes, "aaltonen"), 3)
    assert (paginator.count, paginator.num_pages, paginator.is_capped) == (4, 2, False)
    assert [c.given_names for c in paginator.page(2)] == ["Mikael"]


def test_a_client_with_two_matching_words_is_listed_once(narpes, counsellor_narpes):
    anna = make_client(narpes, by=counsellor_narpes, family_name="Annala", given_names="Anna-Liisa")
    other = make_client(narpes, by=counsellor_narpes, family_name="Annberg", given_names="Eero")
    results = search(counsellor_narpes, "ann")
    assert ClientNameToken.objects.filter(client=anna, token__startswith="ann").count() == 2
    assert (results.count(), results.capped_count(1), list(results)) == (2, 2, [anna, other])
    paginator = CappedPaginator(search(counsellor_narpes, "ann"), 1)
    assert [list(paginator.page(n)) for n in (1, 2)] == [[anna], [other]]


def test_pages_deep_in_clients_with_several_matching_words(narpes, counsellor_narpes):
    """Each client has two tokens starting with 'ann': a page past the first reads further."""
    made = [
        make_client(narpes, by=counsellor_narpes, family_name="Annala", given_names=f"Anna {n:02d}x")
        for n in range(32)
    ]
    results = search(counsellor_narpes, "ann")
    assert results[26:30] == made[26:30]
    assert list(results) == made
    assert (results.count(), results.capped_count(40), results.capped_count(5)) == (32, 32, 6)


def test_capped_count_of_clients_with_three_matching_words(narpes, counsellor_narpes):
    for n in range(2):
        make_client(narpes, by=counsellor_narpes, family_name="Annala", given_names=f"Anna Annika {n}")
    # Six tokens for two clients: the cheap count reads them all and must still say two.
    assert search(counsellor_narpes, "ann").capped_count(2) == 2


def test_paginator_counts_no_further_than_its_cap(monkeypatch, aaltonens, counsellor_narpes, client):
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    for text in ("", "aalto"):
        paginator = CappedPaginator(search(counsellor_narpes, text), 2)
        assert (paginator.count, paginator.num_pages, paginator.is_capped) == (3, 2, True)
    client.force_login(counsellor_narpes)
    client.cookies["django_language"] = "en"
    for params in ({}, {"q": "aalto"}):
        response = client.get(reverse("clients:list"), params)
        assert "More than 3 clients found" in response.content.decode()


def test_tokens_carry_organisation_and_names_and_follow_renames(narpes, counsellor_narpes):
    client = make_client(narpes, by=counsellor_narpes, family_name="Шевченко", given_names="Олександр")
    rows = set(
        ClientNameToken.objects.values_list("token", "organisation", "family_name_latin", "given_names_latin")
    )
    assert rows == {
        ("shevchenko", narpes.pk, "Shevchenko", "Oleksandr"),
        ("oleksandr", narpes.pk, "Shevchenko", "Oleksandr"),
    }
    services.client_update(
        client=client, by=counsellor_narpes, data={"family_name_latin": "Sevtsenko", "given_names_latin": ""}
    )
    rows = set(ClientNameToken.objects.values_list("token", "family_name_latin", "given_names_latin"))
    assert rows == {
        ("shevchenko", "Sevtsenko", "Oleksandr"),
        ("sevtsenko", "Sevtsenko", "Oleksandr"),
        ("oleksandr", "Sevtsenko", "Oleksandr"),
    }
    assert list(search(counsellor_narpes, "sevts")) == [client]


def test_restricted_user_finds_shared_clients_and_never_others(narpes, vasa, counsellor_vasa):
    shared = make_client(narpes, family_name="Aaltonen", given_names="Shared")
    make_client(narpes, family_name="Aaltonen", given_names="Hidden")
    make_client(narpes, family_name="Aaltonen", given_names="Expired")
    make_share(shared, vasa)
    make_share(ClientNameToken.objects.get(token="expired").client, vasa, state="expired")
    own = make_client(vasa, family_name="Aaltonen", given_names="Own")
    assert names(counsellor_vasa, "aalto") == ["Own", "Shared"]
    assert search(counsellor_vasa, "hidden").count() == 0
    assert list(search(counsellor_vasa, "aaltonen own")) == [own]
    superuser = UserFactory(is_superuser=True)
    assert names(superuser, "aalto") == ["Expired", "Hidden", "Own", "Shared"]


def test_a_token_out_of_step_with_its_client_hides_rather_than_shows(narpes, vasa, counsellor_vasa):
    """Access is checked again on the clients of the page, not only on the tokens' copies."""
    moved = make_client(narpes, family_name="Aaltonen", given_names="Moved")
    ClientNameToken.objects.filter(client=moved).update(organisation=vasa)  # as if moved without rebuild
    results = search(counsellor_vasa, "aalto")
    assert results.exists()  # the tokens say Vasa...
    assert list(results) == []  # ...but the client is Närpes's


def test_users_without_client_roles_find_nobody(aaltonens, narpes):
    from django.contrib.auth.models import AnonymousUser

    for user in (AnonymousUser(), UserFactory()):
        results = search(user, "aalto")
        assert (results.count(), list(results), results.exists()) == (0, [], False)
