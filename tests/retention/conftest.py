"""Närpes with a data-protection officer, and the default retention rules in place. Time stands
at 15.6.2026 unless a test travels."""

import datetime
from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone

from hemkommun.organizations.models import Role
from hemkommun.retention.models import RetentionRule

from ..factories import UserFactory

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-06-15 12:00 +0300", tick=False):
        yield


@pytest.fixture(autouse=True)
def default_rules(db):
    """The rules migration 0002 seeds (again, if a transactional test flushed them)."""
    if not RetentionRule.objects.exists():
        import_module("hemkommun.retention.migrations.0002_default_rules").add_defaults(apps, None)


@pytest.fixture
def dpo_narpes(narpes):
    return UserFactory.with_role(Role.DATA_PROTECTION_OFFICER, narpes, username="dpo.narpes")


@pytest.fixture
def dpo_vasa(vasa):
    return UserFactory.with_role(Role.DATA_PROTECTION_OFFICER, vasa, username="dpo.vasa")


def at(day: str, time: str = "12:00") -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day} {time}"))


def d(day: str) -> datetime.date:
    return datetime.date.fromisoformat(day)
