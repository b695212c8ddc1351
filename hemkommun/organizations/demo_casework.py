"""The demo region's casework: drop-in contacts, assessments, plans, referrals and follow-ups.

Called by ``manage.py seed_demo`` after the clients are registered, with the command's seeded
random generator, so the output is the same on every run. Every record goes through the
casework services acting as a demo sign-in with the right role, so the deadlines, the write log
and the rules are exactly what staff would produce. Dates are counted back from today; nothing
lies in the future (the services refuse it), and referrals are sent today because the referral
service dates them itself.

Free text (notes, reasons, work histories) is demo data in Swedish, the working language of the
Närpes and Vasa integration units, not text of the user interface.
"""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from hemkommun.access.models import Share
from hemkommun.casework.codes import AgeGroup, Channel, InfoMaterial, Topic
from hemkommun.casework.deadlines import limit, rule_set_for
from hemkommun.casework.models import (
    Assessment,
    IntegrationPlan,
    Party,
    PlanGoal,
    PlanMeasure,
    Referral,
    RuleKind,
)
from hemkommun.casework.services import assessments, followups, plans, referrals
from hemkommun.casework.services.contacts import contact_record
from hemkommun.clients import services as client_services
from hemkommun.clients.models import Client, HouseholdMember

if TYPE_CHECKING:
    from hemkommun.organizations.management.commands.seed_demo import DemoRegion

DAY = datetime.timedelta(days=1)

# Where drop-ins are recorded: (holder, unit key, counsellor, how many, languages with weights).
DROP_IN_POINTS = (
    (
        "545",
        "integration-545",
        "counsellor.narpes",
        18,
        (("ar", 4), ("uk", 4), ("prs", 2), ("vi", 2), ("ru", 1), ("kmr", 2), ("sv", 2), ("en", 2)),
    ),
    (
        "905",
        "servicepoint-905",
        "counsellor.vasa",
        26,
        (
            ("ar", 5),
            ("so", 3),
            ("uk", 4),
            ("ckb", 2),
            ("fa", 2),
            ("ti", 2),
            ("en", 3),
            ("fi", 2),
            ("sv", 2),
            ("ru", 1),
            ("tl", 1),
        ),
    ),
)
TOPIC_WEIGHTS = (
    (Topic.RESIDENCE, 5),
    (Topic.WORK, 5),
    (Topic.LANGUAGE, 4),
    (Topic.HOUSING, 4),
    (Topic.SOCIAL_SECURITY, 4),
    (Topic.HEALTH, 3),
    (Topic.CHILDREN, 3),
    (Topic.FAMILY, 2),
    (Topic.EDUCATION, 3),
    (Topic.MONEY, 2),
    (Topic.EVERYDAY, 2),
    (Topic.OTHER, 1),
)
CHANNEL_WEIGHTS = ((Channel.VISIT, 12), (Channel.PHONE, 5), (Channel.CHAT, 2), (Channel.OUTREACH, 1))
AGE_WEIGHTS = (
    (AgeGroup.YOUNG, 4),
    (AgeGroup.ADULT, 8),
    (AgeGroup.SENIOR, 1),
    (AgeGroup.CHILD, 1),
    (AgeGroup.UNKNOWN, 1),
)
LOCAL_LANGUAGES = frozenset({"sv", "fi", "en"})

