"""Load test: staff working normally, against gunicorn and PostgreSQL (scripts/load.sh).

Each simulated staff member signs in through both steps (password, then a code from their
authenticator app), then, with a few seconds between clicks, searches for clients, opens their
pages and timelines, looks at the worklist and the referral inbox, records a contact now and then,
and, as a coordinator, reads the statistics. The staff are made by bench/load_staff.py.
"""

import json
import os
import random
import re
import sys
from pathlib import Path

import pyotp
from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_staff import LOAD_PASSWORD, ROLES, totp_secret, username  # noqa: E402

# Names that are common in the generated register (bench/generate.py), typed as staff type them.
SEARCHES = [
    "jarvinen",
    "virtanen",
    "korhonen",
    "hamalainen",
    "ahmad",
    "hassan",
    "mohammed",
    "ali",
    "jarv",
    "sjoholm",
]
CLIENT_LINK = re.compile(r'href="/clients/(\d+)/"')
ORGANISATION_FIELD = re.compile(r'name="organisation" value="(\d+)"')
_next_number = iter(range(10_000))


class Staff(HttpUser):
    wait_time = between(1, 4)  # a person reading the page before the next click

    def on_start(self) -> None:
        self.number = next(_next_number)
        self.name = username(self.number)
        self.role = ROLES[self.number % len(ROLES)]
        self.clients: list[str] = []
        self.sign_in()

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def sign_in(self) -> None:
        self.client.get("/login/", name="/login/")
        data = {
            "username": self.name,
            "password": LOAD_PASSWORD,
            "next": "/",
            "csrfmiddlewaretoken": self.csrf(),
        }
        self.client.post("/login/", data, name="/login/ (password)")
        code = pyotp.TOTP(totp_secret(self.name)).now()
        data = {"code": code, "csrfmiddlewaretoken": self.csrf()}
        with self.client.post(
            "/login/verify/", data, name="/login/verify/ (code)", catch_response=True
        ) as reply:
            if "/login/" in reply.url:  # still on a sign-in page: the code was refused
                reply.failure(f"{self.name}: the second step failed")

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="/")

    @task(4)
    def search(self) -> None:
        reply = self.client.get(f"/clients/?q={random.choice(SEARCHES)}", name="/clients/?q=…")
        self.clients = CLIENT_LINK.findall(reply.text)[:25] or self.clients

    @task(4)
    def client_page(self) -> None:
        if self.clients:
            self.client.get(f"/clients/{random.choice(self.clients)}/", name="/clients/[id]/")

    @task(1)
    def timeline(self) -> None:
        if self.clients:
            self.client.get(f"/casework/clients/{random.choice(self.clients)}/timeline/", name="timeline")

    @task(2)
    def worklist(self) -> None:
        self.client.get("/casework/worklist/", name="/casework/worklist/")

    @task(1)
    def referral_inbox(self) -> None:
        self.client.get("/casework/referrals/", name="/casework/referrals/")

    @task(1)
    def record_contact(self) -> None:
        if not self.clients:
            return
        address = f"/casework/clients/{random.choice(self.clients)}/contacts/new/"
        form = self.client.get(address, name="contact form")
        organisation = ORGANISATION_FIELD.search(form.text)
        data = {
            "csrfmiddlewaretoken": self.csrf(),
            "organisation": organisation.group(1) if organisation else "",
            "channel": "visit",
            "language": "ar",
            "duration_minutes": "20",
            "topics": ["work", "housing"],
            "notes": "Asked about language courses (load test).",
        }
        with self.client.post(address, data, name="contact form (save)", catch_response=True) as reply:
            if "/contacts/new/" in reply.url:  # the form came back: refused
                reply.failure("the contact was not saved")

    @task(1)
    def statistics(self) -> None:
        if self.role == "coordinator":
            self.client.get("/reports/statistics/", name="/reports/statistics/")


# Every request's time, so that the report can give the percentiles of the work apart from the
# sign-ins (a one-off per session, slow on purpose: argon2).
TIMES_FILE = os.environ.get("LOAD_TIMES_FILE", "")
_times: list[tuple[str, float, bool]] = []


@events.request.add_listener
def _record(name, response_time, exception, **_kwargs) -> None:
    _times.append((name, response_time, exception is not None))


@events.quitting.add_listener
def _finish(environment, **_kwargs) -> None:
    """The target is no errors: a run with any fails, so a script can tell."""
    if TIMES_FILE:
        Path(TIMES_FILE).write_text(json.dumps(_times))
    if environment.stats.total.num_failures:
        environment.process_exit_code = 1
