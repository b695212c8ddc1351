"""Guidance contacts: anonymous drop-ins keep counts only; contacts with a client keep notes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hemkommun.casework.models import Contact, ContactTopic
from hemkommun.casework.services.contacts import contact_record

from ..factories import make_client


def codes(excinfo) -> dict[str, set[str]]:
    return {field: {e.code for e in errors} for field, errors in excinfo.value.error_dict.items()}


def test_anonymous_drop_in_keeps_counts_and_topics(narpes, counsellor_narpes):
    contact = contact_record(
        by=counsellor_narpes,
        organisation=narpes,
        data={"channel": "visit", "language": "ar", "age_group": "30-64"},
        topics=["housing", "work", "housing"],
    )
    assert contact.is_anonymous
    assert sorted(ContactTopic.objects.filter(contact=contact).values_list("topic", flat=True)) == [
        "housing",
        "work",
    ]
    assert contact.recorded_by == counsellor_narpes


def test_anonymous_contact_refuses_notes_and_database_agrees(narpes, counsellor_narpes):
    with pytest.raises(ValidationError) as excinfo:
        contact_record(by=counsellor_narpes, organisation=narpes, data={"notes": "Fatima, born 1990"})
    assert "anonymous_notes" in codes(excinfo)["notes"]
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("data", "topics", "field", "code"),
    [
        ({"interpreter_used": True}, [], "interpreter_language", "interpreter_language_missing"),
        ({"info_material": "welcome_guide"}, [], "info_language", "info_language_missing"),
        ({"channel": "telepathy"}, [], "channel", "invalid"),
        ({"duration_minutes": 0}, [], "duration_minutes", "invalid"),
        ({}, ["housing", "<script>"], "topics", "topic_code"),
    ],
)
def test_bad_contacts_are_refused_and_nothing_is_written(
    narpes, counsellor_narpes, data, topics, field, code
):
    with pytest.raises(ValidationError) as excinfo:
        contact_record(by=counsellor_narpes, organisation=narpes, data=data, topics=topics)
    assert code in codes(excinfo)[field]
    assert not Contact.objects.exists() and not ContactTopic.objects.exists()


def test_a_contact_in_the_future_is_refused(narpes, counsellor_narpes):
    later = timezone.now() + datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as excinfo:
        contact_record(by=counsellor_narpes, organisation=narpes, data={"occurred_at": later})
    assert "contact_in_future" in codes(excinfo)["occurred_at"]


def test_contact_with_a_client_keeps_notes_and_shows_on_the_profile(
    client, narpes, counsellor_narpes, narpes_client
):
    client.force_login(counsellor_narpes)
    url = reverse("casework:contact_create", args=[narpes_client.pk])
    response = client.post(
        url,
        {
            "organisation": narpes.pk,
            "channel": "phone",
            "language": "uk",
            "duration_minutes": "20",
            "topics": ["children"],
            "notes": "<b>Asked</b> about daycare",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get(client=narpes_client)
    assert (contact.channel, contact.duration_minutes, contact.topic_codes) == ("phone", 20, ["children"])
    page = client.get(reverse("clients:detail", args=[narpes_client.pk])).content.decode()
    assert "&lt;b&gt;Asked&lt;/b&gt; about daycare" in page
    assert "<b>Asked</b>" not in page


def test_failed_contact_form_keeps_what_was_typed(client, narpes, counsellor_narpes, narpes_client):
    client.force_login(counsellor_narpes)
    response = client.post(
        reverse("casework:contact_create", args=[narpes_client.pk]),
        {"organisation": narpes.pk, "channel": "visit", "interpreter_used": "on", "notes": "Needs Arabic"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Needs Arabic" in page and 'id="id_interpreter_language_error"' in page
    assert not Contact.objects.exists()


def test_drop_in_from_the_home_page_in_one_post(client, narpes, counsellor_narpes):
    client.force_login(counsellor_narpes)
    home = client.get(reverse("home")).content.decode()
    assert 'id="drop-in-form"' in home
    response = client.post(
        reverse("casework:drop_in"),
        {
            "drop_in-organisation": narpes.pk,
            "drop_in-channel": "visit",
            "drop_in-age_group": "unknown",
            "drop_in-language": "so",
            "drop_in-topics": ["residence"],
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    contact = Contact.objects.get()
    assert (contact.language, contact.topic_codes, contact.client) == ("so", ["residence"], None)


def test_drop_in_with_a_bad_value_shows_the_form_again(client, narpes, counsellor_narpes):
    client.force_login(counsellor_narpes)
    response = client.post(
        reverse("casework:drop_in"),
        {
            "drop_in-organisation": narpes.pk,
            "drop_in-channel": "visit",
            "drop_in-age_group": "unknown",
            "drop_in-language": "so",
            "drop_in-topics": ["residence"],
            "drop_in-interpreter_used": "on",
        },
    )
    assert response.status_code == 200
    assert 'id="form-errors"' in response.content.decode()
    assert not Contact.objects.exists()


def test_contacts_with_another_municipalitys_client_are_refused(narpes, vasa, counsellor_vasa):
    stranger = make_client(narpes, family_name="Ali")
    with pytest.raises(ValidationError) as excinfo:
        contact_record(by=counsellor_vasa, organisation=vasa, client=stranger, data={})
    assert excinfo.value.code == "contact_forbidden"


def test_rules_page_lists_every_rule_set_with_sources(client, counsellor_narpes):
    client.force_login(counsellor_narpes)
    page = client.get(reverse("casework:rules")).content.decode()
    for text in ("681/2023", "1386/2010 9 §", "ÅFS 2012:74"):
        assert text in page
