"""The client's page (asiakkaan sivu): what it shows, built in one place for the page itself and
for the small forms posted from it (household, share, consent), which show it again, with their
errors and what was typed, when the input is refused."""

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hemkommun.access import policy
from hemkommun.access.forms import ConsentForm, ShareForm
from hemkommun.casework.selectors import client_casework

from . import selectors
from .forms import HouseholdJoinForm
from .models import Client, HouseholdMember


def client_page_context(
    request: HttpRequest,
    client: Client,
    *,
    household_form: HouseholdJoinForm | None = None,
    share_form: ShareForm | None = None,
    consent_form: ConsentForm | None = None,
) -> dict:
    """The page's context; a form given (the one posted, with its errors) replaces the empty one.

    Showing the page is a read of the client's data, so it is logged here, once per page shown:
    a refused post shows the page in place of the redirect that used to show it, so the read log
    records the same one read as before for the same thing seen."""
    user = request.user
    basis = selectors.log_detail_read(user=user, client=client)
    may_view_read_log = policy.can_view_read_log(user, client)
    return {
        "client": client,
        "basis": basis,
        "languages": client.languages.all(),
        "earlier_residences": client.earlier_residences.select_related("municipality"),
        "household": _household_of(client),
        "history": _history_of(client),
        "may_edit": policy.can_edit_client(user, client),
        "may_share": policy.can_share_client(user, client),
        "may_view_read_log": may_view_read_log,
        "read_events": (
            client.read_events.select_related("user", "share").order_by("-at")[:50]
            if may_view_read_log
            else None
        ),
        "shares": client.shares.select_related("organisation").order_by("-valid_until"),
        "share_form": share_form if share_form is not None else ShareForm(client=client),
        "consents": client.consents.select_related("recorded_by", "withdrawn_by").order_by(
            "-given_on", "-pk"
        ),
        "may_record_consent": policy.can_record_consent(user, client),
        "consent_form": consent_form if consent_form is not None else ConsentForm(),
        "household_form": household_form if household_form is not None else HouseholdJoinForm(),
        "casework": client_casework(user=user, client=client),
    }


def render_client_page(
    request: HttpRequest, client: Client, *, status: int = 200, **forms: Form
) -> HttpResponse:
    """The client's page; ``forms`` as client_page_context takes them."""
    return render(
        request, "clients/detail.html", client_page_context(request, client, **forms), status=status
    )


def refused(request: HttpRequest, client: Client, **forms: Form) -> HttpResponse:
    """The page again for a post from it that was refused: 400, the posted form bound and marked."""
    return render_client_page(request, client, status=400, **forms)


def _household_of(client: Client):
    try:
        member = client.household_member
    except HouseholdMember.DoesNotExist:
        return []
    # A household lives inside the organisation holding the case, as its members do.
    return member.household.members.select_related("client").exclude(client=client)


def _history_of(client: Client) -> list[tuple]:
    """The latest changes as (entry, [(field label, old, new)]), in the reader's language."""

    def shown(value) -> str:
        return "–" if value in (None, "", "None") else value

    entries = client.history.select_related("actor", "content_type").order_by("-timestamp")[:50]
    return [
        (
            entry,
            [
                (label, shown(values[0]), shown(values[-1]))
                for label, values in entry.changes_display_dict.items()
            ],
        )
        for entry in entries
    ]
