"""The demo region: Ostrobothnia (Österbotten / Pohjanmaa) with its partners, staff and name pools.

Data only; ``manage.py seed_demo`` turns it into rows. Names are written as their bearers write
them (Arabic, Persian, Sorani and Ge'ez scripts, Cyrillic, Latin with diacritics) together with
the Latin form of the residence permit card, so search across scripts can be tried out.
"""

from dataclasses import dataclass, field

MAINLAND = "mainland"
ALAND = "aland"

# (code, kind, name_fi, name_sv, municipality_code, jurisdiction)
ORGANISATIONS: list[tuple[str, str, str, str, str, str]] = [
    ("287", "municipality", "Kristiinankaupunki", "Kristinestad", "287", MAINLAND),
    ("231", "municipality", "Kaskinen", "Kaskö", "231", MAINLAND),
    ("545", "municipality", "Närpiö", "Närpes", "545", MAINLAND),
    ("280", "municipality", "Korsnäs", "Korsnäs", "280", MAINLAND),
    ("475", "municipality", "Maalahti", "Malax", "475", MAINLAND),
    ("905", "municipality", "Vaasa", "Vasa", "905", MAINLAND),
    ("478", "municipality", "Maarianhamina", "Mariehamn", "478", ALAND),
    # A member of KST, which does the integration work of its member municipalities (Mariehamn is not one).
    ("170", "municipality", "Jomala", "Jomala", "170", ALAND),
    ("kst", "joint_authority", "Kuntien sosiaalipalvelut (KST)", "Kommunernas socialtjänst (KST)", "", ALAND),
    (
        "welfare-ostrobothnia",
        "welfare_area",
        "Pohjanmaan hyvinvointialue",
        "Österbottens välfärdsområde",
        "",
        MAINLAND,
    ),
    (
        "employment-vasa",
        "employment_area",
        "Vaasan seudun työllisyysalue",
        "Vasaregionens sysselsättningsområde",
        "",
        MAINLAND,
    ),
    (
        "ely-ostrobothnia",
        "state_centre",
        "Pohjanmaan ELY-keskus",
        "NTM-centralen i Österbotten",
        "",
        MAINLAND,
    ),
    (
        "reception-vasa",
        "reception_centre",
        "Vaasan vastaanottokeskus",
        "Vasa flyktingförläggning",
        "",
        MAINLAND,
    ),
    (
        "redcross-ostrobothnia",
        "third_sector",
        "Suomen Punainen Risti, Pohjanmaan piiri",
        "Finlands Röda Kors, Österbottens distrikt",
        "",
        MAINLAND,
    ),
]

# (unit key, organisation code, kind, name_fi, name_sv)
UNITS: list[tuple[str, str, str, str, str]] = [
    ("integration-287", "287", "integration_unit", "Kotouttamispalvelut", "Integrationstjänster"),
    ("integration-231", "231", "integration_unit", "Kotouttamispalvelut", "Integrationstjänster"),
    ("integration-545", "545", "integration_unit", "Kotouttamisyksikkö", "Integrationsenheten"),
    ("integration-280", "280", "integration_unit", "Kotouttamispalvelut", "Integrationstjänster"),
    ("integration-475", "475", "integration_unit", "Kotouttamispalvelut", "Integrationstjänster"),
    ("integration-905", "905", "integration_unit", "Maahanmuuttajapalvelut", "Invandrartjänster"),
    ("welcome-905", "905", "welcome_office", "Welcome Office Vaasa", "Welcome Office Vasa"),
    ("servicepoint-905", "905", "service_point", "Neuvontapiste Kompassi", "Rådgivningspunkten Kompassi"),
    ("integration-478", "478", "integration_unit", "Kotouttamispalvelut", "Integrationstjänster"),
    ("integration-kst", "kst", "integration_unit", "Kotoutumisyksikkö", "Integrationsenheten"),
    (
        "socialwork-welfare",
        "welfare-ostrobothnia",
        "other",
        "Maahanmuuttajien sosiaalityö",
        "Socialt arbete för invandrare",
    ),
    ("services-employment", "employment-vasa", "other", "Maahanmuuttajapalvelut", "Invandrartjänster"),
    (
        "placements-ely",
        "ely-ostrobothnia",
        "other",
        "Kotoutumisen osaamiskeskus",
        "Kompetenscentret för integration",
    ),
    ("reception-vasa", "reception-vasa", "other", "Vastaanottokeskus", "Flyktingförläggningen"),
    ("volunteers-redcross", "redcross-ostrobothnia", "other", "Ystävätoiminta", "Vänverksamheten"),
]


