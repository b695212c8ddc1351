"""Reads of the client register. Every read starts from the access module and is logged."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from hemkommun.access import policy
from hemkommun.core.audit import record_reads
from hemkommun.core.text import search_words

from .dates import parse_birth_date
from .models import Client, ClientNameToken


@dataclass(frozen=True)
class ClientSearch:
    """What a user searches for; every part is optional."""

    text: str = ""
    date_of_birth: str = ""
    identity_code: str = ""

    def is_empty(self) -> bool:
        return not (self.text.strip() or self.date_of_birth.strip() or self.identity_code.strip())


def client_get(*, user, pk: int) -> Client:
    """One client the user may see, else 404: another organisation's id reveals nothing."""
    try:
        return (
            policy.visible_clients(user)
            .select_related(
                "organisation", "responsible_unit", "responsible_worker", "municipality_of_residence"
            )
            .get(pk=pk)
        )
    except (Client.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def client_search(*, user, search: ClientSearch) -> QuerySet[Client]:
    """Visible clients matching the search, ordered by Latin name. Raises ValidationError on a bad date."""
    clients = policy.visible_clients(user)
    words = search_words(search.text)
    if search.text.strip() and not words:
        # Only punctuation or symbols ("%", "_", "' --"): no name matches, rather than every name.
        return clients.none()
    if words:
        clients = _filter_by_name(clients, words)
    if search.date_of_birth.strip():
        year, month, day = parse_birth_date(search.date_of_birth)
        clients = clients.filter(birth_year=year)
        # A record known only to the year (or month) may still be the person searched for.
        if month:
            clients = clients.filter(Q(birth_month=month) | Q(birth_month__isnull=True))
        if day:
            clients = clients.filter(Q(birth_day=day) | Q(birth_day__isnull=True))
    if search.identity_code.strip():
        clients = clients.filter(identity_code=search.identity_code.strip().upper())
    return clients.select_related("organisation").order_by("family_name_latin", "given_names_latin", "id")


# A name search first fetches the ids of the clients a word matches, up to this many, and then
# looks the clients up by primary key. Left as a subquery, PostgreSQL tends to walk the name-ordered
# index hunting for matches, which is slow for common names. Words matching more clients (short
# prefixes) stay subqueries: other words or the access rule then narrow the list.
MATCHED_IDS_LIMIT = 5_000


def _filter_by_name(clients: QuerySet[Client], words: list[str]) -> QuerySet[Client]:
    """Clients having, for every word, a name word that starts with it."""
    matched_ids: set[int] | None = None
    broad_words = []
    for word in words:
        rows = list(_token_prefix(word).values_list("client_id", flat=True)[: MATCHED_IDS_LIMIT + 1])
        if len(rows) > MATCHED_IDS_LIMIT:
            broad_words.append(word)
        else:
            matched_ids = set(rows) if matched_ids is None else matched_ids & set(rows)
    if matched_ids is not None:
        clients = clients.filter(id__in=sorted(matched_ids))
    for word in broad_words:
        clients = clients.filter(id__in=_token_prefix(word).values("client_id"))
    return clients


def _token_prefix(prefix: str) -> QuerySet[ClientNameToken]:
    tokens = ClientNameToken.objects.all()
    if connection.vendor == "postgresql":
        # LIKE 'prefix%' uses the varchar_pattern_ops index.
        return tokens.filter(token__startswith=prefix)
    # SQLite's LIKE is case-insensitive and skips the index; a range on the binary-ordered
    # column does not. Tokens are lower-case ASCII, so '{' sorts after every continuation.
    return tokens.filter(token__gte=prefix, token__lt=prefix + "{")


def log_list_reads(*, user, clients, action: str, context: str = "") -> None:
    """Log that these clients were shown to the user in a list or search result."""
    record_reads(user=user, client_ids=[client.pk for client in clients], action=action, context=context)
