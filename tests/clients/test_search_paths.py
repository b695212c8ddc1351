"""Name search takes two paths (ids fetched first, or a subquery for broad words): same answers."""

import pytest
from django.urls import reverse

from hemkommun.clients import selectors
from hemkommun.clients.selectors import ClientSearch
from hemkommun.core.pagination import CappedPaginator

from ..factories import make_client


@pytest.fixture
def aaltonens(narpes, counsellor_narpes):
    given = ["Maria", "Marko", "Aino", "Mikael"]
    return [
        make_client(narpes, by=counsellor_narpes, family_name="Aaltonen", given_names=name) for name in given
    ]


def names(user, text):
    return [c.given_names for c in selectors.client_search(user=user, search=ClientSearch(text=text))]


@pytest.mark.parametrize("limit", [1, 2, 5_000])
def test_broad_and_narrow_words_give_the_same_result(monkeypatch, aaltonens, counsellor_narpes, limit):
    monkeypatch.setattr(selectors, "MATCHED_IDS_LIMIT", limit)
    assert names(counsellor_narpes, "aalto") == ["Aino", "Maria", "Marko", "Mikael"]
    assert names(counsellor_narpes, "aalto mar") == ["Maria", "Marko"]
    assert names(counsellor_narpes, "mar aaltonen") == ["Maria", "Marko"]
    assert names(counsellor_narpes, "aalto xyz") == []


def test_broad_search_still_obeys_access(monkeypatch, aaltonens, vasa, counsellor_vasa):
    monkeypatch.setattr(selectors, "MATCHED_IDS_LIMIT", 1)
    make_client(vasa, family_name="Aaltola", given_names="Ville")
    assert names(counsellor_vasa, "aalto") == ["Ville"]


def test_paginator_counts_no_further_than_its_cap(monkeypatch, aaltonens, counsellor_narpes, client):
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    paginator = CappedPaginator(selectors.client_search(user=counsellor_narpes, search=ClientSearch()), 2)
    assert (paginator.count, paginator.num_pages, paginator.is_capped) == (3, 2, True)
    client.force_login(counsellor_narpes)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("clients:list"))
    assert "More than 3 clients found" in response.content.decode()
