"""The quantity recognizer's word tables, and the normalization their keys are written in.

Every table is a module constant built once, at import, by a pure function that returns it (nothing
here is filled in from elsewhere). Keys are written naturally in the source and normalized with
``normalize`` when the tables are built: the tokenizer normalizes each word the same way before a
lookup. The lists follow annotations/GUIDELINES.md §3 (what is and is not a quantity, units, currencies).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, NamedTuple

__all__ = [
    "CLITICS",
    "CLITIC_ARTICLES",
    "COUNTED_W_OK",
    "COUNTED_Y_OK",
    "CUBE",
    "CUBED",
    "CURRENCIES",
    "CURRENCY_QUALIFIERS",
    "DIGIT_TABLE",
    "DUAL_COUNTS",
    "DURATION_UNITS",
    "ENERGY",
    "GLUE",
    "IDIOMS",
    "ID_HEADS",
    "LETTER_NAMES",
    "MONTHS",
    "NOT_COUNTED_DEF",
    "NOT_NUMBER",
    "NUMBER_WORDS",
    "ORDINALS",
    "PERIOD_AFTER",
    "PLURAL_LOW",
    "REMOVED",
    "SCORE_WORDS",
    "SINGLE_OK",
    "SQUARE",
    "SQUARED",
    "STOP",
    "TIME_AFTER",
    "UNIT_WORDS",
    "WA",
    "YEAR_HEADS",
    "YEAR_PREPOSITIONS",
    "NumberCategory",
    "NumberForm",
    "NumberWord",
    "UnitForm",
    "UnitWord",
    "bases",
    "emitted_units",
    "normalize",
    "split_words",
]

# --------------------------------------------------------------------------------------------------
# Normalization

_NORM_TABLE = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ة": "ه",
        "ک": "ك",
        "\u0640": None,
        "\u0670": None,
        **{chr(c): None for c in range(0x064B, 0x0660)},
    }
)
DIGIT_TABLE = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")  # Arabic-Indic and Persian digits
REMOVED = frozenset(chr(c) for c in (*range(0x064B, 0x0660), 0x0670, 0x0640))  # what ``normalize`` deletes


def split_words(words: str) -> list[str]:
    """A word list written as one string, split on spaces."""
    return words.split()


def normalize(word: str) -> str:
    """Lookup form: no marks or tatweel, one alef, ي for ى, ه for ة."""
    return word.translate(_NORM_TABLE)


# --------------------------------------------------------------------------------------------------
# Number words

# d unit digit, t ten, T tens, h hundreds, s scale, v vague, f fraction, b few (بضع، عدة), m most (معظم),
# r a part (جزء من مئة: a proportion, D93)
NumberCategory = Literal["d", "t", "T", "h", "s", "v", "f", "b", "m", "r"]
# scales and fractions: "1" singular, "2" dual, "p" plural; d: "teen" needs عشر, "one" is واحد, "frac" is
# spelled like a fraction (خمس five / خُمس a fifth, سبع، تسع); "pron": with an attached pronoun (نصفهم،
# ثلثاهم، معظمهم), so no counted noun follows; "" otherwise
NumberForm = Literal["", "1", "2", "p", "teen", "one", "frac", "pron"]


class NumberWord(NamedTuple):
    cat: NumberCategory
    val: float
    form: NumberForm = ""
    definite: bool = False


def _number_words() -> dict[str, NumberWord]:
    """Every number word (and its definite form where it has one) by its normalized spelling."""
    table: dict[str, NumberWord] = {}

    def add(words: str, entry: NumberWord, definite: bool = False) -> None:
        for w in words.split():
            table[normalize(w)] = entry._replace(val=float(entry.val))
            if definite:
                table[normalize("ال" + w)] = entry._replace(val=float(entry.val), definite=True)

    add("واحد واحدا واحدة", NumberWord("d", 1, "one"))
    add("أحد إحدى", NumberWord("d", 1, "teen"))
    add("اثنان اثنين اثنتان اثنتين ثنتان ثنتين", NumberWord("d", 2))
    add("اثنا اثني اثنتا اثنتي", NumberWord("d", 2, "teen"))
    for v, forms in enumerate(
        ("ثلاث ثلاثة", "أربع أربعة", "خمس خمسة", "ست ستة", "سبع سبعة", "ثمان ثماني ثمانية", "تسع تسعة"), 3
    ):
        add(forms, NumberWord("d", v), definite=True)
    add("ثلاثا أربعا ستا ثمانيا", NumberWord("d", 0))  # the accusative of the feminine: أربعا وثلاثين حالة
    for v, w in ((3, "ثلاثا"), (4, "أربعا"), (6, "ستا"), (8, "ثمانيا")):
        table[normalize(w)] = NumberWord("d", float(v))
    for w in ("خمس", "سبع", "تسع"):  # five or a fifth (خُمس) ...: told apart by the words around them
        table[w] = table[w]._replace(form="frac")
    add("عشر عشرة", NumberWord("t", 10), definite=True)
    for v, forms in enumerate(
        (
            "عشرون عشرين",
            "ثلاثون ثلاثين",
            "أربعون أربعين",
            "خمسون خمسين",
            "ستون ستين",
            "سبعون سبعين",
            "ثمانون ثمانين",
            "تسعون تسعين",
        ),
        2,
    ):
        add(forms, NumberWord("T", v * 10), definite=True)
    add("مئة مائة", NumberWord("h", 100))
    add("مئتان مئتين مئتا مئتي مائتان مائتين مائتا مائتي", NumberWord("h", 200))
    for v, stems in enumerate(
        ("ثلاث ثلث", "أربع", "خمس", "ست", "سبع", "ثمان ثماني", "تسع"),
        3,
    ):
        for stem in stems.split():
            add(f"{stem}مئة {stem}مائة", NumberWord("h", v * 100))
    add("ألف ألفا", NumberWord("s", 1e3, "1"))
    add("ألفان ألفين ألفي", NumberWord("s", 1e3, "2"))
    add("آلاف ألوف", NumberWord("s", 1e3, "p"), definite=True)
    add("مليون مليونا", NumberWord("s", 1e6, "1"))
    add("مليونان مليونين مليوني", NumberWord("s", 1e6, "2"))
    add("ملايين", NumberWord("s", 1e6, "p"), definite=True)
    add("مليار مليارا بليون بليونا", NumberWord("s", 1e9, "1"))
    add("ملياران مليارين ملياري", NumberWord("s", 1e9, "2"))
    add("مليارات بلايين", NumberWord("s", 1e9, "p"), definite=True)
    add("دزينة دستة", NumberWord("s", 12, "1"))  # a dozen: ثلاث دزينات = 36
    add("دزينتان دزينتين دستتان دستتين", NumberWord("s", 12, "2"))
    add("دزينات دستات", NumberWord("s", 12, "p"))
    add("جزء جزءا", NumberWord("r", 1))
    add("تريليون ترليون", NumberWord("s", 1e12, "1"))
    add("تريليونات ترليونات", NumberWord("s", 1e12, "p"))
    add("عشرات", NumberWord("v", 20), definite=True)
    add("مئات", NumberWord("v", 200), definite=True)
    add("بضع بضعة عدة", NumberWord("b", 3))
    add("نيف", NumberWord("b", 1))  # نيف وعشرون (D95)
    add("نصف", NumberWord("f", 0.5), definite=True)
    add("ثلث", NumberWord("f", 1 / 3), definite=True)
    add("ربع", NumberWord("f", 0.25), definite=True)
    add("ثلثا ثلثي", NumberWord("f", 2 / 3), definite=True)
    add("أرباع", NumberWord("f", 0.25, "p"))
    add("أثلاث", NumberWord("f", 1 / 3, "p"))
    for denominator, words in ((5, "أخماس"), (6, "أسداس"), (7, "أسباع"), (8, "أثمان"), (9, "أتساع"), (10, "أعشار")):
        add(words, NumberWord("f", 1 / denominator, "p"))  # ثلاثة أخماس، خمسة أثمان
    add("ثلثان ثلثين", NumberWord("f", 2 / 3))
    add("صفر", NumberWord("d", 0))
    pronouns = ("ه", "ها", "هم", "هما", "هن", "كم", "نا")
    for stem, val in (("نصف", 0.5), ("ثلث", 1 / 3), ("ربع", 0.25), ("ثلثي", 2 / 3)):
        add(" ".join(stem + p for p in pronouns), NumberWord("f", val, "pron"))
    add(" ".join("ثلثا" + p for p in pronouns), NumberWord("f", 2 / 3, "pron"))  # ثلثاهم
    # most (D65): more than half of a whole
    add("معظم أغلب غالبية أغلبية الغالبية الأغلبية", NumberWord("m", 0.5))
    for stem in ("معظم", "أغلب", "غالبيت", "أغلبيت"):
        add(" ".join(stem + p for p in pronouns), NumberWord("m", 0.5, "pron"))
    return table


NUMBER_WORDS = _number_words()

# Vague low bounds for plural scales standing alone ("آلاف الأجانب").
PLURAL_LOW = {1e3: 2e3, 1e6: 2e6, 1e9: 2e9, 1e12: 2e12}


# --------------------------------------------------------------------------------------------------
# Units

UnitForm = Literal["1", "2", "p"]  # singular, dual, plural


class UnitWord(NamedTuple):
    code: str  # a unit code from labels.json, or "" for a currency with none
    form: UnitForm
    definite: bool = False
    family: str = ""  # the key of a currency's qualifiers when it has no default code (درهم)


def _unit_words() -> dict[str, UnitWord]:
    """Every unit word by its normalized spelling."""
    table: dict[str, UnitWord] = {}

    def unit(
        code: str, singular: str = "", dual: str = "", plural: str = "", definite: str = "", family: str = ""
    ) -> None:
        forms: tuple[tuple[UnitForm, str], ...] = (("1", singular), ("2", dual), ("p", plural))
        for form, words in forms:
            for w in words.split():
                table[normalize(w)] = UnitWord(code, form, family=family)
        for w in definite.split():  # definite forms: "2" duals and "p" plurals, told apart by their ending
            n = normalize(w)
            table[n] = UnitWord(code, "2" if n.endswith(("ين", "ان")) and not n.endswith("سنين") else "p", True)

    unit("hour", "ساعة", "ساعتين ساعتان", "ساعات", "الساعتين الساعات")
    unit("day", "يوم يوما", "يومين يومان", "أيام", "اليومين الأيام")
    unit("week", "أسبوع أسبوعا", "أسبوعين أسبوعان", "أسابيع", "الأسبوعين الأسابيع")
    unit("month", "شهر شهرا", "شهرين شهران", "أشهر شهور", "الشهرين الأشهر الشهور")
    unit(
        "year",
        "سنة عام عاما",
        "سنتين سنتان عامين عامان",
        "سنوات سنين أعوام",
        "السنتين العامين السنوات السنين الأعوام",
    )
    unit("minute", "دقيقة", "دقيقتين دقيقتان", "دقائق", "الدقيقتين الدقائق")
    unit("second", "ثانية", "ثانيتين ثانيتان", "ثوان ثواني ثوانٍ", "الثواني")
    unit("km", "كيلومتر كيلومترا كم كلم", "كيلومترين", "كيلومترات")
    unit("m", "متر مترا", "مترين", "أمتار")
    unit("cm", "سنتيمتر سنتيمترا سنتمتر سنتمترا سم", "", "سنتيمترات سنتمترات")
    unit("mm", "مليمتر مليمترا ملليمتر ملليمترا ملم مم", "", "مليمترات ملليمترات")
    unit("l", "لتر لترا ليتر ليترا", "لترين ليترين", "لترات ليترات", "اللترات")
    unit("bbl", "برميل برميلا", "برميلين برميلان", "براميل", "البراميل")
    unit("kW", "كيلوواط كيلووات")
    unit("MW", "ميغاواط ميغاوات ميجاواط ميجاوات")
    unit("GW", "غيغاواط غيغاوات جيجاواط جيجاوات")
    unit("g", "غرام غراما جرام جراما", "غرامين", "غرامات جرامات")
    unit("celsius", "°")
    unit("mi", "ميل ميلا", "ميلين", "أميال")
    unit("ha", "هكتار هكتارا", "", "هكتارات", "الهكتارات")
    unit("dunum", "دونم دونما", "دونمين", "دونمات دوانم")
    unit("t", "طن طنا", "طنين", "أطنان", "الأطنان")
    unit("kg", "كيلوغرام كيلوغراما كيلوجرام كيلوجراما كغ كلغ كجم", "", "كيلوغرامات كيلوجرامات")
    unit("percent", "بالمئة بالمائة بالمية")
    unit("times", "ضعف ضعفا مرة", "ضعفين ضعفان ضعفي مرتين مرتان", "أضعاف مرات")
    unit("USD", "دولار دولارا", "دولارين", "دولارات", "الدولارات الدولار")
    unit("IQD", "دينار دينارا", "دينارين", "دنانير", "الدنانير")
    unit("SYP", "ليرة", "ليرتين", "ليرات", "الليرات")
    unit("EUR", "يورو")
    unit("EGP", "جنيه جنيها", "جنيهين", "جنيهات")
    unit("SAR", "ريال ريالا", "ريالين", "ريالات")
    unit("CNY", "يوان")
    unit("JPY", "ين")
    unit("RUB", "روبل روبلا", "", "روبلات")
    unit("ILS", "شيكل شيكلا شيقل شيقلا شيكلات", "", "شواكل شيكلات")
    # currencies whose default has no code: a qualifier names it (درهم إماراتي), or the mention is left out
    unit("", "درهم درهما", "درهمين", "دراهم", family="dirham")
    unit("", "فرنك فرنكا", "", "فرنكات", family="franc")
    unit("", "روبية", "", "روبيات", family="rupee")
    unit("", "تومان بيزو بوليفار")
    return table


UNIT_WORDS = _unit_words()

CURRENCIES = frozenset({"USD", "IQD", "SYP", "EUR", "EGP", "SAR", "CNY", "JPY", "RUB", "ILS"})
SQUARE = frozenset(normalize(w) for w in split_words("مربع مربعا مربعة المربع المربعة مربعين"))
SQUARED = {"km": "km2", "m": "m2"}
CUBE = frozenset(normalize(w) for w in split_words("مكعب مكعبا مكعبة المكعب المكعبة مكعبين"))
CUBED = {"m": "m3"}
ENERGY = {"kW": "kWh", "MW": "MWh", "GW": "GWh"}  # a power unit followed by ساعة (ميغاواط ساعة)
DURATION_UNITS = frozenset({"hour", "day", "week", "month", "year", "minute", "second"})
# Units that may stand alone after a bound word ("أكثر من أسبوع") or before واحد ("يوم واحد").
SINGLE_OK = (DURATION_UNITS - {"second"}) | CURRENCIES | {"km", "m", "mi", "t", "kg"}


def _currency_qualifiers() -> dict[str, dict[str, str | None]]:
    """Currency adjectives by the currency word's default code: adjective → code, or None (not in labels)."""
    table: dict[str, dict[str, str | None]] = {}

    def qual(default: str, words: str, code: str | None) -> None:
        for w in words.split():
            accusative = (w + "ا",) if w.endswith("ي") else ()  # دينارا أردنيا
            for form in (w, "ال" + w, *accusative):
                table.setdefault(default, {})[normalize(form)] = code

    qual("USD", "أمريكي أميركي أمريكيا أميركيا", "USD")
    qual("USD", "كندي أسترالي استرالي سنغافوري نيوزيلندي", None)
    qual("IQD", "عراقي", "IQD")
    qual("IQD", "أردني", "JOD")
    qual("IQD", "كويتي", "KWD")
    qual("IQD", "بحريني", "BHD")
    qual("IQD", "ليبي", "LYD")
    qual("IQD", "تونسي", "TND")
    qual("IQD", "جزائري", "DZD")
    qual("IQD", "صربي مقدوني", None)
    qual("SYP", "سورية سوري", "SYP")
    qual("SYP", "تركية تركي", "TRY")
    qual("SYP", "لبنانية لبناني", "LBP")
    qual("EGP", "مصري", "EGP")
    qual("EGP", "إسترليني استرليني", "GBP")
    qual("EGP", "سوداني", "SDG")
    qual("EGP", "جنوب", None)
    qual("SAR", "سعودي", "SAR")
    qual("SAR", "إيراني", "IRR")
    qual("SAR", "قطري", "QAR")
    qual("SAR", "عماني", "OMR")
    qual("SAR", "يمني", "YER")
    qual("SAR", "برازيلي", None)
    qual("CNY", "صيني", "CNY")
    qual("JPY", "ياباني", "JPY")
    qual("RUB", "روسي", "RUB")
    qual("ILS", "إسرائيلي", "ILS")
    qual("dirham", "إماراتي اماراتي", "AED")
    qual("dirham", "مغربي", "MAD")
    qual("franc", "سويسري", "CHF")
    qual("rupee", "هندية هندي", "INR")
    return table


