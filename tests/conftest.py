import os

import pytest

from hemkommun.organizations.models import Role

from .factories import OrganisationFactory, UserFactory, ensure_rule_sets, make_client


def pytest_sessionfinish(session, exitstatus):
    """Under CI=true nothing may be skipped: a skip turns the run red."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") == "true" and skipped and session.exitstatus == 0:
        reporter.write_line(f"CI=true: {len(skipped)} skipped tests count as failures", red=True)
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is right for staff and far too slow for the suite's thousand test users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def law_rule_sets(request):
    """The deadline rule sets that casework migration 0002 loads. A transactional test (browser
    tests, the demo loader) ends by flushing every table, those rows included, and pytest-django
    runs the tests it cannot classify after those: every test with a database checks they are
    there (one query; inside a rolled-back test it costs nothing more)."""
    uses_database = {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if not uses_database:
        return
    request.getfixturevalue("transactional_db" if "db" not in uses_database else "db")
    ensure_rule_sets()


@pytest.fixture
def narpes(db):
    return OrganisationFactory.municipality("545", "Närpes")


@pytest.fixture
def vasa(db):
    return OrganisationFactory.municipality("905", "Vasa")


@pytest.fixture
def counsellor_narpes(narpes):
    return UserFactory.with_role(Role.COUNSELLOR, narpes, username="counsellor.narpes")


@pytest.fixture
def counsellor_vasa(vasa):
    return UserFactory.with_role(Role.COUNSELLOR, vasa, username="counsellor.vasa")


@pytest.fixture
def narpes_client(narpes, counsellor_narpes):
    return make_client(narpes, by=counsellor_narpes, family_name="Järvinen", given_names="Oleksandr")