@dataclass(frozen=True)
class Staff:
    username: str
    first_name: str
    last_name: str
    role: str  # a Role value; "" for the installation administrator
    units: tuple[str, ...] = ()
    superuser: bool = False


# One sign-in per role; the named ones are used by the tests and the documentation.
STAFF: list[Staff] = [
    Staff("counsellor.narpes", "Anna-Maria", "Backlund", "counsellor", ("integration-545",)),
    Staff("coordinator.narpes", "Johanna", "Sjöholm", "coordinator", ("integration-545",)),
    Staff("reporting.narpes", "Mikael", "Nyqvist", "reporting", ("integration-545",)),
    Staff("administrator.narpes", "Kristian", "Granholm", "administrator", ("integration-545",)),
    Staff("counsellor.vasa", "Sanna", "Mäkinen", "counsellor", ("integration-905",)),
    Staff("caseworker.vasa", "Jussi", "Heikkilä", "case_worker", ("integration-905",)),
    Staff("coordinator.vasa", "Maria", "Holmström", "coordinator", ("integration-905",)),
    Staff("counsellor.welcome", "Linda", "Österberg", "counsellor", ("welcome-905",)),
    Staff("counsellor.kristinestad", "Camilla", "Lindqvist", "counsellor", ("integration-287",)),
    Staff("counsellor.kasko", "Henrik", "Sundqvist", "counsellor", ("integration-231",)),
    Staff("counsellor.korsnas", "Ulrika", "Björkman", "counsellor", ("integration-280",)),
    Staff("counsellor.malax", "Patrik", "Enlund", "counsellor", ("integration-475",)),
    Staff("counsellor.kst", "Sofia", "Eriksson", "counsellor", ("integration-kst",)),
    Staff("coordinator.kst", "Jan", "Mattsson", "coordinator", ("integration-kst",)),
    Staff("caseworker.reception", "Ahmed", "Nurmi", "case_worker", ("reception-vasa",)),
    Staff("socialworker.welfare", "Päivi", "Kangas", "social_worker", ("socialwork-welfare",)),
    Staff("reporting.welfare", "Eeva", "Laine", "reporting", ("socialwork-welfare",)),
    Staff("officer.employment", "Tomas", "Westerlund", "employment_officer", ("services-employment",)),
    Staff("coordinator.ely", "Riikka", "Salo", "coordinator", ("placements-ely",)),
    Staff("dpo", "Eva", "Lindholm", "dpo", ("integration-545", "integration-905")),
    Staff("admin", "Hemkommun", "Administrator", "", (), superuser=True),
]

# The demo organisations do not require a second factor, so every demo sign-in works with the
# demo password alone. The installation administrator sees every client and always needs one: the
# demo gives it this authenticator key (with the default password; otherwise a random one), which
# seed_demo prints with the sign-ins.
DEMO_TOTP_SECRET = "HEMKOMMUNDEMOADMINTOTPSECRET2345"

# Who registers and follows a holder's clients: holder code -> (unit key, username).
CASE_HOLDERS: dict[str, tuple[str, str]] = {
    "287": ("integration-287", "counsellor.kristinestad"),
    "231": ("integration-231", "counsellor.kasko"),
    "545": ("integration-545", "counsellor.narpes"),
    "280": ("integration-280", "counsellor.korsnas"),
    "475": ("integration-475", "counsellor.malax"),
    "905": ("integration-905", "counsellor.vasa"),
    "kst": ("integration-kst", "counsellor.kst"),
    "reception-vasa": ("reception-vasa", "caseworker.reception"),
}
# Work, family and study immigrants in Vasa go to the Welcome Office (DOMAIN.md, seed 001).
WELCOME_OFFICE = ("welcome-905", "counsellor.welcome")
WELCOME_GROUNDS = frozenset({"work", "study", "family", "eu_citizen", "returnee"})