CLIENT_CONTACT_NOTES = (
    "Gick igenom ansökan om bostadsbidrag hos FPA; klienten lämnar in bilagorna själv.",
    "Frågade om svenskkurs på kvällstid. Gav information om arbis kurser.",
    "Hjälp med att boka tid till hälsovårdscentralen.",
    "Diskuterade barnens dagvårdsplats; ansökan görs via kommunens e-tjänst.",
    "Klienten vill söka jobb inom växthusnäringen. Vi uppdaterade CV:t tillsammans.",
    "Frågor om skattekortet och lönespecifikationen. Hänvisade till Skatteförvaltningen.",
    "Uppföljning efter flytten: hyresavtalet och elavtalet är i ordning.",
    "Klienten berättade om oro för familjen i hemlandet. Bokade tid med socialarbetare.",
)
WORK_HISTORIES = (
    "Arbetade som snickare i tio år.",
    "Lärare i grundskolan, engelska och matematik.",
    "Jordbruk och djurskötsel på familjens gård.",
    "Kock och servitör i restaurang.",
    "Frisör med egen salong.",
    "Sjuksköterskeutbildning, inte arbetat inom vården.",
    "Chaufför, lastbil och buss.",
    "Hemmafru; tagit hand om barnen.",
    "Försäljare i klädbutik.",
    "Mekaniker på bilverkstad.",
)
FAMILY_SITUATIONS = (
    "Bor med make/maka och barn.",
    "Ensamstående förälder med barn i skolåldern.",
    "Bor ensam; familjen kvar i hemlandet.",
    "Bor med vuxet barn.",
)
LANGUAGE_NEEDS = (
    "Behöver grundläggande läs- och skrivundervisning före integrationsutbildningen.",
    "Integrationsutbildning i svenska, dagtid.",
    "Snabbt framskridande studier i svenska; siktar på B1 inom ett år.",
    "Svenska vid sidan av arbete, kvällskurs.",
)
OTHER_NEEDS = (
    "Stöd i kontakterna med FPA och banken.",
    "Vägledning till yrkesutbildning.",
    "Behöver dagvårdsplats för det yngsta barnet.",
    "Kontakt med arbets- och näringstjänsterna för arbetssökning.",
)
HEALTH_NOTES = (
    "Ryggbesvär; klarar inte tunga lyft.",
    "Sömnsvårigheter; hänvisad till hälsovårdscentralen.",
)
PLAN_SUMMARIES = (
    "Svenska till nivå A2 och praktik inom vården.",
    "Integrationsutbildning och därefter yrkesutbildning.",
    "Svenska och arbetssökning med stöd av arbets- och näringstjänsterna.",
    "Läs- och skrivundervisning, sedan integrationsutbildning.",
)
REVIEW_NOTES = (
    "Kursen framskrider som planerat.",
    "Klienten har bytt kursgrupp; målen hålls.",
    "Praktikplats ordnad; planen fortsätter.",
    "Frånvaro från kursen på grund av sjukdom; nya mål för språket.",
)
# (goal kind, service, provider: an organisation code or a name, responsible party)
MEASURES = {
    PlanGoal.Kind.LANGUAGE: (
        ("Integrationsutbildning i svenska", "Yrkesakademin i Österbotten", Party.EMPLOYMENT),
        ("Läs- och skrivundervisning", "Vasa arbis", Party.MUNICIPALITY),
        ("Svenska för föräldrar, dagtid", "Närpes medborgarinstitut", Party.MUNICIPALITY),
    ),
    PlanGoal.Kind.EMPLOYMENT: (
        ("Jobbsökarkurs", "employment-vasa", Party.EMPLOYMENT),
        ("Arbetspraktik i växthus", "Närpes Grönsaker", Party.EMPLOYMENT),
        ("Kartläggning av kompetens", "employment-vasa", Party.EMPLOYMENT),
    ),
    PlanGoal.Kind.STUDIES: (
        ("Förberedande utbildning för yrkesutbildning (VALMA)", "Vamia", Party.MUNICIPALITY),
        ("Studievägledning", "Yrkesakademin i Österbotten", Party.MUNICIPALITY),
    ),
    PlanGoal.Kind.PARTICIPATION: (("Vänverksamhet", "redcross-ostrobothnia", Party.OTHER),),
    PlanGoal.Kind.PARENTING: (("Föräldragrupp på familjecentret", "welfare-ostrobothnia", Party.WELFARE),),
}
EXTENSION_REASON = "Sjukskrivning under hösten; integrationsutbildningen förlängs med en termin."
REFERRALS = (
    # (holder, sender, kind, to, scope, reason, what the receiver does, its note)
    (
        "545",
        "coordinator.narpes",
        Referral.Kind.SOCIAL_CARE,
        "welfare-ostrobothnia",
        # A coordinator does not see health data, so cannot pass it on: basic data.
        Share.Scope.BASIC,
        "Behov av socialvård: ensamstående förälder med stor belastning, ber om bedömning av servicebehovet.",
        "accept",
        "Vi tar kontakt med klienten och bokar ett första möte.",
    ),
    (
        "905",
        "caseworker.vasa",
        Referral.Kind.SOCIAL_CARE,
        "welfare-ostrobothnia",
        Share.Scope.BASIC,
        "Anmälan om behov av socialvård: ekonomiska svårigheter och otrygg boendesituation.",
        "",
        "",
    ),
    (
        "905",
        "caseworker.vasa",
        Referral.Kind.SOCIAL_CARE,
        "welfare-ostrobothnia",
        Share.Scope.BASIC,
        "Behov av stöd i vardagen efter flytt till egen bostad.",
        "outcome",
        "Bedömningen gjord: boendestöd två gånger i veckan under tre månader.",
    ),
    (
        "905",
        "caseworker.vasa",
        Referral.Kind.EMPLOYMENT,
        "employment-vasa",
        Share.Scope.BASIC,
        "Klienten har avslutat integrationsutbildningen och söker arbete inom logistik.",
        "accept",
        "Klienten registrerad som arbetssökande; första samtalet bokat.",
    ),
    (
        "545",
        "coordinator.narpes",
        Referral.Kind.EMPLOYMENT,
        "employment-vasa",
        Share.Scope.BASIC,
        "Kartläggning av kompetens inför arbetspraktik i växthusnäringen.",
        "acknowledge",
        "Vi återkommer med tid för kartläggningen.",
    ),
    (
        "545",
        "counsellor.narpes",
        Referral.Kind.THIRD_SECTOR,
        "redcross-ostrobothnia",
        Share.Scope.BASIC,
        "Klienten önskar en vän att öva svenska med.",
        "",
        "",
    ),
    (
        "905",
        "counsellor.vasa",
        Referral.Kind.THIRD_SECTOR,
        "redcross-ostrobothnia",
        Share.Scope.BASIC,
        "Intresserad av frivilligarbete och läxhjälp för barnen.",
        "",
        "",
    ),
)
FAMILY_ABROAD = (
    ("Make och två barn (6 och 9 år) i Kabul.", "Gick igenom Migrationsverkets krav och ansökningsavgifter."),
    (
        "Hustru och tre barn i ett flyktingläger i Etiopien.",
        "Informerade om ansökan via ambassaden i Nairobi.",
    ),
)
AFTERCARE_TEXT = "Eftervård efter familjegrupphemmet: stöd i boende, studier och ekonomi."

