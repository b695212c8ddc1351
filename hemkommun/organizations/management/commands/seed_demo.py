"""Load the demo region (Ostrobothnia): organisations, units, one sign-in per role, ~200 clients.

``manage.py seed_demo [--if-empty]``. Clients are registered through the client services, so
search tokens, the write log and households are exactly what staff would produce. The output is
the same on every run (one seeded random generator); dates are counted back from today.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hemkommun.access.models import Consent, Share
from hemkommun.access.services import share_create
from hemkommun.accounts.mfa import new_totp_secret
from hemkommun.accounts.models import TotpDevice
from hemkommun.clients import services as client_services
from hemkommun.clients.models import Client
from hemkommun.core.text import search_words
from hemkommun.organizations import demo_data as data
from hemkommun.organizations.demo_casework import DemoCasework
from hemkommun.organizations.demo_compensation import DemoCompensation
from hemkommun.organizations.demo_programme import DemoProgramme
from hemkommun.organizations.demo_reception import DemoReception
from hemkommun.organizations.models import Membership, Organisation, Role, Unit, User

SEED = 20250101
DEFAULT_PASSWORD = "demo"
CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
# Swedish is the language of integration in these municipalities; Vasa is bilingual.
LOCAL_LANGUAGE = {"287": "sv", "231": "sv", "545": "sv", "280": "sv", "475": "sv", "478": "sv", "170": "sv"}
REFUGEE_GROUNDS = frozenset(
    {"quota_refugee", "asylum", "subsidiary_protection", "humanitarian", "family_of_protected"}
)


class Command(BaseCommand):
    help = "Load the Ostrobothnia demo region with staff sign-ins and about 200 clients."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds organisations (used by make run).",
        )

    def handle(self, *args, if_empty: bool = False, **options) -> None:
        if if_empty and Organisation.objects.exists():
            self.stdout.write(_("The database already holds data: the demo region was not loaded."))
            self._print_sign_ins()
            return
        password = check_demo_password()
        if Organisation.objects.filter(code__in=[row[0] for row in data.ORGANISATIONS]).exists():
            raise CommandError(_("The demo region is already loaded."))
        with transaction.atomic():
            count = DemoRegion(password=password).load()
        self.stdout.write(self.style.SUCCESS(_("Demo region loaded: %(count)d clients.") % {"count": count}))
        self._print_sign_ins()

    def _print_sign_ins(self) -> None:
        users = {
            user.username: user for user in User.objects.filter(username__in=[s.username for s in data.STAFF])
        }
        if not users:
            return
        self.stdout.write(_("Demo sign-ins:"))
        for staff in data.STAFF:
            if staff.username in users:
                self.stdout.write(f"  {staff.username:<26} {_role_label(staff):<26} {_organisations(staff)}")
        if settings.DEMO_PASSWORD == DEFAULT_PASSWORD:
            self.stdout.write(
                _("Password for every demo sign-in: %(password)s") % {"password": DEFAULT_PASSWORD}
            )
        else:
            self.stdout.write(_("Password for every demo sign-in: the value of DEMO_PASSWORD."))
        self._print_second_factor(users)

    def _print_second_factor(self, users: dict) -> None:
        device = TotpDevice.objects.filter(user__in=[u for u in users.values() if u.is_superuser]).first()
        if device:
            self.stdout.write(
                _("%(username)s also needs a code: add the key %(secret)s to an authenticator app.")
                % {"username": device.user.username, "secret": device.secret}
            )


def check_demo_password() -> str:
    """The demo password; the well-known default is refused outside DEBUG."""
    password = settings.DEMO_PASSWORD
    if not password:
        raise CommandError(_("DEMO_PASSWORD is empty: set a password for the demo sign-ins."))
    if password == DEFAULT_PASSWORD and not settings.DEBUG:
        raise CommandError(
            _(
                "Refusing to create demo sign-ins with the default password while DEBUG is off: "
                "set DEMO_PASSWORD to a strong password of your own."
            )
        )
    return password


def demo_totp_secret() -> str:
    """The demo administrator's authenticator key: well known only with the well-known password."""
    if settings.DEMO_PASSWORD == DEFAULT_PASSWORD:
        return data.DEMO_TOTP_SECRET
    return new_totp_secret()


