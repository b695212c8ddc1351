"""Possible duplicates of a client (kaksoiskappale / dubblett) across scripts and spellings.

A person is registered again when a name is written in another script or spelling
(Олександр / Oleksandr / Aleksandr, محمد / Mohammed / Muhammad), with the given and family
names swapped, without diacritics, or with a birth date known only to the year. This module
finds the records that may be the same person, with a score; docs/duplicates.md has the
method and its measured precision and recall.

Every name word is folded to a *key*: transliterated to Latin letters, spelled in one way
(ph→f, x→ks, j→y, ...) and reduced to a consonant skeleton (Mohammed, Muhammad → mgmd).
Client.name_key stores a client's keys. The database only narrows the search (a trigram index
on PostgreSQL, the birth-year index on SQLite); one scoring function in Python decides, so
both databases propose the same candidates.
"""

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from anyascii import anyascii
from django.contrib.postgres.lookups import TrigramSimilar
from django.db import connections
from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.db.models.lookups import Contains

from hemkommun.access import policy
from hemkommun.core.audit import record_reads
from hemkommun.core.models import ReadEvent

from .models import Client

# --- name keys ------------------------------------------------------------------------------

# Finnish transliteration of Russian and Ukrainian (Ševtšenko) spelled as the English one
# (Shevchenko) before anyascii, which would drop the hačeks and lose the difference.
_FINNISH_DIGRAPHS = (("tš", "ch"), ("š", "sh"), ("ž", "zh"), ("č", "ch"))

# Arabic script writes long vowels with letters anyascii renders as consonants (يوسف → ywsf)
# and ʿayn and hamza as marks: here they become the vowels Latin spellings have (Yusuf).
_ARABIC_VOWELS = {
    "ا": "a",
    "أ": "a",
    "إ": "a",
    "آ": "a",
    "ع": "a",
    "ى": "a",
    "ة": "a",
    "و": "u",
    "ي": "i",
    "ی": "i",  # Farsi and Dari yeh
    "ء": "",
    "ئ": "",
    "ؤ": "",
}
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_ARABIC_ARTICLE = "ال"

# The article (al-, el-) is written or left out at will; abd- names are written in one word or
# several (Abdulrahman, Abd al-Rahman, Abdel Rahman, Abdurrahman): all become abd + the rest.
# The article's l goes where a consonant follows (Abdul-rahman, Abdul-lah), not before a vowel
# (Abdu-lahi); a lone Abdi or Abdu is a name of its own and is not joined to the next word.
_ARTICLES = frozenset({"al", "el"})
_JOINED_ARTICLE = re.compile(r"^[ae]l(?=[a-z]{4})")
_ABD_WORDS = frozenset({"abd", "abdul", "abdel", "abdal", "abdol", "abdoul"})
_ABD_PREFIX = re.compile(r"^abd(?:ou|u|e|a|o|i)?(?:l(?![aeiou]))?")

_DOUBLE = re.compile(r"(.)\1+")

# One spelling for sounds written in several ways, in this order (x before sh → x, c → k before
# ch → c). Vowels stay: the fold tells Hasan from Hussein, the skeleton does not.
_SPELLING = [
    (re.compile(p), r)
    for p, r in (
        (r"x", "ks"),
        (r"ck|q", "k"),
        (r"c(?!h)", "k"),
        (r"tsch|tch", "ch"),
        (r"sch|sh", "x"),
        (r"ch", "c"),
        (r"zh", "z"),
        (r"kh", "h"),
        (r"gh", "g"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"dh", "d"),
        (r"^w", "v"),
        (r"w", "u"),
        (r"j", "y"),
        (r"(?<=.)(?:iy|ii|yi|ie)(?=[^aeiou]|$)", "i"),
        (r"ou|oo", "u"),
        (r"ee", "i"),
    )
] + [(_DOUBLE, r"\1")]
_VOWELS = "aeiouy"
_VOWEL = re.compile(r"[aeiouy]")


# Names repeat (Mohammad, Ali, Shevchenko): folding each once keeps scoring hundreds of candidates
# and filling a million keys fast.
@lru_cache(maxsize=20_000)
def name_words(name: str) -> tuple[str, ...]:
    """The folded words of a name: 'Abd al-Rahman' -> ('abdrahman',), 'Юрій' -> ('yuri',)."""
    words = [word for word in _latin(name).split() if word not in _ARTICLES]
    return tuple(_fold(word) for word in _join_abd(words))