CURRENCY_QUALIFIERS = _currency_qualifiers()


# --------------------------------------------------------------------------------------------------
# Word lists: counted nouns, heads of dates and identifiers, stop words

DUAL_COUNTS = frozenset(
    normalize(w)
    for w in split_words(
        "شخصين شخصان جنديين جنديان طفلين طفلان قتيلين قتيلان جريحين جريحان عنصرين عنصران ضابطين"
        " ضابطان صاروخين صاروخان هجومين هجومان تفجيرين انفجارين سيارتين طائرتين قريتين مدينتين"
        " دولتين بلدين منزلين امرأتين رجلين شقيقين عبوتين جبهتين غارتين مروحيتين دبابتين حافلتين"
        " سجينين رهينتين قذيفتين رقمين رقمان هدفين هدفان نقطتين مقعدين مقعدان مباراتين ميداليتين"
    )
)
DUAL_COUNTS = DUAL_COUNTS | {w[:-2] + "ان" for w in DUAL_COUNTS if w.endswith("تين")}  # طائرتين، طائرتان

MONTHS = frozenset(
    normalize(w)
    for w in split_words(
        "يناير فبراير مارس أبريل إبريل ابريل مايو يونيو يونيه يوليو يوليه أغسطس اغسطس سبتمبر أكتوبر"
        " اكتوبر نوفمبر ديسمبر كانون شباط آذار اذار نيسان أيار حزيران تموز آب أيلول تشرين محرم رجب شعبان"
        " رمضان شوال"
    )
)
YEAR_HEADS = frozenset(
    normalize(w)
    for w in split_words(
        "عام العام عامي سنة السنة سنتي مطلع أوائل أواخر أواسط منتصف بداية بدايات نهاية نهايات خريف ربيع صيف شتاء"
        " موازنة ميزانية انتخابات دستور مونديال أولمبياد"
    )
)
SCORE_WORDS = frozenset(normalize(w) for w in ("بنتيجة", "بنتيجه"))  # بنتيجة صفر-2: a score, not a quantity
ID_HEADS = frozenset(
    normalize(w)
    for w in split_words(
        "اللواء لواء الفرقة فرقة الفوج فوج الكتيبة كتيبة السرية الفيلق فيلق القرار قرار القانون قانون"
        " المادة مادة الفقرة فقرة البند بند العدد الصفحة صفحة ص رقم الرقم المرسوم مرسوم الطريق طريق"
        " الشارع شارع الجزء المجلد الحلقة الطبعة الإصدار الغرفة المبنى الطابق البوابة الكيلو المرتبة"
        " المركز الدرجة النقطة المرحلة الدورة الجولة الموديل طراز الطراز الهاتف هاتف واتساب تلفون جوال"
        " موبايل الخط الآية سورة المقعد الدقيقة الشوط"
    )
)
YEAR_PREPOSITIONS = frozenset(normalize(w) for w in split_words("في منذ حتى قبل بعد خلال مع مطلع"))
LETTER_NAMES = frozenset(split_words("آي إف اف إم سو ميغ ميج تي بي جي إس إتش كا"))
TIME_AFTER = frozenset(normalize(w) for w in split_words("صباحا صباح مساء مساءا ظهرا عصرا فجرا ليلا بتوقيت ص"))
ORDINALS = frozenset(
    normalize(w)
    for w in split_words(
        "حادي ثاني ثالث رابع خامس سادس سابع ثامن تاسع حادية ثانية ثالثة رابعة خامسة سادسة سابعة ثامنة تاسعة"
    )
    for w in (w, "ال" + w)
)
PERIOD_AFTER = frozenset(normalize(w) for w in split_words("الأول الثاني الثالث الرابع الأخير الأولى نهائي النهائي"))
NOT_COUNTED_DEF = frozenset(  # definite nouns a definite cardinal after them does not count
    normalize(w)
    for w in split_words(
        "القرن مجموعة المجموعة العقد الذكرى العيد القمة الدورة الفصل الباب الجزء المرحلة الطابق الساعة"
        " العام السنة اليوم الأسبوع الشهر المادة الفقرة البند الصف الحلقة"
    )
)
STOP = frozenset(
    normalize(w)
    for w in split_words(
        "في من إلى الى على عن مع أو أم ثم بل لكن أن إن أنه أنها إنه إنها ما لا لم لن قد كان كانت كانوا"
        " يكون تكون هو هي هم هن هذا هذه ذلك تلك هؤلاء الذي التي الذين حيث إذ إذا أي كل بعض جميع غير سوى"
        " فقط أيضا حتى منذ خلال بعد قبل نحو حوالي عند لدى بين تحت فوق دون ضد عبر وفق حسب بحسب وفقا مثل"
        " كما أكثر أقل تقريبا يوميا سنويا شهريا أسبوعيا أخرى آخر آخرين آخرون أخريات فيما بينما لأن كي"
        " لكي قال قالت ليس ليست هناك هنا الآن اليوم أمس غدا صباحا مساء ليلا نهارا مختلف عدة عدد أقصى"
        " أدنى أول أولى إضافية إضافي فأكثر فما نقدا نقدًا فحسب معا جميعا كلهم منهم منها منه بينهم"
        " أصل أجل إزاء لدي وسط داخل خارج قرب أمام وراء خلف حول ضمن عبر بشكل بنحو بحدود ألا إلا"
        " شخصيا تماما أبدا حاليا مؤخرا سابقا لاحقا جديد جديدة كبير كبيرة صغير صغيرة عديدة متتالية"
    )
)
COUNTED_W_OK = tuple(  # nouns that begin with و (other و-initial words are و + a verb: وقتل، وأصيب)
    normalize(w)
    for w in split_words(
        "وزير وزرا وحد وثيق وثائق وفد وفود وكال وسيل وسائل وظيف وظائف ولاي وجب وسيط وسطاء وديع ودائع"
        " وجهاء وافد ولد وكر أوكار ورش ورق وادي وفا وفي وقائع واقع"
    )
)
COUNTED_Y_OK = frozenset(
    normalize(w) for w in split_words("يزيدي يزيديا يزيديين يهودي يهوديا يهود يمني يمنيا يمنيين يتيم يتيما أيتام")
)
IDIOMS = tuple(normalize(p) for p in ("ألف ليلة وليلة", "ألف ليلة و ليلة"))
NOT_NUMBER = frozenset(normalize(w) for w in split_words("لست لستم"))
WA = "و"


