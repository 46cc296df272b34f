"""Find personal data in the text of a moderation case before anyone else sees it.

A pure module: text in, findings out. Identifiers with a check digit (UPN, NHS
number, ULN) count only when the check digit is right, so a random number in the
evidence (a score, a reference) is not a false alarm. Findings that identify a
child on their own ("block") must be removed before a case can be shared; the rest
("warn") are shown and may be confirmed by the submitter.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

BLOCK = "block"
WARN = "warn"


@dataclass(frozen=True)
class Finding:
    kind: str  # upn, nhs_number, uln, date_of_birth, date, postcode, email, phone, name
    severity: str  # "block": cannot share until fixed; "warn": shown, may be confirmed
    start: int  # character offsets into the text checked
    end: int
    text: str
    message: str


# --- identifiers with check digits -------------------------------------------------

_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def _upn_check_letter(body: str) -> str | None:
    """The check letter of characters 2-13 of a UPN (DfE: sum of value x position, mod 23)."""
    total = 0
    for position, char in enumerate(body, start=2):
        if char.isdigit():
            total += int(char) * position
        elif char in _UPN_LETTERS and position == 13:
            # A temporary UPN ends in a letter, valued by its place in the same table.
            total += _UPN_LETTERS.index(char) * position
        else:
            return None
    return _UPN_LETTERS[total % 23]


def valid_upn(value: str) -> bool:
    """A 13-character UPN (or temporary UPN) whose check letter is right."""
    value = value.strip().upper()
    if len(value) != 13 or not value[1:12].isdigit():
        return False
    return _upn_check_letter(value[1:]) == value[0]


def _digits(value: str) -> str | None:
    """The 10 digits of an identifier written plain, or grouped 3-3-4 with spaces or hyphens."""
    match = re.fullmatch(r"\s*(\d{3})[ -]?(\d{3})[ -]?(\d{4})\s*", value)
    return "".join(match.groups()) if match else None


def valid_nhs_number(value: str) -> bool:
    """Ten digits, modulus 11: weights 10..2 on the first nine; 11 - (sum mod 11), 11 -> 0, 10 invalid."""
    digits = _digits(value)
    if digits is None:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def valid_uln(value: str) -> bool:
    """Ten digits (not starting with 0) with weights 10..1 summing to 10 mod 11."""
    digits = _digits(value)
    if digits is None or digits[0] == "0":
        return False
    return sum(int(d) * w for d, w in zip(digits, range(10, 0, -1), strict=True)) % 11 == 10


# --- patterns ----------------------------------------------------------------------

_UPN = re.compile(r"(?<![^\W_])[A-Za-z]\d{11}[0-9A-Za-z](?![^\W_])")
_TEN_DIGITS = re.compile(r"(?<![\d+])(?<!\d[ -])\d{3}[ -]?\d{3}[ -]?\d{4}(?![ -]?\d)")

_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])"
)

# A UK number: +44 or 0, then 01/02/03/05/07/08 numbers, written with spaces, hyphens or brackets.
_PHONE = re.compile(r"(?<![\w+])(?:\+44[ -]?(?:\(0\)[ -]?)?|\(?0)[1-35789](?:[ -]?\)?[ -]?\d){8,9}(?!\d)")

# Postcode areas of the UK (and the Crown dependencies): a letter pair that is not one of
# these ("KS2", "Y4") is not a postcode, so key stages and year groups stay clean.
_POSTCODE_AREAS = frozenset(
    """AB AL B BA BB BD BF BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN
    DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L
    LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE
    SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO
    ZE""".split()
)
_POSTCODE = re.compile(
    r"(?<![^\W_])([A-Z]{1,2})(\d[A-Z]|\d{1,2}) ?(\d[ABD-HJLNP-UW-Z]{2})(?![^\W_])", re.IGNORECASE
)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month_name>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_DATE_PATTERNS = [
    # 3/4/2015, 03-04-2015, 3.4.15
    re.compile(
        r"(?<![\d/.-])(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})"
        r"(?![\d/-]|\.\d)"
    ),
    # 2015-04-03
    re.compile(r"(?<![\d/.-])(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?![\d/-])"),
    # 3 April 2015, 3rd of April, 2015
    re.compile(
        r"(?<![\w])" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<year>\d{4})(?!\d)", re.IGNORECASE
    ),
    # April 3rd 2015, April 3, 2015
    re.compile(r"(?<![\w])" + _MONTH + r"\s+" + _DAY + r",?\s+(?P<year>\d{4})(?!\d)", re.IGNORECASE),
]
_BIRTH_WORDS = re.compile(
    r"\b(?:born|birth\s*date|birthdate|birthday|date\s+of\s+birth|d\.?o\.?b)\b\.?", re.IGNORECASE
)
# Words that say a date is an event in the case (a review, an assessment), not a birth.
_EVENT_WORDS = re.compile(
    r"\b(?:on|since|from|until|by|at|assess\w*|review\w*|meeting|met|seen|visit\w*|referr\w*|"
    r"report\w*|dated|observ\w*|attend\w*|start\w*|join\w*|plan\w*|cycle|apdr|tested|screen\w*|"
    r"diagnos\w*|issued|agreed|exclu\w*|admitted|transferred)\b",
    re.IGNORECASE,
)
_SENTENCE_BREAK = re.compile(r"[.!?]\s|[\n;]")

# --- names -------------------------------------------------------------------------

_WORD = re.compile(r"(?<![\w'’])[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?![\w])")

# Capitalised words that match a forename but are something else in this field (months,
# days, terms, conditions named after people, roles, places, school subjects).
_ALLOWED_WORDS = frozenset(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    monday tuesday wednesday thursday friday saturday sunday spring summer autumn winter
    christmas easter lent ramadan diwali eid hanukkah
    pupil child student learner mum mummy dad daddy mother father parent parents carer carers
    nan nana nanna grandma grandad grandpa granny gran aunt auntie uncle sister brother sibling
    teacher senco head headteacher deputy governor
    down asperger tourette angelman turner williams rett fragile duchenne marfan noonan
    prader willi klinefelter edwards patau
    piaget vygotsky bruner maslow bowlby montessori bloom erikson freud skinner boxall
    irlen makaton elklan wellcomm nessy lego renfrew wechsler raven york
    india china kenya israel england scotland wales ireland britain london
    """.split()
)
# Forenames that are also everyday words that often begin an English sentence ("Will
# need a review", "Mark scheme...", "Hope is that..."): skipped there, flagged elsewhere.
# Flower and jewel names (Grace, Ruby, Poppy) are flagged even there: in a case they are
# far more often a child than the word.
_COMMON_WORDS = frozenset(
    """
    will may mark bill pat rob sue max frank grant chase drew hope faith joy dawn guy lance dean
    miles ray gene wade penny sally patience precious honour honor liberty comfort favour praise
    peace mercy verity harmony melody destiny sterling prince crystal storm river sky star angel
    honey sunny rocky rusty ginger bob bud don kit nick van ash ember robin jay heath glen dale
    cliff brook reed stone hunter carter mason cooper baker taylor parker harper spencer tyler
    page bay chance mike carol noel amber august june april summer autumn
    """.split()
)
# Phrases in which a forename is not a person: tests, conditions, books children talk about.
_ALLOWED_PHRASES = re.compile(
    r"Sally[- ]Anne|Harry Potter|Peppa Pig|Fireman Sam|Bob the Builder|Peter Rabbit|"
    r"Winnie the Pooh|Thomas the Tank|Alice in Wonderland|Oliver Twist|Jack and the Beanstalk|"
    r"Dr\.? Seuss|Charlie and the Chocolate|George's Marvellous|Horrid Henry|Tracy Beaker|"
    r"Tom Gates|Paddington|Roald Dahl|Julia Donaldson|Zones of Regulation|Super Mario|"
    r"Elsa (?:sessions?|support|programme|intervention|time|work)\b",
    re.IGNORECASE,
)
# What follows a forename that makes it a condition ("Hunter syndrome", "Pierre Robin
# sequence", "Bell's palsy") or a place or group ("Willow Class", "Grace Academy").
_MEDICAL_AFTER = re.compile(
    r"(?:['’]s)?(?:[- ][A-Z][\w'’-]*){0,2}\s+(?:syndrome|disease|sequence|palsy|dystrophy|anomaly)\b",
    re.IGNORECASE,
)
_PLACE_AFTER = re.compile(
    r"(?:[- ][A-Z][\w-]*){0,2}\s+(?:class|group|room|base|unit|house|hub|centre|center|academy|school|"
    r"primary|college|nursery|infants|juniors|road|street|lane|avenue|ward|clinic|hospital|court|park|"
    r"trust|test|scales?|profile|programme|method)\b",
    re.IGNORECASE,
)
_RAG = re.compile(r"\b(?:RAG|red|green)\b", re.IGNORECASE)
_NAME_DATA = Path(__file__).with_name("data") / "forenames.txt"