# Streets, postal code and post office of each municipality of residence.
ADDRESSES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "287": (("Östra Långgatan", "Västra Långgatan", "Strandgatan", "Skolgatan"), "64100", "Kristinestad"),
    "231": (("Raatihuoneenkatu", "Rantakatu", "Kirkkokatu"), "64260", "Kaskö"),
    "545": (("Närpesvägen", "Kyrkvägen", "Västra Skolvägen", "Sjukhusvägen", "Norrvägen"), "64200", "Närpes"),
    "280": (("Korsnäsvägen", "Harrströmsvägen", "Molpevägen"), "66200", "Korsnäs"),
    "475": (("Köpmansvägen", "Övermalaxvägen", "Malaxvägen"), "66100", "Malax"),
    "905": (
        ("Storalånggatan", "Hovrättsesplanaden", "Vöråvägen", "Gerbyvägen", "Runsorvägen", "Olofsgatan"),
        "65100",
        "Vasa",
    ),
    "478": (("Norra Esplanadgatan", "Torggatan", "Ålandsvägen", "Skarpansvägen"), "22100", "Mariehamn"),
    "170": (("Jomalvägen", "Godbyvägen", "Vikingavägen"), "22150", "Jomala"),
}

Name = tuple[str, str]  # (as written, Latin form); one element is enough for Latin-script names


@dataclass(frozen=True)
class Family:
    """A family name; the female form differs in Slavic languages."""

    male: Name
    female: Name | None = None

    def for_sex(self, sex: str) -> Name:
        return self.female if sex == "F" and self.female else self.male


@dataclass(frozen=True)
class Origin:
    """Where a group of clients comes from: their names, languages and typical grounds."""

    native_language: str
    interpreter_language: str
    citizenships: tuple[str, ...]
    male: tuple[Name, ...]
    female: tuple[Name, ...]
    families: tuple[Family, ...]
    grounds: tuple[tuple[str, int], ...]  # (residence ground, weight)
    households: tuple[tuple[str, int], ...]  # (household kind, weight)
    year_only: float = 0.0  # share of adults whose birth date is known only to the year
    year_month: float = 0.0
    patronymic: bool = False  # children's family name is the father's given name (Somali, Tigrinya)
    wife_keeps_name: bool = False
    other_languages: tuple[str, ...] = ()
    preferred: dict[str, str] = field(default_factory=dict)  # Latin given name -> preferred name


FAMILY_HOUSEHOLDS = (("couple_children", 6), ("single_parent", 2), ("single", 2), ("couple", 1))
SINGLE_HOUSEHOLDS = (("single", 6), ("couple", 2), ("couple_children", 2))


def _f(*names: Name) -> tuple[Family, ...]:
    return tuple(Family(name) for name in names)


