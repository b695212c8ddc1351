"""The integration plan as a document (kotoutumissuunnitelma / integrationsplan) for the client
to read and sign: a PDF in a staff language (Finnish, Swedish, English) or, where a translation of
the fixed texts exists, in the client's own language, right to left for Arabic, Farsi and Dari.

Only the fixed texts (headings, labels, code-list labels) are translated. What staff typed
(descriptions, service names, notes) is printed as typed, and the client's name both in their own
script and in Latin letters.
"""

import datetime
import unicodedata
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from hemkommun.core.pdf import render_pdf

from .models import IntegrationPlan, Party, PlanGoal, PlanMeasure

TEMPLATE_NAME = "pdf/integration_plan.html"

# Languages whose texts come from the gettext catalogues; LANGUAGES in settings.
STAFF_LANGUAGES = ("fi", "sv", "en")

# Where the model already has the word (a verbose name), the document reuses its msgid, so that
# the document says what the screens say and the catalogues need no new entry.
_FIXED_TEXTS: dict[str, Promise] = {
    "title": capfirst(_("integration plan")),
    "client": _("Client"),
    "name": _("Name"),
    "name_latin": _("Name in Latin letters"),
    "date_of_birth": _("Date of birth"),
    "organisation": _("Organisation"),
    "worker": capfirst(_("worker")),
    "status": capfirst(_("status")),
    "period": _("Plan period"),
    "period_starts": capfirst(_("period starts")),
    "period_ends": capfirst(_("period ends")),
    "accepted_on": capfirst(_("accepted by the client on")),
    "summary": capfirst(_("summary")),
    "goals": capfirst(_("goals")),
    "goal": capfirst(_("goal")),
    "description": capfirst(_("description")),
    "target_level": capfirst(_("language level aimed at")),
    "measures": capfirst(_("measures")),
    "service": capfirst(_("service")),
    "provider": capfirst(_("provider")),
    "responsible": capfirst(_("responsible")),
    "starts": capfirst(_("starts")),
    "ends": capfirst(_("ends")),
    "responsibilities": _("Who is responsible for what"),
    "party": capfirst(_("party")),
    "undertakes": capfirst(_("undertakes")),
    "participants": _("Participants in a multisectoral plan"),
    "reviews": capfirst(_("plan reviews")),
    "reviewed_on": capfirst(_("reviewed on")),
    "notes": capfirst(_("notes")),
    "extensions": capfirst(_("plan extensions")),
    "decided_on": capfirst(_("decided on")),
    "previous_end": capfirst(_("ended before")),
    "new_end": capfirst(_("now ends")),
    "reason": capfirst(_("reason")),
    "acceptance": _("The client's acceptance"),
    "acceptance_text": _("I have taken part in drawing up this plan and I accept it."),
    "place_and_date": _("Place and date"),
    "client_signature": _("Signature of the client"),
    "staff_signature": _("Signature of the staff member"),
    "interpreter_signature": _("Signature of the interpreter"),
    "printed_on": _("Date printed"),
    "nothing_recorded": _("Nothing recorded."),
}

# The code lists the document prints, by the prefix of their keys ("goal_kind.employment").
_CODE_LISTS = {
    "goal_kind": PlanGoal.Kind,
    "measure_status": PlanMeasure.Status,
    "party": Party,
    "plan_status": IntegrationPlan.Status,
}

# The one place that holds the keys: each key with its staff-language text (a gettext msgid).
STAFF_TEXTS: dict[str, Promise] = {
    **_FIXED_TEXTS,
    **{
        f"{prefix}.{value}": label
        for prefix, choices in _CODE_LISTS.items()
        for value, label in choices.choices
    },
}
KEYS = frozenset(STAFF_TEXTS)

