"""Charts of the follow-up report as SVG for the PDF (matplotlib; the page draws the same
figures with Chart.js). The text of the charts is drawn as paths, so the PDF needs no fonts for
it; matplotlib's comments, which repeat the labels, are removed, so a label cannot add markup."""

import io
import re
from collections.abc import Sequence
from decimal import Decimal

import matplotlib
from matplotlib.figure import Figure

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
COLOUR = "#1f5c99"
matplotlib.rcParams.update({"svg.hashsalt": "hemkommun", "font.size": 8})


def bar_chart(labels: Sequence[str], values: Sequence[int], title: str) -> str:
    # A Figure of its own, not pyplot's global state: requests may draw at the same time.
    figure = Figure(figsize=(6, 2.2))
    axes = figure.subplots()
    axes.barh(range(len(labels)), values, color=COLOUR)
    axes.set_yticks(range(len(labels)), labels=[_short(label) for label in labels])
    axes.invert_yaxis()
    axes.set_title(_short(title, 80))
    axes.xaxis.get_major_locator().set_params(integer=True)
    return _svg(figure)


def line_chart(years: Sequence[int], values: Sequence[Decimal | None], title: str) -> str:
    """One indicator over the years; a year with no value is a gap."""
    figure = Figure(figsize=(6, 1.8))
    axes = figure.subplots()
    points = [float(value) if value is not None else float("nan") for value in values]
    axes.plot(list(years), points, marker="o", color=COLOUR)
    axes.set_xticks(list(years))
    axes.set_title(_short(title, 80))
    axes.set_ylim(bottom=0)
    return _svg(figure)


def _short(text: str, limit: int = 40) -> str:
    """The label shortened, with a dollar sign kept as text (matplotlib reads $...$ as math)."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("$", r"\$")


def _svg(figure) -> str:
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    return _PROLOGUE.sub("", _COMMENT.sub("", buffer.getvalue()))
