import pytest

from hemkommun.core.audit import record_reads
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role

from ..factories import UserFactory, make_client, make_share

IDENTITY_CODE = "131052-308T"


@pytest.fixture
def dpo_narpes(narpes):
    return UserFactory.with_role(Role.DATA_PROTECTION_OFFICER, narpes, username="dpo.narpes")


@pytest.fixture
def vasa_client(vasa, counsellor_vasa):
    return make_client(vasa, by=counsellor_vasa, family_name="Vasabo", given_names="Hemlig")


@pytest.fixture
def coded_client(narpes, counsellor_narpes):
    return make_client(
        narpes,
        by=counsellor_narpes,
        family_name="Koodinen",
        given_names="Kaisa",
        identity_code=IDENTITY_CODE,
        birth_year=1952,
        birth_month=10,
        birth_day=13,
    )


@pytest.fixture
def log(narpes, vasa, counsellor_narpes, counsellor_vasa, narpes_client, vasa_client):
    """Närpes' counsellor reads a Närpes client and a Vasa client shared with Närpes; Vasa's
    counsellor reads a Vasa client only, and a Närpes client shared with Vasa."""
    make_share(vasa_client, narpes)
    make_share(narpes_client, vasa)
    record_reads(user=counsellor_narpes, client_ids=[narpes_client.pk], action=ReadEvent.Action.DETAIL)
    record_reads(user=counsellor_narpes, client_ids=[vasa_client.pk], action=ReadEvent.Action.DETAIL)
    record_reads(user=counsellor_vasa, client_ids=[vasa_client.pk], action=ReadEvent.Action.LIST)
    record_reads(user=counsellor_vasa, client_ids=[narpes_client.pk], action=ReadEvent.Action.SEARCH)
