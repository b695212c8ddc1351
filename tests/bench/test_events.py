"""bench/events.py fills a small register with case histories that the pages can show (issue 9)."""

import importlib.util
import random
import sys
from pathlib import Path

import pytest

from hemkommun.casework.models import Deadline
from hemkommun.clients.models import Client, HouseholdMember
from hemkommun.core.models import ReadEvent

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scripts():
    return _load("generate"), _load("events")


def _clients(generate, count: int) -> None:
    organisations = generate.ensure_organisations()
    rng = random.Random(3)
    pools = generate.NamePools(rng)
    generate.insert_batch(
        [generate.synthetic_client(rng, pools, organisations, pk) for pk in range(1, count + 1)]
    )


@pytest.mark.django_db
def test_events_fill_the_clients_and_the_pages_show_them(scripts, capsys):
    generate, events = scripts
    _clients(generate, 200)

    counts = events.fill(batch=120, seed=2, quiet=True)

    assert Client.objects.filter(contacts__isnull=True).count() == 0  # every client filled
    in_households = HouseholdMember.objects.count() / 200
    assert 0.2 < in_households < 0.6
    assert Deadline.objects.exists() and ReadEvent.objects.count() >= 200
    casework = sum(counts[model._meta.db_table] for model in events.EVENT_MODELS)
    assert 7 < casework / 200 < 14
    # A second run finds nothing to fill.
    assert sum(events.fill(quiet=True).values()) == 0
    assert events.check(sample=50), capsys.readouterr().out