ORIGINS: dict[str, Origin] = {
    "syrian": Origin(
        native_language="ar",
        interpreter_language="ar",
        citizenships=("SY",),
        male=(
            ("محمد", "Mohammad"),
            ("أحمد", "Ahmad"),
            ("خالد", "Khaled"),
            ("عمر", "Omar"),
            ("يوسف", "Yousef"),
            ("سامر", "Samer"),
            ("محمود", "Mahmoud"),
            ("إبراهيم", "Ibrahim"),
            ("طارق", "Tareq"),
            ("بشار", "Bashar"),
        ),
        female=(
            ("فاطمة", "Fatima"),
            ("مريم", "Maryam"),
            ("نور", "Nour"),
            ("آية", "Aya"),
            ("رنا", "Rana"),
            ("هبة", "Heba"),
            ("لينا", "Lina"),
            ("ريم", "Reem"),
            ("سلمى", "Salma"),
            ("دعاء", "Duaa"),
        ),
        families=_f(
            ("الأحمد", "Al-Ahmad"),
            ("الخطيب", "Al-Khatib"),
            ("حداد", "Haddad"),
            ("الحلبي", "Al-Halabi"),
            ("المصري", "Al-Masri"),
            ("العلي", "Al-Ali"),
            ("ياسين", "Yassin"),
            ("الحمصي", "Al-Homsi"),
            ("قاسم", "Kassem"),
            ("الشامي", "Al-Shami"),
        ),
        grounds=(("quota_refugee", 5), ("asylum", 2), ("subsidiary_protection", 1)),
        households=FAMILY_HOUSEHOLDS,
        year_only=0.1,
        year_month=0.05,
        wife_keeps_name=True,
        other_languages=("en",),
        preferred={"Mohammad": "Moe"},
    ),
    "iraqi": Origin(
        native_language="ar",
        interpreter_language="ar",
        citizenships=("IQ",),
        male=(
            ("علي", "Ali"),
            ("حسين", "Hussein"),
            ("مصطفى", "Mustafa"),
            ("حيدر", "Haider"),
            ("عباس", "Abbas"),
        ),
        female=(
            ("زينب", "Zainab"),
            ("سارة", "Sara"),
            ("نبأ", "Naba"),
            ("شهد", "Shahad"),
            ("زهراء", "Zahraa"),
        ),
        families=_f(
            ("الجبوري", "Al-Jubouri"),
            ("العبيدي", "Al-Obaidi"),
            ("الدليمي", "Al-Dulaimi"),
            ("الموسوي", "Al-Musawi"),
            ("التميمي", "Al-Tamimi"),
        ),
        grounds=(("asylum", 3), ("subsidiary_protection", 2), ("humanitarian", 1)),
        households=FAMILY_HOUSEHOLDS,
        year_only=0.1,
        year_month=0.05,
        wife_keeps_name=True,
    ),
    "afghan": Origin(
        native_language="prs",
        interpreter_language="prs",
        citizenships=("AF",),
        male=(
            ("محمد", "Mohammad"),
            ("فرید", "Farid"),
            ("جاوید", "Jawid"),
            ("مسعود", "Masoud"),
            ("نوید", "Navid"),
            ("حمید", "Hamid"),
            ("عبدالله", "Abdullah"),
            ("رحمت‌الله", "Rahmatullah"),
        ),
        female=(
            ("زهرا", "Zahra"),
            ("شکیلا", "Shakila"),
            ("پروین", "Parvin"),
            ("مرسل", "Mursal"),
            ("فرشته", "Fereshta"),
            ("ملالی", "Malalai"),
            ("نسرین", "Nasrin"),
            ("هما", "Homa"),
        ),
        families=_f(
            ("احمدی", "Ahmadi"),
            ("حسینی", "Hosseini"),
            ("رحیمی", "Rahimi"),
            ("محمدی", "Mohammadi"),
            ("صدیقی", "Sediqi"),
            ("نوری", "Noori"),
            ("جعفری", "Jafari"),
            ("امیری", "Amiri"),
        ),
        grounds=(("quota_refugee", 4), ("asylum", 2), ("humanitarian", 1), ("subsidiary_protection", 1)),
        households=FAMILY_HOUSEHOLDS,
        year_only=0.35,
        year_month=0.1,
        other_languages=("fa", "ps"),
    ),
    "iranian": Origin(
        native_language="fa",
        interpreter_language="fa",
        citizenships=("IR",),
        male=(("رضا", "Reza"), ("مهدی", "Mahdi"), ("امید", "Omid"), ("سعید", "Saeed"), ("آرش", "Arash")),
        female=(
            ("مریم", "Maryam"),
            ("نرگس", "Narges"),
            ("لیلا", "Leila"),
            ("سحر", "Sahar"),
            ("شیرین", "Shirin"),
        ),
        families=_f(
            ("رضایی", "Rezaei"),
            ("کریمی", "Karimi"),
            ("موسوی", "Mousavi"),
            ("تهرانی", "Tehrani"),
            ("قاسمی", "Ghasemi"),
        ),
        grounds=(("asylum", 2), ("study", 2), ("family", 1), ("work", 1)),
        households=SINGLE_HOUSEHOLDS,
        other_languages=("en",),
    ),
    "kurdish_sorani": Origin(
        native_language="ckb",
        interpreter_language="ckb",
        citizenships=("IQ",),
        male=(
            ("ئاراس", "Aras"),
            ("هەژار", "Hazhar"),
            ("دلشاد", "Dilshad"),
            ("کاروان", "Karwan"),
            ("ڕێبوار", "Rebwar"),
        ),
        female=(
            ("ژینا", "Zhina"),
            ("شیلان", "Shilan"),
            ("ڤیان", "Vian"),
            ("هێرۆ", "Hero"),
            ("نەسرین", "Nasrin"),
        ),
        families=_f(
            ("عەبدوڵڵا", "Abdullah"),
            ("کەریم", "Karim"),
            ("مەحموود", "Mahmud"),
            ("ڕەشید", "Rashid"),
            ("عوسمان", "Osman"),
        ),
        grounds=(("asylum", 2), ("quota_refugee", 1), ("family_of_protected", 1)),
        households=FAMILY_HOUSEHOLDS,
        year_only=0.15,
        year_month=0.05,
        other_languages=("ar",),
    ),
    "kurdish_kurmanji": Origin(
        native_language="kmr",
        interpreter_language="kmr",
        citizenships=("SY",),
        male=(("Azad",), ("Baran",), ("Şêrwan",), ("Welat",), ("Rojhat",), ("Dilovan",)),
        female=(("Rojda",), ("Berfîn",), ("Hêvî",), ("Zelal",), ("Dilan",), ("Nûdem",)),
        families=_f(("Şêxo",), ("Hesen",), ("Xelîl",), ("Reşîd",), ("Îbrahîm",), ("Ehmed",)),
        grounds=(("quota_refugee", 3), ("asylum", 1)),
        households=FAMILY_HOUSEHOLDS,
        year_only=0.1,
        year_month=0.1,
        other_languages=("ar",),
    ),
    "ukrainian": Origin(
        native_language="uk",
        interpreter_language="uk",
        citizenships=("UA",),
        male=(
            ("Олександр", "Oleksandr"),
            ("Андрій", "Andrii"),
            ("Дмитро", "Dmytro"),
            ("Тарас", "Taras"),
            ("Богдан", "Bohdan"),
            ("Микола", "Mykola"),
            ("Максим", "Maksym"),
            ("Артем", "Artem"),
        ),
        female=(
            ("Олена", "Olena"),
            ("Оксана", "Oksana"),
            ("Тетяна", "Tetiana"),
            ("Наталія", "Nataliia"),
            ("Ірина", "Iryna"),
            ("Юлія", "Yuliia"),
            ("Софія", "Sofiia"),
            ("Анастасія", "Anastasiia"),
            ("Вікторія", "Viktoriia"),
        ),
        families=(
            Family(("Шевченко", "Shevchenko")),
            Family(("Коваленко", "Kovalenko")),
            Family(("Бондаренко", "Bondarenko")),
            Family(("Мельник", "Melnyk")),
            Family(("Ткаченко", "Tkachenko")),
            Family(("Кравченко", "Kravchenko")),
            Family(("Бойко", "Boiko")),
            Family(("Олійник", "Oliinyk")),
            Family(("Лисенко", "Lysenko")),
            Family(("Савчук", "Savchuk")),
            Family(("Козлов", "Kozlov"), ("Козлова", "Kozlova")),
        ),
        grounds=(("temporary_protection", 1),),
        # Men of military age mostly stayed: mothers with children and grandmothers came.
        households=(("single_parent", 6), ("single", 3), ("couple_children", 2), ("couple", 1)),
        other_languages=("ru", "en"),
        preferred={"Oleksandr": "Sasha", "Tetiana": "Tania", "Anastasiia": "Nastia"},
    ),
    "russian": Origin(
        native_language="ru",
        interpreter_language="ru",
        citizenships=("RU",),
        male=(("Алексей", "Aleksei"), ("Дмитрий", "Dmitri"), ("Сергей", "Sergei"), ("Михаил", "Mihail")),
        female=(("Екатерина", "Jekaterina"), ("Ольга", "Olga"), ("Наталья", "Natalja"), ("Мария", "Marija")),
        families=(
            Family(("Иванов", "Ivanov"), ("Иванова", "Ivanova")),
            Family(("Смирнов", "Smirnov"), ("Смирнова", "Smirnova")),
            Family(("Кузнецов", "Kuznetsov"), ("Кузнецова", "Kuznetsova")),
            Family(("Соколов", "Sokolov"), ("Соколова", "Sokolova")),
            Family(("Морозов", "Morozov"), ("Морозова", "Morozova")),
        ),
        grounds=(("work", 3), ("family", 2), ("study", 2)),
        households=SINGLE_HOUSEHOLDS,
        other_languages=("en",),
    ),
    # Ingrian Finnish returnees: Finnish family names written in Cyrillic in their passports.
    "returnee": Origin(
        native_language="ru",
        interpreter_language="ru",
        citizenships=("RU",),
        male=(("Виктор", "Viktor"), ("Юрий", "Juri"), ("Андрей", "Andrei")),
        female=(("Ольга", "Olga"), ("Людмила", "Ljudmila"), ("Татьяна", "Tatjana")),
        families=_f(
            ("Ярвинен", "Järvinen"),
            ("Хямяляйнен", "Hämäläinen"),
            ("Мякеля", "Mäkelä"),
            ("Сеппянен", "Seppänen"),
        ),
        grounds=(("returnee", 1),),
        households=(("couple", 2), ("couple_children", 1), ("single", 1)),
        other_languages=("fi",),
    ),
    "somali": Origin(
        native_language="so",
        interpreter_language="so",
        citizenships=("SO",),
        male=(("Abdi",), ("Mohamed",), ("Abdirahman",), ("Hassan",), ("Yusuf",), ("Mahad",), ("Liban",)),
        female=(("Hodan",), ("Faadumo",), ("Ayaan",), ("Hibaaq",), ("Sahra",), ("Nasra",), ("Ifrah",)),
        families=_f(("Warsame",), ("Farah",), ("Jama",), ("Hussein",), ("Osman",), ("Abdullahi",), ("Ali",)),
        grounds=(("family_of_protected", 2), ("asylum", 1), ("subsidiary_protection", 1)),
        households=FAMILY_HOUSEHOLDS,
        year_only=0.3,
        year_month=0.1,
        patronymic=True,
        wife_keeps_name=True,
        other_languages=("ar", "en"),
    ),
    "eritrean": Origin(
        native_language="ti",
        interpreter_language="ti",
        citizenships=("ER",),
        male=(
            ("ዳዊት", "Dawit"),
            ("ሰለሞን", "Solomon"),
            ("ዮናስ", "Yonas"),
            ("ተስፋይ", "Tesfay"),
            ("ብርሃነ", "Berhane"),
        ),
        female=(("ሳባ", "Saba"), ("ሰላም", "Selam"), ("ፍረወይኒ", "Freweyni"), ("ሩታ", "Ruta"), ("ኤልሳ", "Elsa")),
        families=_f(
            ("ገብረሂወት", "Gebrehiwet"),
            ("ተኽለ", "Tekle"),
            ("ሃብተ", "Habte"),
            ("ወልደሚካኤል", "Woldemichael"),
            ("ኪዳነ", "Kidane"),
        ),
        grounds=(("quota_refugee", 3), ("family_of_protected", 1)),
        households=FAMILY_HOUSEHOLDS,
        year_only=0.3,
        year_month=0.1,
        patronymic=True,
        wife_keeps_name=True,
        other_languages=("am", "en"),
    ),
    # Greenhouse and industry workers in Närpes and Vasa.
    "vietnamese": Origin(
        native_language="vi",
        interpreter_language="vi",
        citizenships=("VN",),
        male=(("Văn Hùng",), ("Minh Tuấn",), ("Đức Anh",), ("Quốc Bảo",)),
        female=(("Thị Lan",), ("Thị Hương",), ("Ngọc Ánh",), ("Thu Trang",)),
        families=_f(("Nguyễn",), ("Trần",), ("Lê",), ("Phạm",), ("Đặng",)),
        grounds=(("work", 4), ("family", 1)),
        households=SINGLE_HOUSEHOLDS,
        wife_keeps_name=True,
        other_languages=("en",),
    ),
    "filipino": Origin(
        native_language="tl",
        interpreter_language="tl",
        citizenships=("PH",),
        male=(("Jose Miguel",), ("Mark Anthony",), ("Ramon",)),
        female=(("Maria Cristina",), ("Joy",), ("Rowena",), ("Ma. Lourdes",)),
        families=_f(("Dela Cruz",), ("Santos",), ("Peñaflor",), ("Reyes",), ("Bautista",)),
        grounds=(("work", 1),),
        households=SINGLE_HOUSEHOLDS,
        other_languages=("en",),
    ),
    "polish": Origin(
        native_language="pl",
        interpreter_language="pl",
        citizenships=("PL",),
        male=(("Łukasz",), ("Paweł",), ("Grzegorz",)),
        female=(("Małgorzata",), ("Agnieszka",), ("Katarzyna",)),
        families=(
            Family(("Wójcik",)),
            Family(("Wiśniewski",), ("Wiśniewska",)),
            Family(("Kowalczyk",)),
            Family(("Zieliński",), ("Zielińska",)),
        ),
        grounds=(("eu_citizen", 1),),
        households=SINGLE_HOUSEHOLDS,
        other_languages=("en",),
    ),
    "estonian": Origin(
        native_language="et",
        interpreter_language="et",
        citizenships=("EE",),
        male=(("Jüri",), ("Tõnis",), ("Märt",)),
        female=(("Kärt",), ("Külli",), ("Mari-Liis",)),
        families=_f(("Mägi",), ("Pärn",), ("Kõiv",), ("Sepp",)),
        grounds=(("eu_citizen", 1),),
        households=SINGLE_HOUSEHOLDS,
        other_languages=("fi",),
    ),
    # Married to a Finn: the spouse's family name, the client's own given name.
    "thai": Origin(
        native_language="th",
        interpreter_language="th",
        citizenships=("TH",),
        male=(("Somchai",),),
        female=(("Siriporn",), ("Porntip",), ("Kanya",)),
        families=_f(("Järvinen",)),
        grounds=(("family", 1),),
        households=(("single", 1),),
        other_languages=("en",),
    ),
}