def _latin(name: str) -> str:
    text = (name or "").lower()
    for written, spoken in _FINNISH_DIGRAPHS:
        text = text.replace(written, spoken)
    text = " ".join(_arabic_word(word) for word in text.split())
    # Apostrophes are soft signs and glottal stops (Ol'ga, O'Brien): part of the word.
    text = anyascii(text).lower().replace("'", "").replace("`", "")
    return re.sub(r"[^a-z]+", " ", text)


def _arabic_word(word: str) -> str:
    if not _ARABIC_LETTER.search(word):
        return word
    if word.startswith(_ARABIC_ARTICLE) and len(word) > 3:
        word = word[2:]
    # At the start of a word waw and yaʾ are consonants (Walid, Yusuf), elsewhere mostly vowels.
    first = word[:1] if word[:1] in ("و", "ي", "ی") else _ARABIC_VOWELS.get(word[:1], word[:1])
    return first + "".join(_ARABIC_VOWELS.get(letter, letter) for letter in word[1:])


def _join_abd(words: list[str]) -> list[str]:
    joined: list[str] = []
    pending = False  # the last word was a lone abd-: this one is the rest of the name
    for word in words:
        if pending:
            joined[-1] += word
            pending = False
        elif word in _ABD_WORDS:
            joined.append("abd")
            pending = True
        else:
            joined.append(_ABD_PREFIX.sub("abd", word))
    return joined


def _fold(word: str) -> str:
    for pattern, replacement in _SPELLING:
        word = pattern.sub(replacement, word)
    return word


def skeleton(folded: str) -> str:
    """The consonants of a folded word, its first vowel kept as 'a': oleksandr, aleksandr ->
    alksndr; mohamed, muhamad -> mgmd. h and g are one letter, as Ukrainian г is either (Serhii,
    Sergei), and a final h is silent (Abdullah, Abdulla)."""
    if len(folded) > 1 and folded.endswith("h"):
        folded = folded[:-1]
    if folded[:1] in "iy" and folded[1:2] and folded[1] in _VOWELS:
        head, rest = "y", folded[1:]
    elif folded[:1] and folded[0] in _VOWELS:
        head, rest = "a", folded[1:]
    else:
        head, rest = folded[:1], folded[1:]
    return (head + _VOWEL.sub("", rest)).replace("h", "g")


def name_key(*names: str) -> str:
    """The stored key of a client's names: their skeletons, each once, sorted."""
    return " ".join(sorted({skeleton(word) for name in names for word in name_words(name)} - {""}))


def client_name_key(client: Client) -> str:
    return name_key(
        client.family_name, client.given_names, client.family_name_latin, client.given_names_latin
    )


# --- trigram similarity, as PostgreSQL's pg_trgm computes it ------------------------------------


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams of a text of lower-case words: each word padded with two spaces
    before and one after."""
    grams: set[str] = set()
    for word in text.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two texts."""
    first, second = trigrams(a), trigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


# --- comparing two people -------------------------------------------------------------------

# A candidate's score is its name similarity times the support of the birth dates; at or above
# THRESHOLD it is proposed (chosen on the labelled set of tests/clients/duplicate_set.py).
THRESHOLD = 0.75
# pg_trgm's default similarity_threshold, which its % operator (and so the index) uses: a
# candidate must have keys at least this similar on SQLite too, so the databases agree.
PREFILTER_SIMILARITY = 0.3
# Word pairs less similar than this do not count as the same name at all.
WORD_MATCH = 0.6

IDENTITY_CODE = "identity_code"
NAME = "name"


@dataclass(frozen=True)
class Person:
    """What the comparison needs of a registered client or of one being registered."""

    family_name: str
    given_names: str
    family_name_latin: str = ""
    given_names_latin: str = ""
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    identity_code_index: str = ""
    identity_code_is_temporary: bool = False
    # The name key as stored (Client.name_key): the one the database searched with.
    name_key: str = ""

    @cached_property
    def forms(self) -> list[list[str]]:
        """The name as written and in Latin letters, each a list of folded words (family and
        given names together, so that swapped names compare equal); also with the given names
        as one word (Ali Reza, Alireza) and without an article written together (Alkhatib)."""
        forms: list[list[str]] = []
        for family, given in (
            (self.family_name, self.given_names),
            (self.family_name_latin, self.given_names_latin),
        ):
            family_words, given_words = list(name_words(family)), list(name_words(given))
            joined = [_DOUBLE.sub(r"\1", "".join(given_words))] if len(given_words) > 1 else given_words
            for words in (family_words + given_words, family_words + joined):
                for variant in (words, [_JOINED_ARTICLE.sub("", word) for word in words]):
                    if variant and variant not in forms:
                        forms.append(variant)
        return forms


