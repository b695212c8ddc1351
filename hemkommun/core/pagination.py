"""Paging long lists without counting every row."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows: past that, "more than 1,000" is all a person needs, and
    counting a million rows on every page would cost more than the page itself.

    Pages a QuerySet, or any list with ``capped_count(cap)`` and slicing."""

    cap = 1_000

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @cached_property
    def _counted(self) -> int:
        # A list that knows how to count itself cheaply says so (clients.selectors.ClientResults).
        capped_count = getattr(self.object_list, "capped_count", None)
        if capped_count is not None:
            return capped_count(self.cap)
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self._counted > self.cap