# (organisation holding the case, municipality of residence, origin, about how many persons)
PLACEMENTS: list[tuple[str, str, str, int]] = [
    ("905", "905", "syrian", 18),
    ("905", "905", "iraqi", 8),
    ("905", "905", "afghan", 12),
    ("905", "905", "kurdish_sorani", 6),
    ("905", "905", "somali", 8),
    ("905", "905", "eritrean", 7),
    ("905", "905", "ukrainian", 12),
    ("905", "905", "russian", 4),
    ("905", "905", "returnee", 3),
    ("905", "905", "iranian", 3),
    ("905", "905", "filipino", 3),
    ("905", "905", "thai", 1),
    ("905", "905", "estonian", 2),
    ("545", "545", "syrian", 12),
    ("545", "545", "afghan", 8),
    ("545", "545", "ukrainian", 10),
    ("545", "545", "kurdish_kurmanji", 7),
    ("545", "545", "eritrean", 5),
    ("545", "545", "vietnamese", 6),
    ("545", "545", "polish", 2),
    ("545", "545", "thai", 1),
    ("287", "287", "syrian", 6),
    ("287", "287", "ukrainian", 5),
    ("287", "287", "afghan", 3),
    ("231", "231", "ukrainian", 4),
    ("231", "231", "syrian", 4),
    ("280", "280", "ukrainian", 3),
    ("280", "280", "vietnamese", 2),
    ("280", "280", "afghan", 2),
    ("475", "475", "ukrainian", 5),
    ("475", "475", "somali", 4),
    ("475", "475", "syrian", 4),
    ("kst", "170", "ukrainian", 4),
    ("kst", "170", "syrian", 4),
    ("reception-vasa", "", "ukrainian", 4),
    ("reception-vasa", "", "iraqi", 3),
]
# (organisation, origin, number) of unaccompanied minors, placed in family group homes.
UNACCOMPANIED: list[tuple[str, str, int]] = [
    ("905", "afghan", 3),
    ("905", "somali", 1),
    ("905", "eritrean", 1),
    ("545", "afghan", 2),
]

# Shares that let the welfare area and the employment area see a few clients.
SHARE_PLAN: list[tuple[str, str, str, str, int]] = [
    # (holding organisation, sharing user, receiving organisation, purpose, how many clients)
    ("545", "coordinator.narpes", "welfare-ostrobothnia", "Social-care needs assessment", 3),
    ("905", "coordinator.vasa", "welfare-ostrobothnia", "Social-care needs assessment", 4),
    ("905", "caseworker.vasa", "employment-vasa", "Assessment of integration service needs (jobseeker)", 3),
]