@lru_cache(maxsize=1)
def forenames() -> frozenset[str]:
    """The shipped list of common forenames (lower case), without very short ones ("Ed", "Jo")."""
    with _NAME_DATA.open(encoding="utf-8") as handle:
        names = {line.strip().lower() for line in handle if line.strip() and not line.startswith("#")}
    return frozenset(name for name in names if len(name) >= 3) - _ALLOWED_WORDS


# --- the checks --------------------------------------------------------------------


def _identifiers(text: str) -> list[Finding]:
    found = []
    for match in _UPN.finditer(text):
        if valid_upn(match.group()):
            message = "This looks like a unique pupil number (UPN). Remove it."
            found.append(_finding("upn", BLOCK, match, message))
    for match in _TEN_DIGITS.finditer(text):
        # A ULN's check digit is always the NHS one minus 1 (mod 11): a number is never both.
        if valid_nhs_number(match.group()):
            found.append(_finding("nhs_number", BLOCK, match, "This looks like an NHS number. Remove it."))
        elif valid_uln(match.group()):
            message = "This looks like a unique learner number (ULN). Remove it."
            found.append(_finding("uln", BLOCK, match, message))
    return found


def _contacts(text: str) -> list[Finding]:
    found = []
    for match in _EMAIL.finditer(text):
        found.append(_finding("email", BLOCK, match, "This looks like an email address. Remove it."))
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if match.group().startswith("+44"):
            digits = "0" + digits[2:].removeprefix("0")
        # A national number is 0 plus 10 digits; a few 01 areas have 9.
        if not (len(digits) == 11 or (len(digits) == 10 and digits.startswith("01"))):
            continue
        if digits.startswith("08"):
            # Freephone and business numbers are an agency's more often than a family's.
            message = "If this is a family's phone number, remove it. A service's number is fine."
            found.append(_finding("phone", WARN, match, message))
        else:
            found.append(_finding("phone", BLOCK, match, "This looks like a phone number. Remove it."))
    for match in _POSTCODE.finditer(text):
        if match.group(1).upper() in _POSTCODE_AREAS:
            message = "This looks like a postcode. Remove it: a postcode can identify a family."
            found.append(_finding("postcode", BLOCK, match, message))
    return found


