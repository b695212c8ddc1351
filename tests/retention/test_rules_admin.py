"""Administrators keep the retention rules in the admin: every change in the change log, a rule
that makes no sense refused with the field's message, destruction records never changed."""

import pytest
from django.urls import reverse
from django.utils import translation

from hemkommun.organizations.models import User
from hemkommun.retention.models import DestructionRecord, RetentionRule


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw-long-enough-1"))
    return client


def rule_form(**fields):
    return {
        "record_type": "read_log",
        "valid_from": "2027-01-01",
        "years": "3",
        "months": "0",
        "counted_from": "created",
        "action": "erase",
        "legal_source": "Närpes plan 2027, 4.1",
        **fields,
    }


def test_a_rule_is_added_and_its_change_is_logged(admin_client):
    response = admin_client.post(reverse("admin:retention_retentionrule_add"), rule_form())
    assert response.status_code == 302
    rule = RetentionRule.objects.get(valid_from="2027-01-01")
    assert rule.history.count() == 1 and not rule.is_default


def test_a_read_log_cannot_be_anonymised(admin_client):
    response = admin_client.post(reverse("admin:retention_retentionrule_add"), rule_form(action="anonymise"))
    assert response.status_code == 200
    with translation.override("fi"):
        assert translation.gettext("This record type can only be erased.") in response.content.decode()
    assert not RetentionRule.objects.filter(valid_from="2027-01-01").exists()


def test_the_rules_are_listed_and_destruction_records_cannot_be_added(admin_client):
    assert admin_client.get(reverse("admin:retention_retentionrule_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:retention_destructionrecord_add")).status_code == 403
    assert not DestructionRecord.objects.exists()