def _role_label(staff: data.Staff) -> str:
    return str(Role(staff.role).label) if staff.role else _("Installation administrator")


def _organisations(staff: data.Staff) -> str:
    codes = {unit[1] for unit in data.UNITS if unit[0] in staff.units}
    names = []
    for code in sorted(codes):
        row = next(row for row in data.ORGANISATIONS if row[0] == code)
        names.append(row[3] if row[2] == row[3] else f"{row[3]} / {row[2]}")
    return ", ".join(names) or "—"


@dataclass
class Person:
    """One client to register, before the service sees it."""

    sex: str
    born: datetime.date
    relation: str
    given: tuple[str, ...]
    family: tuple[str, ...]
    family_row: data.Family | None = None
    ground: str = ""
    dates: dict = field(default_factory=dict)
    unaccompanied: bool = False

    @property
    def age(self) -> int:
        today = timezone.localdate()
        return today.year - self.born.year - ((today.month, today.day) < (self.born.month, self.born.day))


class DemoRegion:
    def __init__(self, *, password: str) -> None:
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        self.password = password
        self.identity_codes: set[str] = set()
        self.clients_by_holder: dict[str, list[Client]] = {}

    def load(self) -> int:
        self.organisations = self._organisations()
        self.units = self._units()
        self.users = self._staff()
        for holder, residence, origin, persons in data.PLACEMENTS:
            self._place(holder, residence, data.ORIGINS[origin], persons)
        for holder, origin, number in data.UNACCOMPANIED:
            for _index in range(number):
                self._register_household(
                    holder, holder, data.ORIGINS[origin], [self._minor(data.ORIGINS[origin])]
                )
        self._share()
        DemoCasework(self).load()
        DemoReception(self).load()
        DemoCompensation(self).load()
        DemoProgramme(self).load()
        return sum(len(clients) for clients in self.clients_by_holder.values())

    # Organisations, units and staff.

    def _organisations(self) -> dict[str, Organisation]:
        organisations = {}
        for code, kind, name_fi, name_sv, municipality_code, jurisdiction in data.ORGANISATIONS:
            organisations[code] = Organisation.objects.create(
                code=code,
                kind=kind,
                name_fi=name_fi,
                name_sv=name_sv,
                municipality_code=municipality_code,
                jurisdiction=jurisdiction,
                mfa_required=False,  # demo_data.DEMO_TOTP_SECRET explains
            )
        return organisations

    def _units(self) -> dict[str, Unit]:
        return {
            key: Unit.objects.create(
                organisation=self.organisations[code], kind=kind, name_fi=name_fi, name_sv=name_sv
            )
            for key, code, kind, name_fi, name_sv in data.UNITS
        }

    def _staff(self) -> dict[str, User]:
        # One hash for all: Argon2 per user would make the seed slow for no gain in a demo.
        password_hash = make_password(self.password)
        for staff in data.STAFF:
            user = User.objects.create(
                username=staff.username,
                first_name=staff.first_name,
                last_name=staff.last_name,
                password=password_hash,
                is_superuser=staff.superuser,
                is_staff=staff.superuser,
            )
            for unit in staff.units:
                Membership.objects.create(user=user, unit=self.units[unit], role=staff.role)
            if staff.superuser:
                TotpDevice.objects.create(user=user, secret=demo_totp_secret())
        # Fresh rows: the access policy caches memberships on the user object.
        return {
            user.username: user for user in User.objects.filter(username__in=[s.username for s in data.STAFF])
        }

    # Households and people.

    def _place(self, holder: str, residence: str, origin: data.Origin, persons: int) -> None:
        while persons > 0:
            kind = self._weighted(origin.households)
            members = self._household(origin, kind, limit=persons)
            self._register_household(holder, residence, origin, members)
            persons -= len(members)

    def _household(self, origin: data.Origin, kind: str, *, limit: int) -> list[Person]:
        rng = self.rng
        if kind == "single" or limit == 1:
            return [self._adult(origin, rng.choice("MF"), rng.randint(19, 62), "head")]
        if kind == "single_parent":
            head = self._adult(origin, "F", rng.randint(24, 46), "head")
            members = [head]
            if origin.native_language == "uk" and rng.random() < 0.3 and limit > 2:
                members.append(self._adult(origin, "F", rng.randint(58, 74), "other"))
            return members + self._children(origin, head, None, rng.randint(1, 3), limit - len(members))
        head = self._adult(origin, "M", rng.randint(25, 58), "head")
        family = None if origin.wife_keeps_name else head.family_row
        spouse = self._adult(origin, "F", max(20, head.age - rng.randint(-2, 8)), "spouse", family)
        members = [head, spouse]
        if kind == "couple_children":
            members += self._children(origin, spouse, head, rng.randint(1, 5), limit - 2)
        return members

    def _adult(
        self, origin: data.Origin, sex: str, age: int, relation: str, family: data.Family | None = None
    ) -> Person:
        family = family or self.rng.choice(origin.families)
        return Person(
            sex=sex,
            born=self._born(age),
            relation=relation,
            given=self._given(origin, sex),
            family=family.for_sex(sex),
            family_row=family,
        )

    def _children(
        self, origin: data.Origin, mother: Person, father: Person | None, number: int, room: int
    ) -> list[Person]:
        children = []
        used = {mother.given, father.given if father else None}
        for _index in range(max(0, min(number, room))):
            sex = self.rng.choice("MF")
            given = self._given(origin, sex)
            while given in used:
                given = self._given(origin, sex)
            used.add(given)
            parent = father or mother
            if origin.patronymic:
                # Somali and Eritrean children carry their father's given name as family name.
                family = father.given if father else self._given(origin, "M")
            else:
                family = parent.family_row.for_sex(sex)
            born = self._born(self.rng.randint(0, min(17, mother.age - 19)))
            children.append(Person(sex=sex, born=born, relation="child", given=given, family=family))
        return children

    def _minor(self, origin: data.Origin) -> Person:
        minor = self._adult(origin, self.rng.choice("MMMF"), self.rng.randint(15, 17), "head")
        minor.unaccompanied = True
        return minor

    def _born(self, age: int) -> datetime.date:
        return self.today - datetime.timedelta(days=365 * age + self.rng.randint(1, 364))

    def _given(self, origin: data.Origin, sex: str) -> tuple[str, ...]:
        return self.rng.choice(origin.male if sex == "M" else origin.female)

    def _weighted(self, choices: tuple[tuple[str, int], ...]) -> str:
        return self.rng.choices([c for c, _w in choices], weights=[w for _c, w in choices])[0]

    # Dates and grounds.

    def _ground_and_dates(self, holder: str, origin: data.Origin, unaccompanied: bool) -> tuple[str, dict]:
        rng = self.rng
        if holder == "reception-vasa":
            arrival = self._days_ago(rng.randint(20, 300))
            if origin.native_language == "uk":
                permit = min(arrival + datetime.timedelta(days=rng.randint(5, 30)), self.today)
                return "temporary_protection", {"arrival_date": arrival, "first_permit_date": permit}
            return "", {"arrival_date": arrival}  # asylum seekers: no permit yet
        ground = "asylum" if unaccompanied else self._weighted(origin.grounds)
        if ground == "temporary_protection":
            home = self._days_ago(rng.randint(20, (self.today - datetime.date(2023, 4, 1)).days))
        elif unaccompanied:
            home = self._days_ago(rng.randint(20, 500))
        else:
            home = self._days_ago(rng.randint(20, 365 * 7))
        return ground, self._dates_before(ground, home)

    def _dates_before(self, ground: str, home: datetime.date) -> dict:
        """Arrival and permit dates counted back from the home-municipality registration."""
        rng, days = self.rng, datetime.timedelta
        if ground == "quota_refugee":  # permit granted abroad, home municipality on arrival
            arrival, permit = home, home - days(rng.randint(30, 150))
        elif ground in ("asylum", "subsidiary_protection", "humanitarian"):
            permit = home - days(rng.randint(14, 90))
            arrival = permit - days(rng.randint(150, 700))
        elif ground == "temporary_protection":
            arrival = home - days(rng.randint(366, 500))
            permit = arrival + days(rng.randint(5, 30))
        elif ground == "eu_citizen":
            arrival, permit = home - days(rng.randint(10, 60)), None
        else:
            arrival = home - days(rng.randint(5, 40))
            permit = arrival - days(rng.randint(20, 120))
        since = min(home + days(rng.randint(0, 20)), self.today)
        return {
            "arrival_date": arrival,
            "first_permit_date": permit,
            "home_municipality_date": home,
            "client_since": since,
        }

    def _days_ago(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days)

    # Registration through the services.

    def _register_household(
        self, holder: str, residence: str, origin: data.Origin, members: list[Person]
    ) -> None:
        ground, dates = self._ground_and_dates(holder, origin, members[0].unaccompanied)
        unit_key, username = data.CASE_HOLDERS[holder]
        if holder == "905" and ground in data.WELCOME_GROUNDS:
            unit_key, username = data.WELCOME_OFFICE
        by = self.users[username]
        address = self._address(residence)
        reunited = ground in ("asylum", "subsidiary_protection") and self.rng.random() < 0.35
        household = None
        for index, person in enumerate(members):
            person.ground, person.dates = ground, dict(dates)
            if reunited and index > 0 and dates.get("home_municipality_date"):
                # The family followed later through family reunification.
                later = self._dates_before(
                    "family_of_protected", self._later(dates["home_municipality_date"])
                )
                person.ground, person.dates = "family_of_protected", later
            arrival = person.dates.get("arrival_date")
            if arrival and person.born >= arrival:
                self._born_here(person)
            client = client_services.client_create(
                by=by,
                organisation=self.organisations[holder],
                data=self._client_data(person, origin, holder, residence, unit_key, by, address),
                languages=self._languages(person, origin, residence),
            )
            self.clients_by_holder.setdefault(holder, []).append(client)
            if len(members) > 1:
                member = client_services.household_link(
                    by=by, client=client, household=household, relation=person.relation
                )
                household = member.household

    def _born_here(self, person: Person) -> None:
        """A child born in Finland after the family came: no arrival, a permit as a family member."""
        days = datetime.timedelta
        if not person.dates.get("home_municipality_date"):
            person.dates = {"arrival_date": None, "client_since": person.born}
            return
        if person.ground in REFUGEE_GROUNDS:
            person.ground = "family_of_protected"
        elif person.ground != "temporary_protection":
            person.ground = "family"
        home = min(person.born + days(self.rng.randint(10, 40)), self.today)
        person.dates = {
            "arrival_date": None,
            "first_permit_date": min(person.born + days(self.rng.randint(30, 120)), self.today),
            "home_municipality_date": home,
            "client_since": home,
        }

    def _later(self, home: datetime.date) -> datetime.date:
        return min(home + datetime.timedelta(days=self.rng.randint(200, 900)), self._days_ago(10))

    def _client_data(
        self,
        person: Person,
        origin: data.Origin,
        holder: str,
        residence: str,
        unit_key: str,
        by: User,
        address,
    ) -> dict:
        year, month, day = self._birth_date(person, origin)
        adult = person.age >= 18
        refugee = person.ground in REFUGEE_GROUNDS or holder == "reception-vasa"
        needs_interpreter = (adult and self.rng.random() < (0.75 if refugee else 0.35)) or (
            not adult and person.age >= 13 and self.rng.random() < 0.15
        )
        given_native, given_latin = person.given[0], person.given[-1]
        client = {
            "family_name": person.family[0],
            "family_name_latin": person.family[-1],
            "given_names": given_native,
            "given_names_latin": given_latin,
            "preferred_name": origin.preferred.get(given_latin, "") if self.rng.random() < 0.6 else "",
            "birth_year": year,
            "birth_month": month,
            "birth_day": day,
            "sex": person.sex,
            "citizenships": ", ".join(origin.citizenships),
            "native_language": origin.native_language,
            "interpreter_needed": needs_interpreter,
            "interpreter_language": origin.interpreter_language if needs_interpreter else "",
            "municipality_of_residence": self.organisations.get(residence),
            "residence_ground": person.ground,
            "unaccompanied_minor": person.unaccompanied,
            "responsible_unit": self.units[unit_key],
            "responsible_worker": by,
            "client_since": person.dates.get("client_since") or person.dates["arrival_date"],
            **{key: value for key, value in person.dates.items() if key != "client_since"},
            **address,
            **self._contact(person, adult),
            **self._identity(person, holder, year, month, day),
        }
        return client

    def _birth_date(self, person: Person, origin: data.Origin) -> tuple[int, int | None, int | None]:
        born = person.born
        share = 1.0 if person.age >= 18 or person.unaccompanied else 0.4
        draw = self.rng.random()
        if draw < origin.year_only * share:
            return born.year, None, None
        if draw < (origin.year_only + origin.year_month) * share:
            return born.year, born.month, None
        return born.year, born.month, born.day

    def _identity(self, person: Person, holder: str, year: int, month, day) -> dict:
        """Valid identity codes for some registered clients; temporary ones at the reception centre."""
        if not day:
            return {}
        temporary = holder == "reception-vasa"
        if not (temporary or person.dates.get("home_municipality_date")) or self.rng.random() < 0.35:
            return {}
        code = self._identity_code(datetime.date(year, month, day), person.sex, temporary=temporary)
        return {"identity_code": code, "identity_code_is_temporary": temporary}

    def _identity_code(self, born: datetime.date, sex: str, *, temporary: bool) -> str:
        century = "-" if born.year < 2000 else "A"
        while True:
            # Odd individual numbers are men's, even ones women's; 900-999 are temporary.
            base = self.rng.randrange(450, 500) if temporary else self.rng.randrange(1, 449)
            number = 2 * base + (1 if sex == "M" else 0)
            digits = f"{born:%d%m%y}{number:03d}"
            code = f"{born:%d%m%y}{century}{number:03d}{CHECK_CHARACTERS[int(digits) % 31]}"
            if code not in self.identity_codes:
                self.identity_codes.add(code)
                return code

    def _contact(self, person: Person, adult: bool) -> dict:
        contact = {}
        if adult and self.rng.random() < 0.85:
            prefix = self.rng.choice(("040", "044", "045", "050"))
            contact["phone"] = f"{prefix} {self.rng.randint(100, 999)} {self.rng.randint(1000, 9999)}"
        if adult and self.rng.random() < 0.35:
            local = ".".join(search_words(f"{person.given[-1]} {person.family[-1]}")[:2])
            contact["email"] = f"{local}{self.rng.randint(1, 99)}@example.org"
        if person.unaccompanied:
            contact["street_address"] = "Familjegrupphemmet Solrosen, Gerbyvägen 18"
        return contact

    def _address(self, residence: str) -> dict:
        if residence not in data.ADDRESSES:
            return {}
        streets, postal_code, post_office = data.ADDRESSES[residence]
        street = f"{self.rng.choice(streets)} {self.rng.randint(1, 60)}"
        if self.rng.random() < 0.6:
            street += f" {self.rng.choice('ABCD')} {self.rng.randint(1, 24)}"
        return {"street_address": street, "postal_code": postal_code, "post_office": post_office}

    def _languages(self, person: Person, origin: data.Origin, residence: str) -> list[tuple[str, str]]:
        languages = {}
        for language in origin.other_languages:
            if person.age >= 16 and self.rng.random() < 0.5:
                languages[language] = self.rng.choice(("A1", "A2", "B1", "B2"))
        local = LOCAL_LANGUAGE.get(residence) or self.rng.choice(("fi", "sv"))
        if person.dates.get("home_municipality_date") and person.age >= 6:
            levels = ("A1", "A2", "B1", "B2") if person.age < 18 else ("A1", "A1", "A2", "B1")
            languages[local] = self.rng.choice(levels)
        languages.pop(origin.native_language, None)
        return list(languages.items())

    # Shares with the welfare area and the employment area.

    def _share(self) -> None:
        until = self.today + datetime.timedelta(days=180)
        for holder, username, receiver, purpose, number in data.SHARE_PLAN:
            candidates = [c for c in self.clients_by_holder[holder] if c.birth_year <= self.today.year - 18]
            for index, client in enumerate(self.rng.sample(candidates, number)):
                welfare = receiver == "welfare-ostrobothnia"
                share_create(
                    by=self.users[username],
                    client=client,
                    organisation=self.organisations[receiver],
                    purpose=purpose,
                    scope=Share.Scope.HEALTH if welfare and index == 0 else Share.Scope.BASIC,
                    valid_until=until,
                    consent_given=Consent.Form.WRITTEN,
                )