def _dates(text: str, today: date) -> list[Finding]:
    found = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = _MONTHS[parts["month_name"].lower()] if parts.get("month_name") else int(parts["month"])
            day, year = int(parts["day"]), int(parts["year"])
            if year < 100:
                year += 2000 if year <= today.year % 100 else 1900
            try:
                date(year, month, day)
            except ValueError:
                continue
            if _near_birth_word(text, match.start(), match.end()):
                message = "This looks like a date of birth. Remove it: the year group is enough."
                found.append(_finding("date_of_birth", BLOCK, match, message))
            elif today.year - 25 <= year <= today.year - 3 and not _after_event_word(text, match.start()):
                message = (
                    "If this is a date of birth, remove it (the year group is enough). "
                    "Dates of assessments, meetings or reviews are fine."
                )
                found.append(_finding("date", WARN, match, message))
    return found


def _near_birth_word(text: str, start: int, end: int) -> bool:
    """A birth word within five words before the date, or right after it, in the same sentence."""
    before = text[max(0, start - 60) : start]
    for word in _BIRTH_WORDS.finditer(before):
        between = before[word.end() :]
        if not _SENTENCE_BREAK.search(between) and len(between.split()) <= 5:
            return True
    after = text[end : end + 25]
    word = _BIRTH_WORDS.search(after)
    if not word:
        return False
    between = after[: word.start()]
    return not _SENTENCE_BREAK.search(between) and len(between.split()) <= 1