def probe(
    *,
    family_name: str,
    given_names: str,
    family_name_latin: str = "",
    given_names_latin: str = "",
    birth_year: int | None = None,
    birth_month: int | None = None,
    birth_day: int | None = None,
    identity_code: str = "",
) -> Person:
    """The person to look for, from what a form, an import row or a message gives."""
    index = Client._meta.get_field("identity_code_index").index_of(identity_code)
    return Person(
        family_name=family_name,
        given_names=given_names,
        family_name_latin=family_name_latin,
        given_names_latin=given_names_latin,
        birth_year=birth_year,
        birth_month=birth_month,
        birth_day=birth_day,
        identity_code_index=index,
        identity_code_is_temporary=_is_temporary(identity_code),
        name_key=name_key(family_name, given_names, family_name_latin, given_names_latin),
    )


def _is_temporary(code: str) -> bool:
    # Temporary identity codes have an individual number of 900-999.
    code = (code or "").strip()
    return len(code) == 11 and code[7:10].isdecimal() and int(code[7:10]) >= 900


def score(wanted: Person, other: Person, *, threshold: float = THRESHOLD) -> tuple[float, str] | None:
    """(score, reason) when ``other`` may be the person ``wanted``, else None."""
    if wanted.identity_code_index and wanted.identity_code_index == other.identity_code_index:
        return 1.0, IDENTITY_CODE
    if _different_codes(wanted, other):
        return None
    dates = birth_date_support(wanted, other)
    if dates is None or not _keys_close(wanted.name_key, other.name_key):
        return None
    value = round(name_similarity(wanted, other) * dates, 3)
    return (value, NAME) if value >= threshold else None


def _different_codes(first: Person, second: Person) -> bool:
    # Two permanent identity codes belong to two people; a temporary one may have been given to
    # someone who has a permanent code elsewhere.
    return bool(
        first.identity_code_index
        and second.identity_code_index
        and first.identity_code_index != second.identity_code_index
        and not (first.identity_code_is_temporary or second.identity_code_is_temporary)
    )


def _keys_close(first: str, second: str) -> bool:
    """What the database prefilters ask, asked again: a shared key word (SQLite) and pg_trgm
    similarity (PostgreSQL). Both are required, so either database finds every candidate."""
    shared = set(first.split()) & set(second.split())
    return bool(shared) and trigram_similarity(first, second) >= PREFILTER_SIMILARITY


def birth_date_support(first: Person, second: Person) -> float | None:
    """How much the birth dates support one person (1.0 the same full date), None where they
    rule it out. Dates are often known only to the year or estimated: a year-only date fits
    any day of that year, and a year one off still fits when either date is uncertain."""
    if not first.birth_year or not second.birth_year:
        return 0.85
    if abs(first.birth_year - second.birth_year) > 1:
        return None
    if first.birth_day and second.birth_day:
        same = (first.birth_year, first.birth_month, first.birth_day) == (
            second.birth_year,
            second.birth_month,
            second.birth_day,
        )
        return 1.0 if same else None
    if first.birth_year != second.birth_year:
        return 0.85
    if first.birth_month and second.birth_month:
        return 0.95 if first.birth_month == second.birth_month else None
    return 0.9


def name_similarity(first: Person, second: Person) -> float:
    """The best agreement between any written form of one name and any of the other."""
    return max((_words_similarity(one, other) for one in first.forms for other in second.forms), default=0.0)


def _words_similarity(first: list[str], second: list[str]) -> float:
    """Words paired best first, each used once, in any order (swapped names). An extra given
    name costs little: the shorter name weighs three times the longer."""
    pairs = sorted(
        ((word_similarity(a, b), i, j) for i, a in enumerate(first) for j, b in enumerate(second)),
        reverse=True,
    )
    used_first: set[int] = set()
    used_second: set[int] = set()
    total = 0.0
    for similarity, i, j in pairs:
        if similarity >= WORD_MATCH and i not in used_first and j not in used_second:
            used_first.add(i)
            used_second.add(j)
            total += similarity
    fewer, more = sorted((len(first), len(second)))
    return 0.75 * total / fewer + 0.25 * total / more


@lru_cache(maxsize=20_000)
def word_similarity(first: str, second: str) -> float:
    """Two folded words: 1.0 spelled alike; from 0.8 up with the same skeleton (Mohamed,
    Muhamad), by the spelling's trigrams; below 0.8 otherwise (typing errors), and for the
    male and female forms of a name."""
    if first == second:
        return 1.0
    spelling = trigram_similarity(first, second)
    same = skeleton(first)
    if same == skeleton(second) and not _his_and_hers(first, second):
        # A short skeleton says little (Aino and Anna are both "an"): there spelling weighs more.
        floor = 0.8 if len(same) >= 3 else 0.5
        return floor + (1 - floor) * spelling
    return 0.8 * spelling


