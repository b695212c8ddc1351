"""Writers in parallel threads (separate connections) all chain onto one line: the locked head
keeps two transactions from sealing onto the same digest."""

import threading
import time

import pytest
from django.db import OperationalError, connection

from hemkommun.audit.models import AuditSeal
from hemkommun.audit.verify import verify_chain
from hemkommun.core.audit import record_reads
from hemkommun.core.models import ReadEvent

from ..factories import make_client

WRITERS = 4
ROUNDS = 5


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_do_not_fork_the_chain(narpes, counsellor_narpes):
    clients = [make_client(narpes, by=counsellor_narpes, family_name=f"Parallel{n}") for n in range(3)]
    start = threading.Barrier(WRITERS)
    failures = []

    def write() -> None:
        try:
            start.wait()
            for _ in range(ROUNDS):
                _retrying_when_locked(
                    lambda: record_reads(
                        user=counsellor_narpes,
                        client_ids=[c.pk for c in clients],
                        action=ReadEvent.Action.LIST,
                    )
                )
        except Exception as error:  # reported below, from the test's own thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert AuditSeal.objects.filter(kind="read").count() == WRITERS * ROUNDS * len(clients)
    report = verify_chain()
    assert report.ok, report.breaks


def _retrying_when_locked(write) -> None:
    """The suite's SQLite is one in-memory database in shared-cache mode, where a locked table
    fails at once instead of waiting out the busy timeout as the file database of an
    installation does: wait here instead. PostgreSQL waits on the head's row lock by itself."""
    for _attempt in range(200):
        try:
            write()
            return
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.01)
    raise AssertionError("still locked")
