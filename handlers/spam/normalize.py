"""Normalisation before every check: what a message *says*, with the disguises taken off.

Spammers write ``Еаrn`` with a Cyrillic ``Е``, hide zero-width characters
inside words, write ``e a r n`` or ``𝐄𝐚𝐫𝐧``, and disguise links as
``t(.)me/x``, ``hxxp://`` or ``example[.]com``. Every detector sees the same
*skeleton*: NFKC, case-folded, invisible and direction characters removed,
look-alike letters folded to one Latin skeleton (both directions map to the
same string, so training and checking agree), spaced letters joined and
disguised dots restored. The tricks found are counted: using them is itself a
signal. Everything here is precompiled and linear in the input size.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Characters that render as nothing or only change direction: removed, and counted as a trick.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufe00-\ufe0d\ufeff\uffa0]"
)
# Joiners and emoji presentation selectors are part of ordinary emoji (👨‍👩‍👧, ❤️): removed silently.
_SILENT = re.compile("[\u200d\ufe0e\ufe0f]")

# Look-alike letters (after case folding) -> one Latin skeleton. Cyrillic and Greek.
_CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "є": "e", "з": "3", "і": "i", "ї": "i", "ј": "j", "к": "k", "м": "m",
    "н": "h", "о": "o", "п": "n", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "ԁ": "d", "һ": "h",
    "ԛ": "q", "ԝ": "w", "ь": "b", "г": "r", "и": "u",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "σ": "o",
    "ς": "c", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "μ": "u", "ϲ": "c",
    # Latin oddities NFKC leaves alone
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g", "ɩ": "i", "ʀ": "r", "ꜱ": "s", "ᴀ": "a", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e",
    "ᴋ": "k", "ᴍ": "m", "ᴏ": "o", "ᴘ": "p", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ᴢ": "z", "ʜ": "h", "ɪ": "i",
    "ʟ": "l", "ɴ": "n", "ʏ": "y", "ꞯ": "q", "ƅ": "b",
}  # fmt: skip
_FOLD = str.maketrans(_CONFUSABLES)

# Digits and symbols used as letters, only inside words that also have letters (``fr33``, ``m0ney``).
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_LEET_WORD = re.compile(r"(?<![\w@$])(?=[\w@$]*[^\W\d_])(?=[\w@$]*[\d@$])[\w@$]{3,}")

_LATIN = re.compile(r"[a-z]")
_CYRILLIC = re.compile(r"[а-яёіїєґ]")
_MIXED_WORD = re.compile(r"\b(?=\w*[a-z])(?=\w*[а-яёіїєґα-ω])\w+", re.IGNORECASE)

# ``e a r n`` / ``e.a.r.n`` / ``e-a-r-n``: four or more single letters with the same small separators.
_SPACED = re.compile(r"(?<!\w)(?:[^\W\d_][ .\-_*·|•]{1,2}){3,}[^\W\d_](?!\w)")
_SPACED_SEP = re.compile(r"[ .\-_*·|•]")

_HXXP = re.compile(r"\bh(?:xx|\*\*|tt)p(s?)\s*[:;]\s*/\s*/\s*")
_DOT_WORD = r"(?:\.|dot|точка|крапка|kropka|pont|punto|点|,)"
_BRACKET_DOT = re.compile(r"\s*[(\[{<]\s*" + _DOT_WORD + r"\s*[)\]}>]\s*")
_SPACED_DOT = re.compile(r"\b(t|wa|discord|bit|telegram|tinyurl|goo)\s*[.,]\s+(me|gg|ly|com|gl)\b|\b(t|wa)\s+[.,]\s*(me)\b")
_SLASH = re.compile(r"\s*/\s*(?=\w)")

_TLDS = (
    "com|net|org|info|biz|io|me|ru|su|ua|pl|hu|it|cn|xyz|top|site|online|shop|club|link|click|live|pro|app|gg|ly|cc|tk|ml|"
    "ga|cf|gq|ltd|store|vip|bet|casino|win|money|finance|co|us|uk|de|fr|tv|to|sh|fun|space|website|icu|buzz|cam|ws"
)
LINK = re.compile(r"(?:https?://|www\.)[^\s]+|\b(?:[a-z0-9][a-z0-9-]*\.)+(?:" + _TLDS + r")\b(?:/[^\s]*)?")
INVITE = re.compile(
    r"(?:\bt\.me|telegram\.(?:me|dog)|\bwa\.me|chat\.whatsapp\.com|discord\.gg|discord(?:app)?\.com/invite|bit\.ly|tinyurl\.com|"
    r"goo\.gl|cutt\.ly|is\.gd)/?"
)
MENTION = re.compile(r"(?<![\w@])@[a-z][a-z0-9_]{3,31}")
PHONE = re.compile(r"(?<!\w)\+?\d[\d \-()]{8,16}\d(?!\w)")
MONEY = re.compile(r"[$€£¥₽₴]\s?\d|\d\s?(?:[$€£¥₽₴]|usd|usdt|eur|руб|грн|zł|zl|pln|ft|huf|元|万)(?!\w)|\b(?:usdt|btc|eth|bitcoin)\b")
EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff]")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")

MAX_CHARS = 20_000  # longer input is cut: the beginning decides, and time stays bounded


@dataclass(frozen=True, slots=True)
class Normalized:
    """The skeleton of a message and what was found on the way."""

    original: str  # the (cut) original text, for capitals and emoji counts
    text: str  # the skeleton: folded, lower case, single spaces
    links: tuple[str, ...]
    invites: int
    mentions: int
    phones: int
    money: int
    emoji: int
    tricks: int  # hidden characters, mixed-script words, spaced letters, disguised links
    script: str  # "cyrillic", "latin", "cjk" or "other": the majority of letters


def _join_spaced(m: re.Match[str]) -> str:
    return _SPACED_SEP.sub("", m.group(0))


def _leet(m: re.Match[str]) -> str:
    return m.group(0).translate(_LEET)


_CJK = re.compile(r"[\u4e00-\u9fff]")
_DIGITISH = re.compile(r"[\d@$€£¥₽₴]|usdt|btc|bitcoin")
_DOTTED = re.compile(r"\w\.\w|://|www")
_BRACKETS = re.compile(r"[(\[{<]")


def script_of(text: str) -> str:
    """Majority script of the letters (cheap: counts on a sample)."""
    sample = text[:400].lower()
    lat = len(_LATIN.findall(sample))
    cyr = len(_CYRILLIC.findall(sample))
    cjk = len(_CJK.findall(sample))
    best = max(lat, cyr, cjk)
    if best == 0:
        return "other"
    return "cyrillic" if best == cyr else "cjk" if best == cjk else "latin"


def normalize(text: str) -> Normalized:
    """Never raises: any string (empty, huge, only emoji, right-to-left) gives a skeleton.

    The costlier patterns run only when a cheap scan shows they could match, so
    an ordinary message costs a few passes in C.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    original = text[:MAX_CHARS]
    tricks = 0
    s = _SILENT.sub("", unicodedata.normalize("NFKC", original))
    stripped = _INVISIBLE.sub("", s)
    if len(stripped) != len(s):
        tricks += 1
    s = stripped.casefold()
    script = script_of(s)
    if script != "other" and _LATIN.search(s) and (_CYRILLIC.search(s) or (max(s) >= "α" and re.search("[α-ω]", s))):
        mixed = len(_MIXED_WORD.findall(s))
        tricks += min(mixed, 3)
    if "xx" in s or "**" in s or "ttp" in s:
        s, n = _HXXP.subn(r"http\1://", s)
        tricks += n
    if _BRACKETS.search(s):
        s, n = _BRACKET_DOT.subn(".", s)
        tricks += n
    s, n = _SPACED_DOT.subn(lambda m: f"{m.group(1) or m.group(3)}.{m.group(2) or m.group(4)}", s)
    tricks += n
    s, n = _SPACED.subn(_join_spaced, s)
    tricks += n
    s = s.translate(_FOLD)
    links: tuple[str, ...] = ()
    invites = 0
    if _DOTTED.search(s):
        links = tuple(LINK.findall(s)[:20])
        invites = len(INVITE.findall(_SLASH.sub("/", " ".join(links)) if links else s))
    money = phones = 0
    if _DIGITISH.search(s):
        money = len(MONEY.findall(s))
        phones = len(PHONE.findall(s))
        s = _LEET_WORD.sub(_leet, s)
    s = _SPACES.sub(" ", s).strip()
    return Normalized(
        original=original,
        text=s,
        links=links,
        invites=invites,
        mentions=len(MENTION.findall(s)) if "@" in s else 0,
        phones=phones,
        money=money,
        emoji=len(EMOJI.findall(original)),
        tricks=tricks,
        script=script,
    )


def fold_phrase(phrase: str) -> str:
    """A configured phrase in the same skeleton as messages, so both compare equal."""
    return normalize(phrase).text


def words(skeleton: str) -> list[str]:
    return _WORD.findall(skeleton)
