"""Reception in a real browser (issue 4): a coordinator receives a family of five from the
template to the day they become clients; the welfare area sees the health task and nothing else."""

import datetime

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from hemkommun.clients.models import Client, HouseholdMember
from hemkommun.organizations.models import Role
from hemkommun.reception import agreement_services
from hemkommun.reception.models import ArrivalGroup, ArrivalTask
from hemkommun.reception.services import arrivals, housing, minors
from hemkommun.reception.services.arrivals import DEFAULT_TASKS

from ..factories import OrganisationFactory, UserFactory, make_client
from .conftest import PHONE, axe_violations, describe_violations

pytestmark = pytest.mark.browser

FAMILY = [
    ("head", "1984", "M", "ar"),
    ("spouse", "1988", "F", "ar"),
    ("child", "2012", "F", "ar"),
    ("child", "2015", "M", "ar"),
    ("child", "2021", "F", "ar"),
]
NAMES = ["Omar", "Layla", "Sara", "Yusuf", "Mira"]


def fi(text: str) -> str:
    with translation.override("fi"):
        return translation.gettext(text)


def submit(page: Page, form: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").first.click()


def assert_axe_clean(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, describe_violations(where, violations)


@pytest.fixture
def welfare(region):
    return OrganisationFactory.welfare_area(code="welfare-ostrobothnia")


@pytest.fixture
def social_worker(welfare):
    return UserFactory.with_role(
        Role.SOCIAL_WORKER, welfare, username="socialworker.welfare", first_name="Päivi", last_name="Kangas"
    )


def test_coordinator_receives_a_family_of_five_and_the_welfare_area_sees_only_health(
    new_page, region, welfare, social_worker
):
    today = timezone.localdate()
    expected = today + datetime.timedelta(days=50)
    page = new_page(user=region["coordinator"])

    # The board, then a new quota family from the template.
    page.goto("/reception/")
    assert_axe_clean(page, "board")
    with page.expect_navigation():
        page.locator("a[href='/reception/arrivals/new/quota/']").click()
    page.select_option("select[name=welfare_area]", str(welfare.pk))
    page.fill("input[name=reference]", "UM-2026-0412")
    page.fill("input[name=expected_on]", expected.isoformat())
    for row, (relation, year, sex, language) in enumerate(FAMILY):
        page.select_option(f"select[name='member-{row}-relation']", relation)
        page.fill(f"input[name='member-{row}-birth_year']", year)
        page.select_option(f"select[name='member-{row}-sex']", sex)
        page.fill(f"input[name='member-{row}-languages']", language)
    assert_axe_clean(page, "new arrival form")
    submit(page, "main form[method=post]")
    group = ArrivalGroup.objects.get(reference="UM-2026-0412")
    assert group.members.count() == 5 and group.tasks.count() == len(DEFAULT_TASKS)
    expect(page.locator("#expected-on")).to_be_visible()
    assert_axe_clean(page, "arrival page")

    # The arrival moves a week later; the open tasks move with it.
    later = expected + datetime.timedelta(days=7)
    page.fill("input[name=expected_on]", later.isoformat())
    with page.expect_navigation():
        page.locator(f"form[action='/reception/arrivals/{group.pk}/date/'] button").click()
    flat_task = group.tasks.get(offset_days=-42)
    assert flat_task.due_on == later - datetime.timedelta(days=42)

    # The municipality's tasks are done one by one; the health tasks are not theirs to mark.
    own_tasks = list(group.tasks.filter(health_related=False))
    for task in own_tasks:
        row = page.locator(f"tr[data-task='{task.pk}']")
        row.locator("select[name$='-status']").select_option("done")
        with page.expect_navigation():
            row.locator("button[type=submit]").click()
    assert set(group.tasks.filter(health_related=False).values_list("status", flat=True)) == {"done"}
    for task in group.tasks.filter(health_related=True):
        expect(page.locator(f"tr[data-task='{task.pk}'] select")).to_have_count(0)

    # On arrival: one name form per person, and the family becomes clients in one step.
    with page.expect_navigation():
        page.locator(f"a[href='/reception/arrivals/{group.pk}/convert/']").click()
    page.fill("input[name=arrived_on]", later.isoformat())
    for member, given in zip(group.members.all(), NAMES, strict=True):
        page.fill(f"input[name='person-{member.pk}-family_name']", "Haddad")
        page.fill(f"input[name='person-{member.pk}-given_names']", given)
    assert_axe_clean(page, "conversion form")
    submit(page, "main form[method=post]")
    group.refresh_from_db()
    assert group.status == "arrived"
    clients = Client.objects.filter(family_name="Haddad")
    assert sorted(clients.values_list("given_names", flat=True)) == sorted(NAMES)
    assert HouseholdMember.objects.filter(household=group.household).count() == 5
    expect(page.locator("#members")).to_contain_text("Omar")

    # The welfare area's social worker: the health task and the flags, nothing else of the file.
    welfare_page = new_page(user=social_worker)
    welfare_page.goto("/")
    with welfare_page.expect_navigation():
        welfare_page.locator("a[href='/reception/health/']").click()
    with welfare_page.expect_navigation():
        welfare_page.locator(f"a[href='/reception/health/{group.pk}/']").click()
    health_tasks = group.tasks.filter(health_related=True)
    expect(welfare_page.locator("tr.task-row")).to_have_count(health_tasks.count())
    text = welfare_page.locator("main").inner_text()
    for hidden in [task.title for task in own_tasks] + NAMES:
        assert hidden not in text
    assert_axe_clean(welfare_page, "health view")
    task = health_tasks.order_by("due_on").last()
    row = welfare_page.locator(f"tr[data-task='{task.pk}']")
    row.locator("select[name$='-status']").select_option("done")
    with welfare_page.expect_navigation():
        row.locator("button[type=submit]").click()
    assert ArrivalTask.objects.get(pk=task.pk).status == "done"
    response = welfare_page.goto(f"/reception/arrivals/{group.pk}/")
    assert response.status == 404


def test_every_reception_page_passes_axe_on_desktop_and_phone(new_page, region, welfare):
    """The pages with data on them: flats with furnishing and a family, an agreement with places
    and a round, a minor's placement, the calendar, the templates, on both viewports."""
    coordinator, narpes = region["coordinator"], region["narpes"]
    today = timezone.localdate()
    state_centre = OrganisationFactory(kind="state_centre", code="ely", name_fi="ELY-keskus")
    family = arrivals.arrival_create(
        by=coordinator,
        municipality=narpes,
        welfare_area=welfare,
        reference="UM-1",
        expected_on=today + datetime.timedelta(days=10),
        members=[{"relation": "head", "birth_year": 1980}],
    )
    flat = housing.flat_create(
        by=coordinator,
        municipality=narpes,
        data={"street_address": "Storgatan 1", "rooms": 3, "size_m2": 70, "rent_eur": 700},
    )
    housing.furnishing_add(by=coordinator, flat=flat, item="Beds", quantity=3)
    housing.flat_assign(by=coordinator, flat=flat, group=family, starts_on=family.expected_on)
    agreement = agreement_services.agreement_create(
        by=coordinator,
        municipality=narpes,
        state_centre=state_centre,
        starts_on=datetime.date(today.year, 1, 1),
        ends_on=datetime.date(today.year + 1, 12, 31),
        welfare_area=welfare,
    )
    agreement_services.places_set(
        by=coordinator, agreement=agreement, year=today.year, category="unaccompanied_minor", places=2
    )
    minor = make_client(narpes, by=coordinator, birth_year=today.year - 16, client_since=today)
    placement = minors.placement_create(
        by=coordinator,
        client=minor,
        agreement=agreement,
        kind="family_group_home",
        unit_name="Solrosen",
        starts_on=today,
    )
    urls = [
        "/reception/",
        "/reception/calendar/",
        "/reception/templates/quota/",
        "/reception/arrivals/new/reception_centre/",
        f"/reception/flats/{flat.pk}/",
        "/reception/flats/",
        "/reception/agreements/",
        f"/reception/agreements/{agreement.pk}/",
        "/reception/minors/",
        f"/reception/minors/{placement.pk}/",
    ]
    for viewport in (None, PHONE):
        page = new_page(user=coordinator, viewport=viewport)
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, url
            assert_axe_clean(page, f"{url} ({'phone' if viewport else 'desktop'})")