# The fixed texts in the languages clients speak, which have no gettext catalogue.
# AWAITING REVIEW: written as careful, plain translations of the English texts above, but not yet
# checked by a professional translator; have each language reviewed before the document is used
# with clients, and keep the keys in step with STAFF_TEXTS (a test compares them).
# Farsi uses the zero-width non-joiner (\u200c) where the orthography joins a word's parts
# without a space (می‌پذیرم); Farsi, Dari and Sorani use the Persian letters ی and ک, never
# the Arabic ي and ك.
CLIENT_TEXTS: dict[str, dict[str, str]] = {
    "ar": {
        "title": "خطة الاندماج",
        "client": "العميل",
        "name": "الاسم",
        "name_latin": "الاسم بالحروف اللاتينية",
        "date_of_birth": "تاريخ الميلاد",
        "organisation": "الجهة",
        "worker": "الموظف المسؤول",
        "status": "الحالة",
        "period": "مدة الخطة",
        "period_starts": "بداية المدة",
        "period_ends": "نهاية المدة",
        "accepted_on": "تاريخ موافقة العميل",
        "summary": "ملخص",
        "goals": "الأهداف",
        "goal": "الهدف",
        "description": "الوصف",
        "target_level": "مستوى اللغة المستهدف",
        "measures": "الإجراءات",
        "service": "الخدمة",
        "provider": "مقدم الخدمة",
        "responsible": "المسؤول",
        "starts": "البداية",
        "ends": "النهاية",
        "responsibilities": "من المسؤول عن ماذا",
        "party": "الطرف",
        "undertakes": "الالتزامات",
        "participants": "المشاركون في الخطة متعددة القطاعات",
        "reviews": "مراجعات الخطة",
        "reviewed_on": "تاريخ المراجعة",
        "notes": "ملاحظات",
        "extensions": "تمديدات الخطة",
        "decided_on": "تاريخ القرار",
        "previous_end": "تاريخ الانتهاء السابق",
        "new_end": "تاريخ الانتهاء الجديد",
        "reason": "السبب",
        "acceptance": "موافقة العميل",
        "acceptance_text": "شاركتُ في إعداد هذه الخطة وأوافق عليها.",
        "place_and_date": "المكان والتاريخ",
        "client_signature": "توقيع العميل",
        "staff_signature": "توقيع الموظف",
        "interpreter_signature": "توقيع المترجم",
        "printed_on": "تاريخ الطباعة",
        "nothing_recorded": "لا يوجد شيء مسجل.",
        "goal_kind.employment": "العمل",
        "goal_kind.studies": "الدراسة",
        "goal_kind.language": "تعلّم اللغة",
        "goal_kind.participation": "المشاركة في المجتمع",
        "goal_kind.parenting": "تربية الأطفال",
        "goal_kind.health": "الصحة والرفاه",
        "measure_status.planned": "مخطط له",
        "measure_status.ongoing": "جارٍ",
        "measure_status.done": "مكتمل",
        "measure_status.interrupted": "متوقف",
        "measure_status.cancelled": "ملغى",
        "party.client": "العميل",
        "party.municipality": "البلدية",
        "party.employment": "خدمات التوظيف",
        "party.welfare": "منطقة الرعاية الاجتماعية والصحية",
        "party.other": "جهة أخرى",
        "plan_status.draft": "مسودة",
        "plan_status.agreed": "متفق عليها",
        "plan_status.ended": "منتهية",
    },
    "fa": {
        "title": "برنامهٔ ادغام",
        "client": "مراجع",
        "name": "نام",
        "name_latin": "نام با حروف لاتین",
        "date_of_birth": "تاریخ تولد",
        "organisation": "سازمان",
        "worker": "کارمند مسئول",
        "status": "وضعیت",
        "period": "مدت برنامه",
        "period_starts": "شروع مدت",
        "period_ends": "پایان مدت",
        "accepted_on": "تاریخ پذیرش مراجع",
        "summary": "خلاصه",
        "goals": "اهداف",
        "goal": "هدف",
        "description": "شرح",
        "target_level": "سطح زبان مورد نظر",
        "measures": "اقدامات",
        "service": "خدمت",
        "provider": "ارائه\u200cدهندهٔ خدمت",
        "responsible": "مسئول",
        "starts": "شروع",
        "ends": "پایان",
        "responsibilities": "چه کسی مسئول چه کاری است",
        "party": "طرف",
        "undertakes": "تعهدات",
        "participants": "شرکت\u200cکنندگان در برنامهٔ چندبخشی",
        "reviews": "بازبینی\u200cهای برنامه",
        "reviewed_on": "تاریخ بازبینی",
        "notes": "یادداشت\u200cها",
        "extensions": "تمدیدهای برنامه",
        "decided_on": "تاریخ تصمیم",
        "previous_end": "تاریخ پایان قبلی",
        "new_end": "تاریخ پایان جدید",
        "reason": "دلیل",
        "acceptance": "پذیرش مراجع",
        "acceptance_text": "من در تهیهٔ این برنامه شرکت کرده\u200cام و آن را می\u200cپذیرم.",
        "place_and_date": "محل و تاریخ",
        "client_signature": "امضای مراجع",
        "staff_signature": "امضای کارمند",
        "interpreter_signature": "امضای مترجم",
        "printed_on": "تاریخ چاپ",
        "nothing_recorded": "چیزی ثبت نشده است.",
        "goal_kind.employment": "اشتغال",
        "goal_kind.studies": "تحصیل",
        "goal_kind.language": "یادگیری زبان",
        "goal_kind.participation": "مشارکت اجتماعی",
        "goal_kind.parenting": "فرزندپروری",
        "goal_kind.health": "سلامت و بهزیستی",
        "measure_status.planned": "برنامه\u200cریزی شده",
        "measure_status.ongoing": "در جریان",
        "measure_status.done": "انجام شده",
        "measure_status.interrupted": "متوقف شده",
        "measure_status.cancelled": "لغو شده",
        "party.client": "مراجع",
        "party.municipality": "شهرداری",
        "party.employment": "خدمات اشتغال",
        "party.welfare": "منطقهٔ خدمات رفاهی",
        "party.other": "سایر",
        "plan_status.draft": "پیش\u200cنویس",
        "plan_status.agreed": "توافق شده",
        "plan_status.ended": "پایان یافته",
    },
    "prs": {
        "title": "پلان ادغام",
        "client": "مراجعه کننده",
        "name": "نام",
        "name_latin": "نام به حروف لاتین",
        "date_of_birth": "تاریخ تولد",
        "organisation": "اداره",
        "worker": "کارمند مسئول",
        "status": "وضعیت",
        "period": "مدت پلان",
        "period_starts": "آغاز مدت",
        "period_ends": "ختم مدت",
        "accepted_on": "تاریخ موافقهٔ مراجعه کننده",
        "summary": "خلاصه",
        "goals": "اهداف",
        "goal": "هدف",
        "description": "توضیحات",
        "target_level": "سطح زبان مورد نظر",
        "measures": "اقدامات",
        "service": "خدمت",
        "provider": "عرضه کنندهٔ خدمت",
        "responsible": "مسئول",
        "starts": "آغاز",
        "ends": "ختم",
        "responsibilities": "کی مسئول کدام کار است",
        "party": "جانب",
        "undertakes": "تعهدات",
        "participants": "اشتراک کنندگان در پلان چند سکتوری",
        "reviews": "بررسی های پلان",
        "reviewed_on": "تاریخ بررسی",
        "notes": "یادداشت ها",
        "extensions": "تمدید های پلان",
        "decided_on": "تاریخ فیصله",
        "previous_end": "تاریخ ختم قبلی",
        "new_end": "تاریخ ختم جدید",
        "reason": "دلیل",
        "acceptance": "موافقهٔ مراجعه کننده",
        "acceptance_text": "من در ترتیب این پلان سهم گرفته ام و آن را قبول دارم.",
        "place_and_date": "محل و تاریخ",
        "client_signature": "امضای مراجعه کننده",
        "staff_signature": "امضای کارمند",
        "interpreter_signature": "امضای ترجمان",
        "printed_on": "تاریخ چاپ",
        "nothing_recorded": "چیزی ثبت نشده است.",
        "goal_kind.employment": "کار و استخدام",
        "goal_kind.studies": "تحصیل",
        "goal_kind.language": "آموختن زبان",
        "goal_kind.participation": "سهم گیری در جامعه",
        "goal_kind.parenting": "تربیهٔ اطفال",
        "goal_kind.health": "صحت و رفاه",
        "measure_status.planned": "پلان شده",
        "measure_status.ongoing": "جریان دارد",
        "measure_status.done": "تکمیل شده",
        "measure_status.interrupted": "متوقف شده",
        "measure_status.cancelled": "لغو شده",
        "party.client": "مراجعه کننده",
        "party.municipality": "شاروالی",
        "party.employment": "خدمات کاریابی",
        "party.welfare": "ساحهٔ خدمات رفاهی",
        "party.other": "دیگر",
        "plan_status.draft": "مسوده",
        "plan_status.agreed": "موافقه شده",
        "plan_status.ended": "ختم شده",
    },
    "ckb": {
        "title": "پلانی خۆگونجاندن",
        "client": "سوودمەند",
        "name": "ناو",
        "name_latin": "ناو بە پیتی لاتینی",
        "date_of_birth": "ڕێکەوتی لەدایکبوون",
        "organisation": "دامەزراوە",
        "worker": "فەرمانبەری بەرپرسیار",
        "status": "دۆخ",
        "period": "ماوەی پلان",
        "period_starts": "دەستپێکی ماوە",
        "period_ends": "کۆتایی ماوە",
        "accepted_on": "ڕێکەوتی ڕەزامەندیی سوودمەند",
        "summary": "کورتە",
        "goals": "ئامانجەکان",
        "goal": "ئامانج",
        "description": "وەسف",
        "target_level": "ئاستی زمانی مەبەست",
        "measures": "ڕێوشوێنەکان",
        "service": "خزمەتگوزاری",
        "provider": "دابینکەری خزمەتگوزاری",
        "responsible": "بەرپرسیار",
        "starts": "دەستپێک",
        "ends": "کۆتایی",
        "responsibilities": "کێ بەرپرسیارە لە چی",
        "party": "لایەن",
        "undertakes": "پابەندبوونەکان",
        "participants": "بەشداربووان لە پلانی فرەکەرتی",
        "reviews": "پێداچوونەوەکانی پلان",
        "reviewed_on": "ڕێکەوتی پێداچوونەوە",
        "notes": "تێبینییەکان",
        "extensions": "درێژکردنەوەکانی پلان",
        "decided_on": "ڕێکەوتی بڕیار",
        "previous_end": "ڕێکەوتی کۆتایی پێشوو",
        "new_end": "ڕێکەوتی کۆتایی نوێ",
        "reason": "هۆکار",
        "acceptance": "ڕەزامەندیی سوودمەند",
        "acceptance_text": "من بەشداریم کردووە لە ئامادەکردنی ئەم پلانەدا و ڕەزامەندم لەسەری.",
        "place_and_date": "شوێن و ڕێکەوت",
        "client_signature": "واژۆی سوودمەند",
        "staff_signature": "واژۆی فەرمانبەر",
        "interpreter_signature": "واژۆی وەرگێڕ",
        "printed_on": "ڕێکەوتی چاپکردن",
        "nothing_recorded": "هیچ شتێک تۆمار نەکراوە.",
        "goal_kind.employment": "کار",
        "goal_kind.studies": "خوێندن",
        "goal_kind.language": "فێربوونی زمان",
        "goal_kind.participation": "بەشداریی کۆمەڵایەتی",
        "goal_kind.parenting": "پەروەردەکردنی منداڵ",
        "goal_kind.health": "تەندروستی و خۆشگوزەرانی",
        "measure_status.planned": "پلان بۆ داندراو",
        "measure_status.ongoing": "بەردەوامە",
        "measure_status.done": "تەواوبوو",
        "measure_status.interrupted": "ڕاگیراو",
        "measure_status.cancelled": "هەڵوەشاوە",
        "party.client": "سوودمەند",
        "party.municipality": "شارەوانی",
        "party.employment": "خزمەتگوزارییەکانی کار",
        "party.welfare": "ناوچەی خۆشگوزەرانی",
        "party.other": "لایەنی تر",
        "plan_status.draft": "ڕەشنووس",
        "plan_status.agreed": "ڕێککەوتوو",
        "plan_status.ended": "کۆتاییهاتوو",
    },
    "uk": {
        "title": "План інтеграції",
        "client": "Клієнт",
        "name": "Ім’я",
        "name_latin": "Ім’я латинськими літерами",
        "date_of_birth": "Дата народження",
        "organisation": "Організація",
        "worker": "Відповідальний працівник",
        "status": "Статус",
        "period": "Строк дії плану",
        "period_starts": "Початок строку",
        "period_ends": "Кінець строку",
        "accepted_on": "Дата згоди клієнта",
        "summary": "Підсумок",
        "goals": "Цілі",
        "goal": "Ціль",
        "description": "Опис",
        "target_level": "Цільовий рівень володіння мовою",
        "measures": "Заходи",
        "service": "Послуга",
        "provider": "Надавач послуги",
        "responsible": "Відповідальний",
        "starts": "Початок",
        "ends": "Кінець",
        "responsibilities": "Хто за що відповідає",
        "party": "Сторона",
        "undertakes": "Зобов’язання",
        "participants": "Учасники міжвідомчого плану",
        "reviews": "Перегляди плану",
        "reviewed_on": "Дата перегляду",
        "notes": "Примітки",
        "extensions": "Продовження плану",
        "decided_on": "Дата рішення",
        "previous_end": "Попередня дата завершення",
        "new_end": "Нова дата завершення",
        "reason": "Причина",
        "acceptance": "Згода клієнта",
        "acceptance_text": "Я брав(-ла) участь у складанні цього плану і погоджуюся з ним.",
        "place_and_date": "Місце і дата",
        "client_signature": "Підпис клієнта",
        "staff_signature": "Підпис працівника",
        "interpreter_signature": "Підпис перекладача",
        "printed_on": "Дата друку",
        "nothing_recorded": "Нічого не записано.",
        "goal_kind.employment": "Працевлаштування",
        "goal_kind.studies": "Навчання",
        "goal_kind.language": "Вивчення мови",
        "goal_kind.participation": "Участь у житті суспільства",
        "goal_kind.parenting": "Виховання дітей",
        "goal_kind.health": "Здоров’я та добробут",
        "measure_status.planned": "Заплановано",
        "measure_status.ongoing": "Триває",
        "measure_status.done": "Завершено",
        "measure_status.interrupted": "Перервано",
        "measure_status.cancelled": "Скасовано",
        "party.client": "Клієнт",
        "party.municipality": "Муніципалітет",
        "party.employment": "Служба зайнятості",
        "party.welfare": "Округ добробуту",
        "party.other": "Інше",
        "plan_status.draft": "Чернетка",
        "plan_status.agreed": "Погоджено",
        "plan_status.ended": "Завершено",
    },
    "ru": {
        "title": "План интеграции",
        "client": "Клиент",
        "name": "Имя",
        "name_latin": "Имя латинскими буквами",
        "date_of_birth": "Дата рождения",
        "organisation": "Организация",
        "worker": "Ответственный сотрудник",
        "status": "Статус",
        "period": "Срок действия плана",
        "period_starts": "Начало срока",
        "period_ends": "Окончание срока",
        "accepted_on": "Дата согласия клиента",
        "summary": "Краткое содержание",
        "goals": "Цели",
        "goal": "Цель",
        "description": "Описание",
        "target_level": "Целевой уровень владения языком",
        "measures": "Мероприятия",
        "service": "Услуга",
        "provider": "Поставщик услуги",
        "responsible": "Ответственный",
        "starts": "Начало",
        "ends": "Окончание",
        "responsibilities": "Кто за что отвечает",
        "party": "Сторона",
        "undertakes": "Обязательства",
        "participants": "Участники межведомственного плана",
        "reviews": "Пересмотры плана",
        "reviewed_on": "Дата пересмотра",
        "notes": "Примечания",
        "extensions": "Продления плана",
        "decided_on": "Дата решения",
        "previous_end": "Прежняя дата окончания",
        "new_end": "Новая дата окончания",
        "reason": "Причина",
        "acceptance": "Согласие клиента",
        "acceptance_text": "Я участвовал(-а) в составлении этого плана и согласен (согласна) с ним.",
        "place_and_date": "Место и дата",
        "client_signature": "Подпись клиента",
        "staff_signature": "Подпись сотрудника",
        "interpreter_signature": "Подпись переводчика",
        "printed_on": "Дата печати",
        "nothing_recorded": "Ничего не записано.",
        "goal_kind.employment": "Трудоустройство",
        "goal_kind.studies": "Учёба",
        "goal_kind.language": "Изучение языка",
        "goal_kind.participation": "Участие в жизни общества",
        "goal_kind.parenting": "Воспитание детей",
        "goal_kind.health": "Здоровье и благополучие",
        "measure_status.planned": "Запланировано",
        "measure_status.ongoing": "Выполняется",
        "measure_status.done": "Завершено",
        "measure_status.interrupted": "Прервано",
        "measure_status.cancelled": "Отменено",
        "party.client": "Клиент",
        "party.municipality": "Муниципалитет",
        "party.employment": "Служба занятости",
        "party.welfare": "Округ благосостояния",
        "party.other": "Другое",
        "plan_status.draft": "Черновик",
        "plan_status.agreed": "Согласован",
        "plan_status.ended": "Завершён",
    },
    "so": {
        "title": "Qorshaha isdhexgalka",
        "client": "Macmiilka",
        "name": "Magaca",
        "name_latin": "Magaca oo far Laatiin ah",
        "date_of_birth": "Taariikhda dhalashada",
        "organisation": "Hay'adda",
        "worker": "Shaqaalaha masuulka ah",
        "status": "Xaaladda",
        "period": "Muddada qorshaha",
        "period_starts": "Bilowga muddada",
        "period_ends": "Dhammaadka muddada",
        "accepted_on": "Taariikhda uu macmiilku aqbalay",
        "summary": "Soo koobid",
        "goals": "Yoolalka",
        "goal": "Yoolka",
        "description": "Sharaxaad",
        "target_level": "Heerka luqadda la higsanayo",
        "measures": "Tallaabooyinka",
        "service": "Adeegga",
        "provider": "Bixiyaha adeegga",
        "responsible": "Masuulka",
        "starts": "Bilowga",
        "ends": "Dhammaadka",
        "responsibilities": "Yaa masuul ka ah maxay",
        "party": "Dhinaca",
        "undertakes": "Waxa uu ballan qaaday",
        "participants": "Ka qaybgalayaasha qorshaha waaxaha badan",
        "reviews": "Dib u eegista qorshaha",
        "reviewed_on": "Taariikhda dib u eegista",
        "notes": "Qoraallo",
        "extensions": "Kordhinta qorshaha",
        "decided_on": "Taariikhda go'aanka",
        "previous_end": "Taariikhdii hore ee dhammaadka",
        "new_end": "Taariikhda cusub ee dhammaadka",
        "reason": "Sababta",
        "acceptance": "Oggolaanshaha macmiilka",
        "acceptance_text": "Waxaan ka qayb qaatay diyaarinta qorshahan, waanan aqbalay.",
        "place_and_date": "Goobta iyo taariikhda",
        "client_signature": "Saxiixa macmiilka",
        "staff_signature": "Saxiixa shaqaalaha",
        "interpreter_signature": "Saxiixa turjumaanka",
        "printed_on": "Taariikhda la daabacay",
        "nothing_recorded": "Waxba lama diiwaangelin.",
        "goal_kind.employment": "Shaqo",
        "goal_kind.studies": "Waxbarasho",
        "goal_kind.language": "Barashada luqadda",
        "goal_kind.participation": "Ka qaybgalka bulshada",
        "goal_kind.parenting": "Barbaarinta carruurta",
        "goal_kind.health": "Caafimaadka iyo fayoobaanta",
        "measure_status.planned": "La qorsheeyay",
        "measure_status.ongoing": "Socda",
        "measure_status.done": "La dhammeeyay",
        "measure_status.interrupted": "La hakiyay",
        "measure_status.cancelled": "La baajiyay",
        "party.client": "Macmiilka",
        "party.municipality": "Degmada",
        "party.employment": "Adeegyada shaqada",
        "party.welfare": "Gobolka daryeelka",
        "party.other": "Kale",
        "plan_status.draft": "Qabyo",
        "plan_status.agreed": "La isku raacay",
        "plan_status.ended": "Dhammaaday",
    },
    "ti": {
        "title": "ናይ ምውህሃድ መደብ",
        "client": "ዓሚል",
        "name": "ስም",
        "name_latin": "ስም ብላቲን ፊደላት",
        "date_of_birth": "ዕለተ ልደት",
        "organisation": "ትካል",
        "worker": "ሓላፊ ሰራሕተኛ",
        "status": "ኩነታት",
        "period": "ግዜ መደብ",
        "period_starts": "መጀመርታ ግዜ",
        "period_ends": "መወዳእታ ግዜ",
        "accepted_on": "ዓሚል ዝተቐበለሉ ዕለት",
        "summary": "ጽማቕ",
        "goals": "ዕላማታት",
        "goal": "ዕላማ",
        "description": "መግለጺ",
        "target_level": "ዝድለ ደረጃ ቋንቋ",
        "measures": "ስጉምትታት",
        "service": "ኣገልግሎት",
        "provider": "ኣቕራቢ ኣገልግሎት",
        "responsible": "ሓላፊ",
        "starts": "መጀመርታ",
        "ends": "መወዳእታ",
        "responsibilities": "መን ንምንታይ ሓላፊ እዩ",
        "party": "ወገን",
        "undertakes": "ግዴታታት",
        "participants": "ተሳተፍቲ ኣብ ብዙሕ ዘርፍታት ዘሳትፍ መደብ",
        "reviews": "ምግምጋም መደብ",
        "reviewed_on": "ዕለት ምግምጋም",
        "notes": "መዘኻኸሪታት",
        "extensions": "ምንዋሕ መደብ",
        "decided_on": "ዕለት ውሳነ",
        "previous_end": "ናይ ቀደም ዕለት መወዳእታ",
        "new_end": "ሓድሽ ዕለት መወዳእታ",
        "reason": "ምኽንያት",
        "acceptance": "ፍቓድ ዓሚል",
        "acceptance_text": "ኣብ ምድላው እዚ መደብ ተሳቲፈ ኣለኹ፣ ከምኡውን ተቐቢለዮ ኣለኹ።",
        "place_and_date": "ቦታን ዕለትን",
        "client_signature": "ፊርማ ዓሚል",
        "staff_signature": "ፊርማ ሰራሕተኛ",
        "interpreter_signature": "ፊርማ ተርጓሚ",
        "printed_on": "ዝተሓትመሉ ዕለት",
        "nothing_recorded": "ዝተመዝገበ የለን።",
        "goal_kind.employment": "ስራሕ",
        "goal_kind.studies": "ትምህርቲ",
        "goal_kind.language": "ምምሃር ቋንቋ",
        "goal_kind.participation": "ማሕበራዊ ተሳትፎ",
        "goal_kind.parenting": "ኣዕብዮ ቆልዑ",
        "goal_kind.health": "ጥዕናን ደሓንነትን",
        "measure_status.planned": "ዝተመደበ",
        "measure_status.ongoing": "ኣብ መስርሕ",
        "measure_status.done": "ዝተዛዘመ",
        "measure_status.interrupted": "ዝተቋረጸ",
        "measure_status.cancelled": "ዝተሰረዘ",
        "party.client": "ዓሚል",
        "party.municipality": "ምምሕዳር ከተማ",
        "party.employment": "ኣገልግሎት ስራሕ",
        "party.welfare": "ዞባ ደሓንነት",
        "party.other": "ካልእ",
        "plan_status.draft": "ንድፊ",
        "plan_status.agreed": "ስምምዕ ዝተገብረሉ",
        "plan_status.ended": "ዝተዛዘመ",
    },
}

