"""The worklist, its export and the reminders: per worker, per coordinator, and nobody else's."""

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import translation

from hemkommun.casework.models import Deadline, Notification
from hemkommun.casework.reminders import send_deadline_reminders
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role

from ..factories import UserFactory, make_client

D = datetime.date
TODAY = "2025-06-02 10:00 +0300"


@pytest.fixture
def team(narpes, vasa):
    """Two Närpes case workers with a client each, a coordinator, and a Vasa worker."""
    anna = UserFactory.with_role(Role.CASE_WORKER, narpes, username="anna", email="anna@narpes.fi")
    bo = UserFactory.with_role(Role.CASE_WORKER, narpes, username="bo", email="bo@narpes.fi")
    coordinator = UserFactory.with_role(Role.COORDINATOR, narpes, username="coordinator")
    vasa_worker = UserFactory.with_role(Role.CASE_WORKER, vasa, username="vasa.worker")
    with time_machine.travel(TODAY, tick=False):
        # Assessment due 2025-05-01: overdue on 2 June.
        late = make_client(
            narpes, by=anna, family_name="Late", client_since=D(2025, 3, 1), responsible_worker=anna
        )
        # Assessment due 2025-06-05: within a week.
        soon = make_client(
            narpes, by=bo, family_name="Soon", client_since=D(2025, 4, 5), responsible_worker=bo
        )
        # Due 1.9.2025: past both the reminder week and the 60-day worklist horizon.
        later = make_client(
            narpes, by=anna, family_name="Later", client_since=D(2025, 7, 1), responsible_worker=anna
        )
        other = make_client(
            vasa,
            by=vasa_worker,
            family_name="Vasa",
            client_since=D(2025, 3, 1),
            responsible_worker=vasa_worker,
        )
    return {
        "anna": anna,
        "bo": bo,
        "coordinator": coordinator,
        "vasa_worker": vasa_worker,
        "late": late,
        "soon": soon,
        "later": later,
        "other": other,
    }


@time_machine.travel(TODAY, tick=False)
def test_worker_sees_own_clients_most_urgent_first(client, team):
    client.force_login(team["anna"])
    page = client.get(reverse("casework:worklist")).content.decode()
    assert "Late, Aino" in page and "Soon, Aino" not in page and "Vasa, Aino" not in page
    assert "Later, Aino" not in page  # due 1.9.2025, past the 60-day horizon
    home = client.get(reverse("home")).content.decode()
    assert 'id="home-worklist"' in home and "Late, Aino" in home
    assert ReadEvent.objects.filter(user=team["anna"], client=team["late"], context="home").exists()


@time_machine.travel(TODAY, tick=False)
def test_coordinator_sees_the_organisation_by_worker_and_counts_late(client, team):
    Deadline.objects.filter(client=team["late"]).update(met_on=D(2025, 5, 10))  # met 9 days late
    client.force_login(team["coordinator"])
    page = client.get(reverse("casework:worklist"), {"scope": "organisation"}).content.decode()
    assert "Soon, Aino" in page and "Vasa, Aino" not in page
    page = client.get(
        reverse("casework:worklist"), {"scope": "organisation", "worker": team["bo"].pk}
    ).content.decode()
    assert "Soon, Aino" in page and "Late, Aino" not in page
    met = client.get(reverse("casework:worklist")).context["late"]
    assert [(row["client__responsible_worker__username"], row["met"], row["late"]) for row in met] == [
        ("anna", 1, 1)
    ]


@time_machine.travel(TODAY, tick=False)
def test_a_worker_cannot_widen_the_worklist_to_the_organisation(client, team):
    client.force_login(team["anna"])
    page = client.get(reverse("casework:worklist"), {"scope": "organisation"}).content.decode()
    assert "Soon, Aino" not in page


@time_machine.travel(TODAY, tick=False)
def test_worklist_export_has_the_columns_and_is_logged(client, team):
    client.force_login(team["coordinator"])
    response = client.get(reverse("casework:worklist_export", args=["csv"]), {"scope": "organisation"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header_at = rows.index(["client_id", "deadline", "due_date", "status", "worker"])
    with translation.override("fi"):  # the page's language: the default, Finnish
        assert translation.gettext("the organisation's clients") in rows[1][0]  # the filters, noted above
    data = rows[header_at + 1 :]
    assert [str(team["late"].pk), "assessment_start", "2025-05-01", "overdue", "anna"] in data
    assert [str(team["soon"].pk), "assessment_start", "2025-06-05", "open", "bo"] in data
    assert ReadEvent.objects.filter(action="export", client=team["soon"], user=team["coordinator"]).exists()

    response = client.get(reverse("casework:worklist_export", args=["xlsx"]), {"scope": "organisation"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert ("client_id", "deadline", "due_date", "status", "worker") in [tuple(row[:5]) for row in values]


@time_machine.travel(TODAY, tick=False)
def test_reminders_once_per_stage_with_an_email_naming_no_client(team):
    assert send_deadline_reminders() == 3  # Late (overdue), Soon (within a week), Vasa (overdue)
    assert send_deadline_reminders() == 0
    kinds = {(n.user.username, n.client.family_name, n.kind) for n in Notification.objects.all()}
    assert kinds == {
        ("anna", "Late", "overdue"),
        ("bo", "Soon", "upcoming"),
        ("vasa.worker", "Vasa", "overdue"),
    }
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["anna@narpes.fi", "bo@narpes.fi"]  # the Vasa worker has no e-mail address
    for message in mail.outbox:
        assert "Late" not in message.body and "Soon" not in message.body and "Aino" not in message.body
        assert "/casework/worklist/" in message.body
    # When 5 June has passed, Soon's deadline is overdue: a second stage, a second reminder.
    with time_machine.travel("2025-06-06 10:00 +0300", tick=False):
        assert send_deadline_reminders() == 1


@time_machine.travel(TODAY, tick=False)
def test_reminders_run_as_a_background_job(team):
    from django_q.tasks import async_task

    # sync: the task runs at once through django-q2's own machinery, as the cluster would run it.
    async_task("hemkommun.casework.reminders.send_deadline_reminders", sync=True)
    assert Notification.objects.count() == 3


@time_machine.travel(TODAY, tick=False)
def test_notifications_show_on_home_and_only_the_owner_marks_them_seen(client, team):
    send_deadline_reminders()
    notification = Notification.objects.get(user=team["anna"])
    client.force_login(team["bo"])
    assert client.post(reverse("casework:notification_read", args=[notification.pk])).status_code == 404
    client.force_login(team["anna"])
    assert 'id="notifications"' in client.get(reverse("home")).content.decode()
    client.post(reverse("casework:notification_read", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'id="notifications"' not in client.get(reverse("home")).content.decode()
