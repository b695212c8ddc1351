"""The client timeline: in order, and only as much as the viewer may see."""

import datetime

import time_machine
from django.urls import reverse
from django.utils import translation

from hemkommun.casework.services import plans as plan_services
from hemkommun.casework.services.contacts import contact_record
from hemkommun.casework.services.referrals import referral_send
from hemkommun.organizations.models import Role

from ..factories import OrganisationFactory, UserFactory, make_client, make_share

D = datetime.date


@time_machine.travel("2025-06-02 10:00 +0300", tick=False)
def test_timeline_in_order_and_only_the_referrals_the_viewer_sees(client, narpes, vasa, counsellor_narpes):
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
    # A share shows the casework as the client's pages do, but not another organisation's
    # hand-overs: the referral to the welfare area is between Närpes and the welfare area.
    welfare = OrganisationFactory.welfare_area()
    referral_send(
        consent_given="oral",
        by=worker,
        client=person,
        kind="social_care",
        to_organisation=welfare,
        reason="Needs support",
        scope="basic",
    )
    make_share(person, vasa)
    page = client.get(url).content.decode()
    assert "Asked about &lt;b&gt;housing&lt;/b&gt;" in page
    with translation.override("fi"):
        referral_title = translation.gettext("Notification for a social-care needs assessment")
    assert referral_title not in page
    client.force_login(worker)
    assert referral_title in client.get(url).content.decode()
