"""Reads of the client register. Every read starts from the access module and is logged."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from hemkommun.access import policy
from hemkommun.core.audit import record_reads
from hemkommun.core.models import ReadEvent
from hemkommun.core.text import search_words

from .dates import parse_birth_date
from .models import Client, ClientNameToken, identity_code_q


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


def client_search(*, user, search: ClientSearch) -> "QuerySet[Client] | ClientResults":
    """Visible clients matching the search, ordered by Latin name. Raises ValidationError on a bad date.

    A search with name words is answered from the name tokens (ClientResults); the others are a
    Client QuerySet. Both count, slice and iterate alike, and both put the access rule in the
    SQL that reads names.
    """
    words = search_words(search.text)
    if search.text.strip() and not words:
        # Only punctuation or symbols ("%", "_", "' --"): no name matches, rather than every name.
        return policy.visible_clients(user).none()
    if words:
        return ClientResults(user=user, tokens=_name_matches(user, words, search))
    clients = policy.visible_clients(user)
    birth = _birth_filter(search, prefix="")
    if birth is not None:
        clients = clients.filter(birth)
    if search.identity_code.strip():
        clients = clients.filter(identity_code_q(search.identity_code))
    return clients.select_related("organisation", "municipality_of_residence").order_by(
        "family_name_latin", "given_names_latin", "id"
    )


def _birth_filter(search: ClientSearch, *, prefix: str) -> Q | None:
    """The date-of-birth condition on the client fields behind ``prefix`` ("" or "client__")."""
    if not search.date_of_birth.strip():
        return None
    year, month, day = parse_birth_date(search.date_of_birth)
    condition = Q(**{f"{prefix}birth_year": year})
    # A record known only to the year (or month) may still be the person searched for.
    if month:
        condition &= Q(**{f"{prefix}birth_month": month}) | Q(**{f"{prefix}birth_month__isnull": True})
    if day:
        condition &= Q(**{f"{prefix}birth_day": day}) | Q(**{f"{prefix}birth_day__isnull": True})
    return condition


def _name_matches(user, words: list[str], search: ClientSearch) -> QuerySet[ClientNameToken]:
    """Tokens of the visible clients having, for every word, a name word starting with it.

    The tokens carry the client's organisation and Latin names, so neither the access rule nor
    the order needs the client table: PostgreSQL reads the index range of one word and never
    looks at a client row (only a date or identity code joins it). The longest word leads,
    being most likely the narrowest; the others must match too. A client may have several
    tokens starting with the leading word (Anna-Liisa Annala, 'ann'): ClientResults lists it once.
    """
    first, *others = sorted(words, key=len, reverse=True)
    tokens = _token_prefix(first)
    visible = policy.visibility_q(
        user, organisation_field="organisation_id", client_field="client_id", inline_shares=False
    )
    if visible is not None:
        tokens = tokens.filter(visible)
    for word in others:
        tokens = tokens.filter(client_id__in=_token_prefix(word).values("client_id"))
    birth = _birth_filter(search, prefix="client__")
    if birth is not None:
        tokens = tokens.filter(birth)
    if search.identity_code.strip():
        tokens = tokens.filter(identity_code_q(search.identity_code, prefix="client__"))
    return tokens


def _token_prefix(prefix: str) -> QuerySet[ClientNameToken]:
    tokens = ClientNameToken.objects.all()
    if connection.vendor == "postgresql":
        # LIKE 'prefix%' uses the varchar_pattern_ops index.
        return tokens.filter(token__startswith=prefix)
    # SQLite's LIKE is case-insensitive and skips the index; a range on the binary-ordered
    # column does not. Tokens are lower-case ASCII, so '{' sorts after every continuation.
    return tokens.filter(token__gte=prefix, token__lt=prefix + "{")


class ClientResults:
    """The clients a name search found, in list order, read a page at a time.

    ``tokens`` are the matching name tokens, one or more per client. Only the clients of the
    slice asked for are read, by primary key and again through the access rule (so that a token
    out of step with its client could hide a row, never show one). Counts, slices, iterates and
    answers ``in`` like a QuerySet, as far as the list, the paginator and the export use one.

    Why not SELECT DISTINCT in SQL: PostgreSQL then hashes or sorts every match (46,000 tokens for
    'jarvinen' in a million clients: 40-60 ms), where ORDER BY ... LIMIT keeps only the top rows
    (a top-N heapsort) and a LIMIT without order stops early. A client's tokens sort side by side,
    so the few duplicates are dropped here, reading further in the rare case that they matter.
    """

    ordered = True  # for Django's Paginator, which warns about unordered lists
    # Clients read per query: a page is one, an export of 10,000 a dozen.
    FETCH_BATCH = 900

    def __init__(self, *, user, tokens: QuerySet[ClientNameToken]) -> None:
        self.user = user
        self.tokens = tokens
        self._all: list[Client] | None = None

    def page_query(self, limit: int | None = None) -> QuerySet:
        """Client ids of the first ``limit`` tokens in list order (duplicates included)."""
        ordered = self.tokens.order_by("family_name_latin", "given_names_latin", "client_id")
        return ordered.values_list("client_id", flat=True)[:limit]

    def count_query(self, cap: int) -> QuerySet:
        """Client ids of up to 2 × (``cap`` + 1) tokens in any order: a scan that stops early."""
        return self.tokens.order_by().values_list("client_id", flat=True)[: 2 * (cap + 1)]

    def count(self) -> int:
        return self.tokens.order_by().values("client_id").distinct().count()

    def capped_count(self, cap: int) -> int:
        """How many clients match, counting no further than ``cap`` + 1 (for CappedPaginator)."""
        ids = list(self.count_query(cap))
        found = len(set(ids))
        if found > cap or len(ids) < 2 * (cap + 1):
            return min(found, cap + 1)
        # Many clients with several matching tokens: count them in the database.
        return self.tokens.order_by().values("client_id").distinct()[: cap + 1].count()

    def exists(self) -> bool:
        return self.tokens.exists()

    def __len__(self) -> int:
        return len(self._every())

    def __iter__(self):
        return iter(self._every())

    def __bool__(self) -> bool:
        return bool(self._all) if self._all is not None else self.exists()

    def __getitem__(self, index):
        if isinstance(index, int):
            if index < 0:
                raise ValueError("Negative indexing is not supported.")
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop = index.start or 0, index.stop
        if index.step not in (None, 1) or start < 0 or (stop is not None and stop < 0):
            raise ValueError("Only forward slices are supported.")
        if self._all is not None:
            return self._all[index]
        return self._clients(self._ids(stop)[start:stop])

    def _ids(self, stop: int | None) -> list[int]:
        """The first ``stop`` distinct client ids in list order (all when None)."""
        limit = None if stop is None else stop + 25
        while True:
            rows = list(self.page_query(limit))
            ids = list(dict.fromkeys(rows))
            if limit is None or len(ids) >= stop or len(rows) < limit:
                return ids
            limit *= 2  # duplicates ate into the rows: read further

    def _every(self) -> list[Client]:
        if self._all is None:
            self._all = self[:]
        return self._all

    def _clients(self, ids: list[int]) -> list[Client]:
        """These clients in this order, read in batches through the access rule."""
        found: dict[int, Client] = {}
        clients = Client.objects.select_related("organisation", "municipality_of_residence")
        visible = policy.visibility_q(self.user, inline_shares=False)
        if visible is not None:
            clients = clients.filter(visible)
        for start in range(0, len(ids), self.FETCH_BATCH):
            batch = ids[start : start + self.FETCH_BATCH]
            found.update((client.pk, client) for client in clients.filter(id__in=batch).order_by())
        return [found[client_id] for client_id in ids if client_id in found]


def log_detail_read(*, user, client: Client, context: str = "") -> "policy.Basis | None":
    """Log that the user opened this client's data, with the ground the read rested on (own
    organisation or which share); returns that ground for the page to use."""
    basis = policy.access_basis(user, client)
    record_reads(
        user=user, client_ids=[client.pk], action=ReadEvent.Action.DETAIL, basis=basis, context=context
    )
    return basis


def log_list_reads(*, user, clients, action: str, context: str = "") -> None:
    """Log that these clients were shown to the user in a list or search result."""
    record_reads(user=user, client_ids=[client.pk for client in clients], action=action, context=context)
