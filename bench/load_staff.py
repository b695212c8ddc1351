"""Staff members for the load test (bench/locustfile.py), each with an authenticator app.

    .venv/bin/python bench/load_staff.py --staff 50

Run after bench/generate.py (it makes the municipalities). Makes ``load.staff00`` … in the
municipalities in turn, as counsellors, case workers and coordinators, with the password
``LOAD_PASSWORD`` and an authenticator app whose key follows from the user name
(``totp_secret``), so that the load test signs in through both steps as staff do, second
factor included. Benchmark data only: the keys are guessable on purpose.
"""

import argparse
import base64
import hashlib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hemkommun.config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "YmVuY2htYXJrLW9ubHktZmllbGQta2V5LTAwMDAwMDA=")
os.environ.setdefault("BLIND_INDEX_KEY", "YmVuY2htYXJrLW9ubHktYmxpbmQtaW5kZXgta2V5LTA=")
os.environ.setdefault("AUDIT_CHAIN_KEY", "benchmark-only-audit-chain-key")

LOAD_PASSWORD = os.environ.get("LOAD_PASSWORD", "load-test-password-1")
ROLES = ("counsellor", "case_worker", "coordinator")


def username(number: int) -> str:
    return f"load.staff{number:02d}"


def totp_secret(name: str) -> str:
    """The user's authenticator key (base32), the same here and in the load test."""
    return base64.b32encode(hashlib.sha256(f"hemkommun-load:{name}".encode()).digest()[:20]).decode()


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password

    from hemkommun.accounts.models import TotpDevice
    from hemkommun.organizations.models import Membership, Organisation, Unit, User

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--staff", type=int, default=50)
    args = parser.parse_args()
    units = list(
        Unit.objects.filter(
            organisation__kind=Organisation.Kind.MUNICIPALITY, kind=Unit.Kind.INTEGRATION_UNIT
        )
        .select_related("organisation")
        .order_by("organisation__code")
    )
    if not units:
        sys.exit("No municipalities: run bench/generate.py first.")
    password = make_password(LOAD_PASSWORD)  # hashed once: argon2 fifty times takes a while
    for number in range(args.staff):
        name = username(number)
        user, _created = User.objects.update_or_create(
            username=name,
            defaults={"first_name": "Load", "last_name": f"Staff {number:02d}", "password": password},
        )
        Membership.objects.get_or_create(
            user=user, unit=units[number % len(units)], role=ROLES[number % len(ROLES)]
        )
        TotpDevice.objects.update_or_create(
            user=user, defaults={"secret": totp_secret(name), "last_step": None}
        )
    print(
        f"{args.staff} load-test staff members in {len(units)} municipalities, each with an authenticator app"
    )


if __name__ == "__main__":
    main()