def _his_and_hers(first: str, second: str) -> bool:
    """Farid and Farida (فريد, فريدة), Aleksandr and Aleksandra, Ivanov and Ivanova: one skeleton,
    two people. A final h is silent (Abdulla, Abdullah) and does not count."""
    endings = {word.removesuffix("h")[-1:] for word in (first, second)}
    return "a" in endings and any(ending not in _VOWELS for ending in endings)


# --- finding candidates ---------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    client_id: int
    score: float
    reason: str  # IDENTITY_CODE or NAME
    client: Client | None = None  # set on the candidates named to a user


_ROW = (
    "family_name",
    "given_names",
    "family_name_latin",
    "given_names_latin",
    "birth_year",
    "birth_month",
    "birth_day",
    "identity_code_index",
    "identity_code_is_temporary",
    "name_key",
)


def find_candidates(
    *,
    wanted: Person,
    queryset: QuerySet | None = None,
    exclude_pk: int | None = None,
    limit: int | None = 10,
    threshold: float = THRESHOLD,
) -> list[Candidate]:
    """The clients of ``queryset`` (the whole register by default) that may be ``wanted``, best
    first: one query. No access rule and no read log: duplicate_candidates adds those. A lower
    ``threshold`` is for measuring (docs/duplicates.md)."""
    rows = _prefiltered(Client.objects.all() if queryset is None else queryset, wanted)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    found = []
    for pk, *values in rows.order_by().values_list("pk", *_ROW):
        match = score(wanted, Person(**dict(zip(_ROW, values, strict=True))), threshold=threshold)
        if match:
            found.append(Candidate(client_id=pk, score=match[0], reason=match[1]))
    found.sort(key=lambda candidate: (-candidate.score, candidate.client_id))
    return found if limit is None else found[:limit]


def _prefiltered(queryset: QuerySet, wanted: Person) -> QuerySet:
    wanted_rows = Q(pk__in=[])
    if wanted.identity_code_index:
        wanted_rows |= Q(identity_code_index=wanted.identity_code_index)
    if wanted.name_key:
        vendor = connections[queryset.db].vendor
        wanted_rows |= _birth_q(wanted) & _name_q(wanted.name_key, vendor)
    return queryset.filter(wanted_rows)


def _birth_q(wanted: Person) -> Q:
    if not wanted.birth_year:
        return Q()
    year = wanted.birth_year
    return Q(birth_year__isnull=True) | Q(birth_year__range=(year - 1, year + 1))


def _name_q(key: str, vendor: str) -> Q:
    if vendor == "postgresql":
        # The % operator, answered from the GIN trigram index (migration 0007).
        return Q(TrigramSimilar(F("name_key"), Value(key)))
    # SQLite: some key word in common; the rows come from the birth-year index.
    padded = Concat(Value(" "), F("name_key"), Value(" "), output_field=TextField())
    words = Q()
    for word in key.split():
        words |= Q(Contains(padded, f" {word} "))
    return words


@dataclass(frozen=True)
class Duplicates:
    """What a user may be told: the candidates they may see, and whether others exist."""

    named: list[Candidate]
    elsewhere: bool  # candidates the user may not see: only that they exist, as for identity codes


def duplicate_candidates(*, by, exclude_pk: int | None = None, limit: int = 10, **person) -> Duplicates:
    """Possible duplicates of the person described (the keyword arguments of ``probe``), for
    ``by``: a candidate the user may not see is never named, and each one named is logged as a
    read. A fixed number of queries however many candidates there are."""
    found = find_candidates(wanted=probe(**person), exclude_pk=exclude_pk, limit=None)
    if not found:
        return Duplicates(named=[], elsewhere=False)
    # Visibility first, then the limit: hidden candidates must not take the places of visible ones.
    visible = policy.visible_clients(by).filter(pk__in=[c.client_id for c in found])
    clients = visible.select_related("organisation").in_bulk()
    named = [_with_client(c, clients[c.client_id]) for c in found if c.client_id in clients][:limit]
    record_reads(
        user=by,
        client_ids=[c.client_id for c in named],
        action=ReadEvent.Action.DUPLICATE,
        context="duplicate check",
    )
    return Duplicates(named=named, elsewhere=len(clients) < len(found))


def _with_client(candidate: Candidate, client: Client) -> Candidate:
    return Candidate(
        client_id=candidate.client_id, score=candidate.score, reason=candidate.reason, client=client
    )
