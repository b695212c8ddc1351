"""The client timeline: in order, and only as much as the viewer may see."""

import datetime

import time_machine
from django.urls import reverse

from hemkommun.casework.services import plans as plan_services
from hemkommun.casework.services.contacts import contact_record
from hemkommun.organizations.models import Role

from ..factories import UserFactory, make_client, make_share

D = datetime.date


@time_machine.travel("2025-06-02 10:00 +0300", tick=False)
def test_timeline_in_order_with_notes_for_the_holder_only(client, narpes, vasa, counsellor_narpes):
    worker = UserFactory.with_role(Role.CASE_WORKER, narpes)
    person = make_client(narpes, by=worker, family_name="Haidari", client_since=D(2025, 3, 3))
    with time_machine.travel("2025-05-01 09:00 +0300", tick=False):
        contact_record(
            by=counsellor_narpes,
            organisation=narpes,
            client=person,
            data={"notes": "Asked about <b>housing</b>"},
        )
    plan = plan_services.plan_create(
        by=worker,
        client=person,
        data={"drafted_on": D(2025, 5, 20), "starts_on": D(2025, 6, 1), "ends_on": D(2026, 5, 31)},
    )
    plan_services.goal_add(by=worker, plan=plan, data={"kind": "employment"})
    plan_services.plan_agree(by=worker, plan=plan, agreed_on=D(2025, 6, 1))

    client.force_login(worker)
    page = client.get(reverse("casework:timeline", args=[person.pk])).content.decode()
    order = [page.index(text) for text in ("2025-06-01", "2025-05-20", "2025-05-01")]
    assert order == sorted(order)  # newest first
    assert "Asked about &lt;b&gt;housing&lt;/b&gt;" in page

    vasa_worker = UserFactory.with_role(Role.CASE_WORKER, vasa)
    client.force_login(vasa_worker)
    url = reverse("casework:timeline", args=[person.pk])
    assert client.get(url).status_code == 404
    make_share(person, vasa)
    page = client.get(url).content.decode()
    assert "2025-05-01" in page and "housing" not in page
