"""Suppression of small groups in figures shared outside the unit (DOMAIN.md, data protection).

The rule, written once for the page, the files and the API:

1. A count of 1–4 is shown as "<5" (primary suppression). Zero is shown as 0: that nobody is
   in a group says nothing about a person.
2. A line of counts that adds up to a total shown elsewhere (a breakdown and its total, the
   parts of a deadline row and its "due") must not let a hidden count be worked out by
   subtraction. While some hidden count is pinned to one value by the total and what the reader
   knows (a "<5" is 1–4; an "x" is at least 5 and at most the smallest count still shown), the
   smallest count still shown (above zero) is hidden too, shown as "x" (complementary
   suppression). When nothing is left to hide, the total itself is hidden as "x", on every table
   that shows it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from math import inf

from django.utils.translation import pgettext

MIN_GROUP = 5


@dataclass(frozen=True)
class Cell:
    """A figure as shown: ``value`` is None when it is hidden or not counted."""

    value: int | None
    shown: str

    @property
    def hidden(self) -> bool:
        return self.value is None and self.shown != NOT_COUNTED


NOT_COUNTED = "–"


def small_marker() -> str:
    return pgettext("statistics", "<5")


def hidden_marker() -> str:
    return pgettext("statistics", "x")


def is_small(value: int | None) -> bool:
    return value is not None and 0 < value < MIN_GROUP


@dataclass(frozen=True)
class LineResult:
    small: frozenset[int]  # indexes shown as "<5"
    complementary: frozenset[int]  # indexes hidden as "x"
    hide_total: bool


def suppress_line(values: Sequence[int], total: int) -> LineResult:
    """Which of ``values`` (adding up to ``total``) to hide, and whether to hide the total."""
    small = {i for i, value in enumerate(values) if is_small(value)}
    complementary: set[int] = set()
    if total < MIN_GROUP:  # the total is itself hidden (or 0): nothing to subtract from
        return LineResult(frozenset(small), frozenset(), False)
    while _pinned(values, total, small, complementary):
        shown = [i for i, value in enumerate(values) if value > 0 and i not in small | complementary]
        if not shown:
            return LineResult(frozenset(small), frozenset(complementary), True)
        complementary.add(min(shown, key=lambda i: (values[i], i)))
    return LineResult(frozenset(small), frozenset(complementary), False)


def _pinned(values: Sequence[int], total: int, small: set[int], complementary: set[int]) -> bool:
    """Whether a reader knowing the total, the counts shown and this rule can tell a hidden count."""
    hidden = small | complementary
    if not hidden:
        return False
    shown_positive = [v for i, v in enumerate(values) if i not in hidden and v > 0]
    ceiling = min(shown_positive) if shown_positive else inf
    bounds = {i: (1, MIN_GROUP - 1) if i in small else (MIN_GROUP, ceiling) for i in hidden}
    rest = total - sum(v for i, v in enumerate(values) if i not in hidden)
    for i, (low, high) in bounds.items():
        others_low = sum(b[0] for j, b in bounds.items() if j != i)
        others_high = sum(b[1] for j, b in bounds.items() if j != i)
        if max(low, rest - others_high) >= min(high, rest - others_low):
            return True
    return False


def plain(value: int | None) -> Cell:
    return Cell(None, NOT_COUNTED) if value is None else Cell(value, str(value))


def single(value: int | None, *, suppress: bool, total_hidden: bool = False) -> Cell:
    """A figure on its own (or a total): "<5" for 1–4, "x" where a line needs its total hidden."""
    if value is None:
        return plain(None)
    if suppress and is_small(value):
        return Cell(None, small_marker())
    if suppress and total_hidden:
        return Cell(None, hidden_marker())
    return plain(value)


def line_cells(values: Sequence[int | None], result: LineResult | None) -> list[Cell]:
    cells = []
    for i, value in enumerate(values):
        if result is not None and i in result.small:
            cells.append(Cell(None, small_marker()))
        elif result is not None and i in result.complementary:
            cells.append(Cell(None, hidden_marker()))
        else:
            cells.append(plain(value))
    return cells