def _after_event_word(text: str, start: int) -> bool:
    before = text[max(0, start - 40) : start]
    cut = max((m.end() for m in _SENTENCE_BREAK.finditer(before)), default=0)
    words = before[cut:].split()[-4:]
    return bool(_EVENT_WORDS.search(" ".join(words)))


def _names(text: str) -> list[Finding]:
    names = forenames()
    allowed_spans = [m.span() for m in _ALLOWED_PHRASES.finditer(text)]
    found = []
    for match in _WORD.finditer(text):
        word = match.group().lower()
        if word not in names or word in _ALLOWED_WORDS:
            continue
        if any(s <= match.start() < e for s, e in allowed_spans):
            continue
        if re.match(r"['’][a-rt-z]", text[match.end() : match.end() + 2]):
            continue  # "Don't", "Won't": a contraction, not a name
        if _MEDICAL_AFTER.match(text, match.end()) or _PLACE_AFTER.match(text, match.end()):
            continue
        if word in _COMMON_WORDS and _sentence_start(text, match.start()):
            continue
        if re.search(r"\b(?:St|Saint)\.?\s+$", text[max(0, match.start() - 7) : match.start()]):
            continue  # "St Mary's": a school or church, not a person
        if word == "amber" and _RAG.search(_sentence(text, match.start())):
            continue  # a RAG rating
        message = f"“{match.group()}” looks like a name: use initials or a role, e.g. Pupil A"
        found.append(_finding("name", WARN, match, message))
    return found


def _sentence(text: str, position: int) -> str:
    """The sentence (or line) around a position."""
    before = text[:position]
    cut = max((m.end() for m in _SENTENCE_BREAK.finditer(before)), default=0)
    after = _SENTENCE_BREAK.search(text, position)
    return text[cut : after.start() if after else len(text)]


def _sentence_start(text: str, start: int) -> bool:
    """True at the start of the text, a line, a sentence, a list item or after a colon."""
    before = text[:start].rstrip(" \t*_#>-•\"“‘'(")
    return not before or before[-1] in ".!?:;\n"


def _finding(kind: str, severity: str, match: re.Match[str], message: str) -> Finding:
    return Finding(kind, severity, match.start(), match.end(), match.group(), message)


def check(text: str, *, today: date | None = None) -> list[Finding]:
    """Every piece of personal data found in the text, sorted by start, never overlapping.

    Where two findings overlap, a blocking one wins over a warning, then the longer one.
    `today` anchors the plausible birth years of a school-age child (for the "date" warning).
    """
    if not text:
        return []
    today = today or date.today()
    candidates = _identifiers(text) + _contacts(text) + _dates(text, today) + _names(text)
    candidates.sort(key=lambda f: (f.severity != BLOCK, -(f.end - f.start), f.start))
    kept: list[Finding] = []  # sorted by start, never overlapping
    for finding in candidates:
        at = bisect.bisect_left(kept, finding.start, key=lambda f: f.start)
        before_ok = at == 0 or kept[at - 1].end <= finding.start
        after_ok = at == len(kept) or finding.end <= kept[at].start
        if before_ok and after_ok:
            kept.insert(at, finding)
    return kept


def check_fields(fields: dict[str, str], *, today: date | None = None) -> dict[str, list[Finding]]:
    """Findings per named field; fields without findings are left out."""
    results = {}
    for name, text in fields.items():
        findings = check(text or "", today=today)
        if findings:
            results[name] = findings
    return results


def blocking(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.severity == BLOCK]


def highlight(text: str, findings: list[Finding]) -> Markup:
    """The text, escaped, with each finding wrapped in <mark class="cluster-pii" title="message">.

    Newlines are kept, each followed by a <br> so the lines show in any element.
    """
    out: list[str] = []
    position = 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < position:
            continue
        out.append(_escape_lines(text[position : finding.start]))
        out.append(
            f'<mark class="cluster-pii cluster-pii--{escape(finding.severity)}"'
            f' title="{escape(finding.message)}">'
            f"{_escape_lines(text[finding.start : finding.end])}</mark>"
        )
        position = finding.end
    out.append(_escape_lines(text[position:]))
    return Markup("".join(out))


def _escape_lines(text: str) -> str:
    return str(escape(text)).replace("\n", "<br>\n")
