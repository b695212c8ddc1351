"""Reads of programmes shared by the pages: the review reminder."""

import datetime

from hemkommun.access import policy

from .models import Programme

REVIEW_WARNING_DAYS = 180


def review_state(programme: Programme, today: datetime.date) -> str:
    """ "overdue", "soon" (within REVIEW_WARNING_DAYS) or "" for the review due date."""
    if programme.review_due < today:
        return "overdue"
    if programme.review_due <= today + datetime.timedelta(days=REVIEW_WARNING_DAYS):
        return "soon"
    return ""


def reviews_due(user, today: datetime.date) -> list[tuple[Programme, str]]:
    """The latest versions of the programmes the user keeps whose review is near or past: the
    reminder on the coordinators' home page."""
    writable = [municipality.pk for municipality in policy.programme_writer_municipalities(user)]
    programmes = Programme.objects.filter(
        owners__municipality__in=writable,
        revision__isnull=True,
        review_due__lte=today + datetime.timedelta(days=REVIEW_WARNING_DAYS),
    ).distinct()
    return [(programme, review_state(programme, today)) for programme in programmes.order_by("review_due")]


EARLIER_YEARS = 2  # years before a programme's start shown beside its own, to compare with


def shown_years(programme: Programme) -> list[int]:
    """The years an indicator is shown for: the programme's, and the ones before to compare with."""
    return list(range(programme.first_year - EARLIER_YEARS, programme.last_year + 1))


def versions(programme: Programme) -> list[Programme]:
    """Every version of the programme, oldest first (a short chain: one per revision)."""
    first = programme
    while first.revision_of_id:
        first = first.revision_of
    chain = [first]
    while (following := Programme.objects.filter(revision_of=chain[-1]).first()) is not None:
        chain.append(following)
    return chain
