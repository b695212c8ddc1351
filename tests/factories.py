"""Factories with intention-revealing helpers: staff with a role, clients held by an organisation."""

import factory
from django.utils import timezone

from hemkommun.clients import services as client_services
from hemkommun.clients.models import Client
from hemkommun.organizations.models import Membership, Organisation, Role, Unit, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    kind = Organisation.Kind.MUNICIPALITY
    code = factory.Sequence(lambda n: f"{100 + n:03d}")
    municipality_code = factory.LazyAttribute(
        lambda o: o.code if o.kind == Organisation.Kind.MUNICIPALITY else ""
    )
    name_fi = factory.Sequence(lambda n: f"Kunta {n}")
    name_sv = factory.Sequence(lambda n: f"Kommun {n}")
    # Off in tests, so that the suite's sign-ins through the login page stay one step; the second
    # factor (on by default in the model) has its own tests in tests/accounts, which turn it on.
    mfa_required = False

    @classmethod
    def municipality(cls, code: str, name: str, **kwargs) -> Organisation:
        return cls(code=code, municipality_code=code, name_fi=name, name_sv=name, **kwargs)

    @classmethod
    def welfare_area(cls, **kwargs) -> Organisation:
        kwargs.setdefault("code", "welfare")
        return cls(
            kind=Organisation.Kind.WELFARE_AREA, name_fi="Hyvinvointialue", name_sv="Välfärdsområde", **kwargs
        )


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Unit.Kind.INTEGRATION_UNIT
    name_fi = "Kotouttamispalvelut"
    name_sv = "Integrationstjänster"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Staff{n}")
    password = factory.django.Password("demo-password-1")

    @classmethod
    def with_role(cls, role: str, organisation: Organisation, **kwargs) -> User:
        """A staff member with one role in the organisation's first unit (made if missing)."""
        user = cls(**kwargs)
        unit = organisation.units.first() or UnitFactory(organisation=organisation)
        Membership.objects.create(user=user, unit=unit, role=role)
        return user


def make_client(organisation: Organisation, *, by: User | None = None, **data) -> Client:
    """A client registered through the service, as staff would (tokens, audit and all)."""
    by = by or UserFactory.with_role(Role.ADMINISTRATOR, organisation)
    data.setdefault("family_name", "Virtanen")
    data.setdefault("given_names", "Aino")
    data.setdefault("client_since", timezone.localdate())
    return client_services.client_create(by=by, organisation=organisation, data=data)


def make_share(
    client: Client, organisation: Organisation, *, state: str = "in_force", scope: str = "basic", by=None
):
    """A share of ``client`` with ``organisation`` in a given state: in_force, expired, revoked or future.

    Made directly rather than through share_create, which (rightly) refuses periods in the past.
    """
    from datetime import timedelta

    from hemkommun.access.models import Share

    now = timezone.now()
    start, end, revoked = now - timedelta(days=10), now + timedelta(days=30), None
    if state == "expired":
        start, end = now - timedelta(days=60), now - timedelta(days=1)
    elif state == "revoked":
        revoked = now - timedelta(hours=1)
    elif state == "future":
        start = now + timedelta(days=1)
    elif state != "in_force":
        raise ValueError(state)
    return Share.objects.create(
        client=client,
        organisation=organisation,
        purpose="Referral for tests",
        scope=scope,
        valid_from=start,
        valid_until=end,
        revoked_at=revoked,
        created_by=by or UserFactory.with_role(Role.COORDINATOR, client.organisation),
    )


def ensure_rule_sets() -> None:
    """Load the deadline rule sets of casework migration 0002, the compensation parameters and
    the programme review intervals and the legal bases again if a flush removed them.

    Transactional tests end by flushing every table, the rows migrations loaded included; tests
    that run after them (pytest-django runs them last) would find no rules and no deadlines.
    """
    from importlib import import_module

    from django.apps import apps

    from hemkommun.access.models import LegalBasis
    from hemkommun.casework.models import RuleSet
    from hemkommun.compensation.models import Parameter
    from hemkommun.programme.models import ReviewInterval

    if not RuleSet.objects.exists():
        import_module("hemkommun.casework.migrations.0002_rule_sets").create_rule_sets(apps, None)
    if not Parameter.objects.exists():
        import_module("hemkommun.compensation.migrations.0002_parameters").load(apps, None)
        import_module("hemkommun.compensation.migrations.0004_special_cost_notes").forwards(apps, None)
    if not ReviewInterval.objects.exists():
        import_module("hemkommun.programme.migrations.0003_review_intervals").add_intervals(apps, None)
    if not LegalBasis.objects.exists():
        import_module("hemkommun.access.migrations.0005_legal_bases").seed(apps, None)