def emitted_units() -> frozenset[str]:
    """Every unit code the recognizer can emit (a test checks them against labels.json)."""
    codes = {u.code for u in UNIT_WORDS.values() if u.code} | set(SQUARED.values()) | {"count", "fraction", "percent"}
    codes |= set(CUBED.values()) | set(ENERGY.values()) | {"kmh", "celsius"}
    codes |= {c for table in CURRENCY_QUALIFIERS.values() for c in table.values() if c}
    return frozenset(codes)


def _bases(word: str) -> Iterator[tuple[int, str]]:
    yield 0, word
    n = len(word)
    if n > 2 and word[0] in "وف":
        yield 1, word[1:]
        if n > 3 and word[1] in "بك":
            yield 2, word[2:]
        if n > 4 and word.startswith("لل", 1):
            yield 3, "ال" + word[3:]
        elif n > 3 and word[1] == "ل":
            yield 2, word[2:]
    if n > 2 and word[0] in "بك":
        yield 1, word[1:]
    if n > 3 and word.startswith("لل"):
        yield 2, "ال" + word[2:]
    elif n > 2 and word[0] == "ل":
        yield 1, word[1:]


_BASES: dict[str, tuple[tuple[int, str], ...]] = {}  # word -> its bases: a word of a text is seen again and again


def bases(word: str) -> tuple[tuple[int, str], ...]:
    """(letters stripped, remainder) for the word as written and without its proclitics."""
    found = _BASES.get(word)
    if found is None:
        if len(_BASES) > 50_000:
            _BASES.clear()
        found = _BASES[word] = tuple(_bases(word))
    return found


# Punctuation and proclitics around digits

GLUE = frozenset("-/:.#+_\u2013\u2014@&*=")  # punctuation that makes digits part of a code or a date
CLITICS = frozenset(split_words("و ف ب ل ك وب ول وك فب فل فك"))
CLITIC_ARTICLES = frozenset(split_words("ال وال فال بال كال وبال فبال لل ولل فلل"))