# Levels a goal may aim at that mean something printed; "native" and "unknown" are not aims.
_CEFR_LEVELS = frozenset({"A1", "A2", "B1", "B2", "C1", "C2"})


def document_languages(plan: IntegrationPlan) -> list[str]:
    """The languages the plan can be printed in: the staff languages, then the client's native
    and interpreter language where CLIENT_TEXTS has the fixed texts for them."""
    client = plan.client
    languages = list(STAFF_LANGUAGES)
    for language in (client.native_language, client.interpreter_language):
        if language in CLIENT_TEXTS and language not in languages:
            languages.append(language)
    return languages


def document_texts(language: str) -> dict[str, str]:
    """Every fixed text of the document, by key, in the language; ValueError if it has none."""
    if language in STAFF_LANGUAGES:
        with translation.override(language):
            return {key: str(text) for key, text in STAFF_TEXTS.items()}
    if language in CLIENT_TEXTS:
        return dict(CLIENT_TEXTS[language])
    raise ValueError(f"The plan document has no texts in {language!r}")


def plan_pdf(*, plan: IntegrationPlan, language: str, include_health: bool) -> bytes:
    """The plan as a PDF in the language, one of document_languages(plan) (others: ValueError).

    The plan is read again with everything the document shows, in a fixed handful of queries
    however many goals and measures it has; the caller has already decided that the reader may
    see it.
    """
    texts = document_texts(language)
    plan = _plan_with_everything(plan.pk)
    # Organisation names follow the active language (Swedish or Finnish).
    with translation.override(language):
        context = _context(plan, texts, include_health=include_health)
    return render_pdf(template_name=TEMPLATE_NAME, context=context, language=language)