# Deadlines are met late now and then: the share of steps taken after their due date.
LATE = 0.25
# The casework starts for this share of the recent clients; the rest wait for their assessment.
CASEWORK_SHARE = 0.85
# Recent: the client relationship started within about two years (a few under the 2011 rules).
RECENT_DAYS = 800


@dataclass
class Casefile:
    """One client in casework: who holds the case and how far it has come."""

    client: Client
    worker: str  # who does the casework
    responsible: str  # who the client's worklist belongs to
    stage: int = 0
    plan: IntegrationPlan | None = None


# Stages of the continuum, in order.
NONE, DRAFT, COMPLETED, SIGNED, PLAN_DRAFT, AGREED = range(6)


class DemoCasework:
    def __init__(self, region: "DemoRegion") -> None:
        self.rng = region.rng
        self.today = region.today
        self.now = timezone.now()
        self.users = region.users
        self.organisations = region.organisations
        self.units = region.units
        self.clients_by_holder = region.clients_by_holder
        self.files: list[Casefile] = []

    def load(self) -> None:
        self._drop_ins()
        self._client_contacts()
        for holder, worker, unit, responsible in (
            ("545", "coordinator.narpes", "integration-545", ("coordinator.narpes", "counsellor.narpes")),
            ("905", "caseworker.vasa", "integration-905", ("caseworker.vasa",)),
        ):
            self._casework(holder, worker, unit, responsible)
        self._extend_one_plan()
        self._referrals()
        self._followups()

    # Dates.

    def _days_ago(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days)

    def _at(self, day: datetime.date) -> datetime.datetime:
        """An office-hours time on ``day``, never later than now."""
        at = datetime.datetime.combine(
            day, datetime.time(self.rng.randint(8, 15), self.rng.choice((0, 15, 30, 45)))
        )
        return min(timezone.make_aware(at), self.now - datetime.timedelta(minutes=10))

    def _weekday(self, days_back: int) -> datetime.date:
        day = self._days_ago(self.rng.randint(1, days_back))
        while day.weekday() >= 5:
            day -= DAY
        return day

    def _weighted(self, choices):
        return self.rng.choices([c for c, _w in choices], weights=[w for _c, w in choices])[0]

    def _steps(
        self, on_time: tuple[int, int], late: tuple[int, int], *, always_late: bool = False
    ) -> datetime.timedelta:
        low, high = late if self.rng.random() < LATE or always_late else on_time
        return datetime.timedelta(days=self.rng.randint(low, high))

    # Contacts.

    def _drop_ins(self) -> None:
        """Anonymous drop-ins at the service points over the last five months: counts only."""
        for holder, unit, username, number, languages in DROP_IN_POINTS:
            by, organisation = self.users[username], self.organisations[holder]
            for _index in range(number):
                language = self._weighted(languages)
                interpreter = language not in LOCAL_LANGUAGES and self.rng.random() < 0.3
                info = self.rng.random() < 0.3
                topics = {self._weighted(TOPIC_WEIGHTS) for _topic in range(self.rng.randint(1, 3))}
                contact_record(
                    by=by,
                    organisation=organisation,
                    unit=self.units[unit],
                    topics=sorted(topics),
                    data={
                        "occurred_at": self._at(self._weekday(150)),
                        "channel": self._weighted(CHANNEL_WEIGHTS),
                        "language": language,
                        "age_group": self._weighted(AGE_WEIGHTS),
                        "interpreter_used": interpreter,
                        "interpreter_language": language if interpreter else "",
                        "duration_minutes": self.rng.choice((5, 10, 15, 20, 30, 45)),
                        "info_material": self.rng.choice(InfoMaterial.values) if info else "",
                        "info_language": language if info else "",
                    },
                )

    def _client_contacts(self) -> None:
        """Counsellors' contacts with some of their clients, with notes."""
        for holder, username in (("545", "counsellor.narpes"), ("905", "counsellor.vasa")):
            by = self.users[username]
            adults = [
                c for c in self.clients_by_holder[holder] if self._adult(c) and c.responsible_worker == by
            ]
            for client in self.rng.sample(adults, min(12, len(adults))):
                since = max(client.client_since or self._days_ago(200), self._days_ago(200))
                for _index in range(self.rng.randint(1, 2)):
                    day = since + datetime.timedelta(
                        days=self.rng.randint(0, max(0, (self.today - since).days - 1))
                    )
                    interpreter = client.interpreter_needed and self.rng.random() < 0.8
                    contact_record(
                        by=by,
                        organisation=client.organisation,
                        client=client,
                        unit=client.responsible_unit,
                        topics=[self._weighted(TOPIC_WEIGHTS)],
                        data={
                            "occurred_at": self._at(day),
                            "channel": self._weighted(CHANNEL_WEIGHTS[:2]),
                            "language": client.interpreter_language if interpreter else "sv",
                            "age_group": AgeGroup.ADULT if self._age(client) >= 30 else AgeGroup.YOUNG,
                            "interpreter_used": interpreter,
                            "interpreter_language": client.interpreter_language if interpreter else "",
                            "duration_minutes": self.rng.choice((15, 30, 45, 60)),
                            "notes": self.rng.choice(CLIENT_CONTACT_NOTES),
                        },
                    )

    def _age(self, client: Client) -> int:
        return self.today.year - client.birth_year

    def _adult(self, client: Client) -> bool:
        return self._age(client) >= 19 and not client.unaccompanied_minor

    # Assessments and plans.

    def _casework(self, holder: str, username: str, unit: str, responsible: tuple[str, ...]) -> None:
        """Casework for most adults whose client relationship started in the last two years;
        the case workers become their responsible workers."""
        recent = [
            client
            for client in self.clients_by_holder[holder]
            if self._adult(client)
            and client.responsible_unit == self.units[unit]
            and client.client_since
            and client.client_since >= self._days_ago(RECENT_DAYS)
        ]
        files = []
        for index, client in enumerate(c for c in recent if self.rng.random() < CASEWORK_SHARE):
            files.append(
                Casefile(client=client, worker=username, responsible=responsible[index % len(responsible)])
            )
        # Each responsible worker has one assessment completed weeks ago and no plan yet: overdue.
        stalled = {}
        for casefile in sorted(files, key=lambda f: f.client.client_since, reverse=True):
            if casefile.responsible not in stalled and self._since_days(casefile.client) > 90:
                stalled[casefile.responsible] = casefile
        # And one whose assessment and plan came late this year: met late on the coordinator's list.
        late = [f for f in files if f not in stalled.values() and 170 < self._since_days(f.client) < 330]
        for casefile in files:
            self._assign(casefile)
            self._work(casefile, stall=casefile in stalled.values(), late=casefile in late[:1])
        self.files += files

    def _assign(self, casefile: Casefile) -> None:
        client = casefile.client
        if client.responsible_worker and client.responsible_worker.username == casefile.responsible:
            return
        coordinator = self.users[
            "coordinator.narpes" if client.organisation.code == "545" else "coordinator.vasa"
        ]
        client_services.client_update(
            client=client, by=coordinator, data={"responsible_worker": self.users[casefile.responsible]}
        )

    def _target(self, days: int) -> int:
        if days < 30:
            return self._weighted(((NONE, 1), (DRAFT, 1)))
        if days < 90:
            return self._weighted(((DRAFT, 2), (COMPLETED, 1), (SIGNED, 1), (PLAN_DRAFT, 2)))
        if days < 200:
            return self._weighted(((COMPLETED, 1), (PLAN_DRAFT, 2), (AGREED, 6)))
        return AGREED

    def _since_days(self, client: Client) -> int:
        return (self.today - client.client_since).days

    def _work(self, casefile: Casefile, *, stall: bool, late: bool) -> None:
        client, by = casefile.client, self.users[casefile.worker]
        since = client.client_since
        target = COMPLETED if stall else AGREED if late else self._target(self._since_days(client))
        started = since + self._steps((3, 50), (65, 90), always_late=late)
        completed = started + datetime.timedelta(days=self.rng.randint(7, 20 if late else 30))
        if stall:
            started, completed = min(started, self._days_ago(40)), min(completed, self._days_ago(25))
            started = min(started, completed)
        signed = completed + datetime.timedelta(days=self.rng.randint(0, 7))
        drafted = completed + self._steps((2, 12), (16, 30), always_late=late)
        agreed = drafted + datetime.timedelta(days=self.rng.randint(5, 25))
        dates = {DRAFT: started, COMPLETED: completed, SIGNED: signed, PLAN_DRAFT: drafted, AGREED: agreed}
        stage = max([NONE, *(s for s, day in dates.items() if s <= target and day <= self.today)])
        casefile.stage = stage
        if stage == NONE:
            return
        assessment = self._assessment(client, by, started, complete=stage >= COMPLETED)
        if stage >= COMPLETED:
            assessments.assessment_complete(by=by, assessment=assessment, completed_on=completed)
        if stage >= SIGNED:
            assessments.assessment_sign(by=by, assessment=assessment, signed_on=signed)
        if stage >= PLAN_DRAFT:
            casefile.plan = self._plan(
                client, by, assessment, drafted=drafted, agreed=agreed if stage == AGREED else None
            )

    def _assessment(self, client: Client, by, started: datetime.date, *, complete: bool) -> Assessment:
        rng = self.rng
        level = rng.choice(("primary", "secondary", "secondary", "vocational", "bachelor", "none"))
        data = {
            "started_on": started,
            "education_level": level,
            "education_years": {"none": 0, "primary": 6, "secondary": 9, "vocational": 12}.get(level, 15),
            "education_country": (client.citizenships.split(",")[0].strip() or "")[:2],
            "literacy": {"none": "none", "primary": "own_script"}.get(level, "latin"),
            "digital_skills": rng.choice(("none", "basic", "basic", "good")),
            "work_history": rng.choice(WORK_HISTORIES),
            "family_situation": rng.choice(FAMILY_SITUATIONS),
        }
        if rng.random() < 0.5:
            data["requested_on"] = max(
                client.client_since, started - datetime.timedelta(days=rng.randint(0, 20))
            )
        if complete:
            data |= {
                "language_training_need": rng.choice(LANGUAGE_NEEDS),
                "other_service_needs": rng.choice(OTHER_NEEDS),
                "plan_needed": True,
                "path": rng.choice(("employment", "employment", "studies", "home_other")),
            }
            if by.username == "caseworker.vasa" and rng.random() < 0.2:
                data["health_notes"] = rng.choice(HEALTH_NOTES)  # a case worker may record health data
        participants = []
        if rng.random() < 0.2:
            data["multisectoral"] = True
            participants = [self.organisations[rng.choice(("welfare-ostrobothnia", "employment-vasa"))]]
        languages = [(client.native_language, "native")] if client.native_language else []
        if client.native_language != "sv":
            languages.append(("sv", rng.choice(("A1", "A1", "A2", "B1"))))
        return assessments.assessment_create(
            by=by, client=client, data=data, languages=languages, participants=participants
        )

    def _plan(
        self,
        client: Client,
        by,
        assessment: Assessment,
        *,
        drafted: datetime.date,
        agreed: datetime.date | None,
    ) -> IntegrationPlan:
        start = agreed or self.today
        plan = plans.plan_create(
            by=by,
            client=client,
            data={
                "assessment": assessment,
                "drafted_on": drafted,
                "starts_on": start,
                "ends_on": start + relativedelta(years=1),  # the longest first plan
                "summary": self.rng.choice(PLAN_SUMMARIES),
            },
        )
        goals = self._goals(by, plan, assessment.path)
        plans.responsibility_set(
            by=by,
            plan=plan,
            party=Party.CLIENT,
            description="Deltar i kursen och håller kontakt med handledaren.",
        )
        plans.responsibility_set(
            by=by, plan=plan, party=Party.MUNICIPALITY, description="Ordnar tolk och följer upp planen."
        )
        if agreed is None:
            for goal in goals:
                self._measure(by, plan, goal, started=None)
            return plan
        plans.plan_agree(by=by, plan=plan, agreed_on=agreed)
        # The first service: on time, late, or (now and then) not yet although the time is up.
        first = agreed + self._steps((10, 60), (190, 260))
        for index, goal in enumerate(goals):
            self._measure(by, plan, goal, started=first + datetime.timedelta(days=30 * index))
        self._reviews(by, plan)
        if plan.ends_on < self.today:
            self._continue(by, plan)
        return plan

    def _goals(self, by, plan: IntegrationPlan, path: str) -> list[PlanGoal]:
        kinds = [PlanGoal.Kind.LANGUAGE]
        kinds.append(
            {"studies": PlanGoal.Kind.STUDIES, "home_other": PlanGoal.Kind.PARTICIPATION}.get(
                path, PlanGoal.Kind.EMPLOYMENT
            )
        )
        if self.rng.random() < 0.3:
            kinds.append(self.rng.choice((PlanGoal.Kind.PARENTING, PlanGoal.Kind.PARTICIPATION)))
        goals = []
        for kind in dict.fromkeys(kinds):
            target = self.rng.choice(("A2", "B1")) if kind == PlanGoal.Kind.LANGUAGE else ""
            goals.append(plans.goal_add(by=by, plan=plan, data={"kind": kind, "target_level": target}))
        return goals

    def _measure(self, by, plan: IntegrationPlan, goal: PlanGoal, *, started: datetime.date | None) -> None:
        service, provider, responsible = self.rng.choice(MEASURES[goal.kind])
        data = {"goal": goal, "service": service, "responsible": responsible}
        if provider in self.organisations:
            data["provider"] = self.organisations[provider]
        else:
            data["provider_name"] = provider
        if started is not None and started <= self.today:
            ends = started + datetime.timedelta(days=self.rng.choice((60, 120, 240)))
            if ends <= self.today:
                status = self._weighted(((PlanMeasure.Status.DONE, 6), (PlanMeasure.Status.INTERRUPTED, 1)))
                data["ends_on"] = ends
            else:
                status = PlanMeasure.Status.ONGOING
            data |= {"starts_on": started, "status": status}
        elif plan.status == IntegrationPlan.Status.AGREED and self.rng.random() < 0.15:
            data["status"] = PlanMeasure.Status.CANCELLED
        plans.measure_add(by=by, plan=plan, data=data)

    def _reviews(self, by, plan: IntegrationPlan, *, all_due: bool = False) -> None:
        """Reviews at the rule's interval, some late; now and then one still overdue."""
        rule = limit(rule_set_for(plan.client), RuleKind.PLAN_REVIEW)
        if rule is None:
            return
        start, end = plan.agreed_on, plan.ends_on
        all_due = all_due or end < self.today
        while rule.add_to(start) < end:
            due = rule.add_to(start)
            reviewed = due + self._steps((-30, -1), (5, 40))
            if all_due:
                reviewed = min(reviewed, end - DAY)
            if reviewed > self.today or (not all_due and self.rng.random() < 0.2):
                return
            plans.plan_review(by=by, plan=plan, reviewed_on=reviewed, notes=self.rng.choice(REVIEW_NOTES))
            start = reviewed

    def _continue(self, by, plan: IntegrationPlan) -> None:
        """A first plan that has run its year ends; a second one continues it within the total."""
        plans.plan_end(by=by, plan=plan, ended_on=plan.ends_on)
        total = limit(rule_set_for(plan.client), RuleKind.TOTAL_PLAN_LENGTH)
        ends = total.add_to(plan.starts_on) if total else plan.ends_on + relativedelta(years=1)
        drafted = plan.ends_on - datetime.timedelta(days=self.rng.randint(10, 30))
        agreed = min(plan.ends_on, self.today)
        if ends <= self.today + datetime.timedelta(days=30):
            return
        second = plans.plan_create(
            by=by,
            client=plan.client,
            data={
                "assessment": plan.assessment,
                "drafted_on": drafted,
                "starts_on": plan.ends_on,
                "ends_on": ends,
                "summary": self.rng.choice(PLAN_SUMMARIES),
            },
        )
        goal = plans.goal_add(by=by, plan=second, data={"kind": PlanGoal.Kind.EMPLOYMENT})
        plans.plan_agree(by=by, plan=second, agreed_on=agreed)
        self._measure(by, second, goal, started=agreed + datetime.timedelta(days=self.rng.randint(5, 40)))
        self._reviews(by, second)

    def _extend_one_plan(self) -> None:
        """One agreed first plan about to end is extended to a year and a half."""
        agreed = [
            f.plan
            for f in self.files
            if f.plan is not None
            and f.plan.status == IntegrationPlan.Status.AGREED
            and f.plan.ends_on >= self.today
        ]
        if not agreed:
            return
        plan = min(agreed, key=lambda p: p.ends_on)
        new_end = plan.starts_on + relativedelta(months=18)
        if new_end > plan.ends_on:
            plans.plan_extend(
                by=self.users[plan.worker.username], plan=plan, new_end=new_end, reason=EXTENSION_REASON
            )

    # Referrals and follow-ups.

    def _referrals(self) -> None:
        """Referrals sent today (the service dates them) and answered by the receiving sign-ins."""
        used: set[int] = set()
        for holder, sender, kind, to, scope, reason, step, note in REFERRALS:
            receiver = self.organisations[to]
            client = self._referral_client(holder, receiver, used)
            referral = referrals.referral_send(
                consent_given="written",
                by=self.users[sender],
                client=client,
                kind=kind,
                to_organisation=receiver,
                reason=reason,
                scope=scope,
            )
            answerer = self.users[
                "socialworker.welfare" if to == "welfare-ostrobothnia" else "officer.employment"
            ]
            if step == "acknowledge":
                referrals.referral_acknowledge(by=answerer, referral=referral, note=note)
            elif step in ("accept", "outcome"):
                referrals.referral_acknowledge(by=answerer, referral=referral)
                referral = referrals.referral_accept(
                    by=answerer, referral=referral, note=note if step == "accept" else ""
                )
                if step == "outcome":
                    referrals.referral_report_outcome(by=answerer, referral=referral, outcome=note)

    def _referral_client(self, holder: str, receiver, used: set[int]) -> Client:
        """A client in casework, preferably with an agreed plan, whom the receiver does not see yet."""
        shared = set(Share.objects.filter(organisation=receiver).values_list("client_id", flat=True))
        files = [
            f for f in self.files if f.client.organisation.code == holder and f.client.pk not in used | shared
        ]
        files.sort(key=lambda f: (-f.stage, f.client.pk))
        casefile = files[self.rng.randint(0, min(2, len(files) - 1))]
        used.add(casefile.client.pk)
        return casefile.client

    def _followups(self) -> None:
        """Family-reunification needs for two adults living alone, aftercare for a young adult."""
        refugees = [
            f.client
            for f in self.files
            if f.client.residence_ground in ("asylum", "subsidiary_protection", "quota_refugee")
            and not HouseholdMember.objects.filter(client=f.client).exists()
        ]
        for client, (family, guidance) in zip(
            self.rng.sample(refugees, min(2, len(refugees))), FAMILY_ABROAD, strict=False
        ):
            followups.family_reunification_need_create(
                by=self.users[
                    "coordinator.narpes" if client.organisation.code == "545" else "caseworker.vasa"
                ],
                client=client,
                family_abroad=family,
                guidance_given=guidance,
                status="in_progress",
                recorded_on=max(client.client_since, self._days_ago(self.rng.randint(20, 90))),
            )
        young = sorted(
            (c for c in self.clients_by_holder["905"] if 18 <= self._age(c) <= 21 and c.client_since),
            key=lambda c: c.client_since,
        )
        if young:
            client = young[0]
            followups.aftercare_create(
                by=self.users["caseworker.vasa"],
                client=client,
                started_on=max(client.client_since, self._days_ago(120)),
                description=AFTERCARE_TEXT,
            )
