import pytest

from hemkommun.api.models import ApiToken
from hemkommun.organizations.models import Role
from hemkommun.webhooks import events, sending
from hemkommun.webhooks.models import Subscription

from ..factories import UserFactory
from . import receiver as receiver_module

ALL_SCOPES = "clients:read,contacts:read,assessments:read,plans:read,referrals:read,reception:read"
ALL_EVENTS = (
    "client.created,client.changed,contact.recorded,plan.agreed,plan.changed,referral.sent,referral.changed"
)


@pytest.fixture(autouse=True)
def local_receivers_allowed(settings):
    # The test receiver listens on http://127.0.0.1: both are refused in production.
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOW_PRIVATE = True


@pytest.fixture(autouse=True)
def send_at_once(monkeypatch):
    """The cluster is not running in the tests: a queued delivery is sent right away, in the
    test's thread, to the receiver's thread."""
    queued = []

    def run(func, *args, **kwargs):
        assert func == sending.SEND_TASK
        queued.append(args)
        sending.deliver(*args)

    monkeypatch.setattr(events, "async_task", run)
    monkeypatch.setattr(sending, "async_task", run)
    return queued


@pytest.fixture
def receiver():
    target = receiver_module.Receiver()
    server = receiver_module.start(target)
    yield target
    server.shutdown()
    server.server_close()


@pytest.fixture
def integration(narpes):
    """The staff account of Närpes's partner system: a counsellor's view of Närpes's clients."""
    return UserFactory.with_role(Role.COUNSELLOR, narpes, username="integration.narpes")


def subscribe(user, url: str, *, scopes: str = ALL_SCOPES, events: str = ALL_EVENTS, **token_fields):
    token = ApiToken(name="Partner system", user=user, scopes=scopes, **token_fields)
    token.issue_key()
    token.save()
    subscription = Subscription(name="Partner hook", token=token, url=url, event_types=events)
    subscription.issue_secret()
    subscription.save()
    return subscription