def _plan_with_everything(pk: int) -> IntegrationPlan:
    return (
        IntegrationPlan.objects.select_related("client", "organisation", "worker")
        .prefetch_related(
            "goals",
            Prefetch("measures", queryset=PlanMeasure.objects.select_related("goal", "provider")),
            "responsibilities",
            "reviews",
            "extensions",
            "participants",
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class Typed:
    """Text as staff typed it, printed as it is (escaped) in the direction of its first strong
    letter: HTML's dir="auto", which WeasyPrint does not know. So a Finnish note keeps its full
    stop at the end of the line in an Arabic document, and an Arabic one in a Finnish document."""

    text: str

    @property
    def dir(self) -> str:
        for char in self.text:
            kind = unicodedata.bidirectional(char)
            if kind == "L":
                return "ltr"
            if kind in ("R", "AL"):
                return "rtl"
        return ""  # digits and punctuation only: the document's direction


def _date(value: datetime.date | None) -> str:
    # Day.month.year, as Finnish authorities write it, in every language: no month names to
    # translate, and digits and dots read the same in a right-to-left line.
    return f"{value.day}.{value.month}.{value.year}" if value else ""


def _context(plan: IntegrationPlan, texts: dict[str, str], *, include_health: bool) -> dict:
    client = plan.client

    def label(prefix: str, value: str) -> str:
        return texts.get(f"{prefix}.{value}", value)

    name = f"{client.family_name} {client.given_names}".strip()
    name_latin = f"{client.family_name_latin} {client.given_names_latin}".strip()
    goals = list(plan.goals.all())
    return {
        "t": texts,
        "client": {
            "name": name,
            "name_latin": name_latin or name,
            "date_of_birth": client.date_of_birth_display,
            "needs_interpreter": client.interpreter_needed or bool(client.interpreter_language),
        },
        "plan": {
            "organisation": plan.organisation.name,
            "worker": plan.worker.get_full_name() or plan.worker.get_username(),
            "status": label("plan_status", plan.status),
            "starts_on": _date(plan.starts_on),
            "ends_on": _date(plan.ends_on),
            "agreed_on": _date(plan.agreed_on),
            "summary": Typed(plan.summary),
            "multisectoral": plan.multisectoral,
        },
        "goals": [
            {
                "kind": label("goal_kind", goal.kind),
                # A health goal's text is health data: only for readers who may see it.
                "description": Typed(goal.description if include_health or not goal.is_health else ""),
                "target_level": goal.target_level if goal.target_level in _CEFR_LEVELS else "",
            }
            for goal in goals
        ],
        "measures": [
            {
                "service": Typed(measure.service),
                "goal": label("goal_kind", measure.goal.kind) if measure.goal else "",
                "provider": Typed(measure.provider.name if measure.provider else measure.provider_name),
                "responsible": label("party", measure.responsible),
                "starts_on": _date(measure.starts_on),
                "ends_on": _date(measure.ends_on),
                "status": label("measure_status", measure.status),
            }
            for measure in plan.measures.all()
        ],
        "responsibilities": [
            {"party": label("party", item.party), "description": Typed(item.description)}
            for item in plan.responsibilities.all()
        ],
        "participants": [Typed(organisation.name) for organisation in plan.participants.all()],
        "reviews": [
            {"reviewed_on": _date(review.reviewed_on), "notes": Typed(review.notes)}
            for review in plan.reviews.all()
        ],
        "extensions": [
            {
                "decided_on": _date(extension.decided_on),
                "previous_end": _date(extension.previous_end),
                "new_end": _date(extension.new_end),
                "reason": Typed(extension.reason),
            }
            for extension in plan.extensions.all()
        ],
        "printed_on": _date(timezone.localdate()),
    }
