"""Normalisation before every check: what a message *says*, with the disguises taken off.

Spammers write ``Еаrn`` with a Cyrillic ``Е``, hide zero-width characters
inside words, write ``e a r n`` or ``𝐄𝐚𝐫𝐧``, and disguise links as
``t(.)me/x``, ``hxxp://`` or ``example[.]com``. Every detector sees the same
*skeleton*: NFKC, case-folded, invisible and direction characters removed,
look-alike letters inside mixed-script words folded to the message's own
script (``зaрaбoтoк`` with Latin ``a``/``o`` becomes Cyrillic, ``Еаrn`` becomes
Latin; whole words of one script are left alone, so Russian and English never
share a skeleton), spaced letters joined and disguised dots restored. The
tricks found are counted: using them is itself a signal.

Cost is bounded: at most ``MAX_CHARS`` characters are read (the beginning and
the end of a long message), plain ASCII skips the Unicode work, and each
costlier pattern runs only when a cheap substring test shows it could match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import NamedTuple

from confusable_homoglyphs import confusables as _confusables

# Characters that render as nothing or only change direction: removed, and counted as a trick.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufe00-\ufe0d\ufeff\uffa0]"
)
# Joiners and emoji presentation selectors are part of ordinary emoji (👨‍👩‍👧, ❤️): removed silently.
_SILENT = re.compile("[\u200d\ufe0e\ufe0f]")
_HIDDEN = re.compile(_INVISIBLE.pattern[:-1] + "\u200d\ufe0e\ufe0f]")

# Look-alike letters (after case folding). Inside a word that mixes scripts they are folded to the
# message's majority script; Latin oddities NFKC leaves alone always become plain Latin.
_TO_LATIN = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "є": "e", "і": "i", "ї": "i", "ј": "j", "к": "k", "м": "m",
    "н": "h", "о": "o", "п": "n", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "ԁ": "d", "һ": "h",
    "ԛ": "q", "ԝ": "w", "ь": "b", "г": "r", "и": "u",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "σ": "o",
    "ς": "c", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "μ": "u", "ϲ": "c",
}  # fmt: skip
_TO_CYRILLIC = {
    "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "i": "і", "k": "к", "m": "м", "n": "п", "o": "о", "p": "р",
    "r": "г", "t": "т", "u": "и", "x": "х", "y": "у", "3": "з", "0": "о", "6": "б",
}  # fmt: skip
_ODD = {
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g", "ɩ": "i", "ʀ": "r", "ꜱ": "s", "ᴀ": "a", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e",
    "ᴋ": "k", "ᴍ": "m", "ᴏ": "o", "ᴘ": "p", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ᴢ": "z", "ʜ": "h", "ɪ": "i",
    "ʟ": "l", "ɴ": "n", "ʏ": "y", "ꞯ": "q", "ƅ": "b",
    # small capitals and letter-likes that stand for Cyrillic ones
    "ᴧ": "л", "ʙ": "в", "ɜ": "з", "ʍ": "м", "ᴨ": "п", "ᴩ": "р", "ɸ": "ф", "ɯ": "ш", "ᴦ": "г", "ᴫ": "л", "ᴎ": "и",
    "ᴙ": "я", "ʚ": "в",
}  # fmt: skip


def _look_alike(ch: str, alphabet: frozenset[str]) -> str | None:
    """A letter of ``alphabet`` that Unicode's confusables data says ``ch`` looks like (its class, closed)."""
    seen, todo = {ch}, [ch]
    while todo:
        for h in _CONFUSABLES.get(todo.pop(), ()):
            c = h["c"]
            if len(c) == 1 and c not in seen:
                seen.add(c)
                todo.append(c)
    found = sorted(seen & alphabet)
    return found[0] if found else None


# Greek letters inside Cyrillic words ("зαрαбοтοк"): folded by Unicode's confusables data
# (confusable-homoglyphs carries it), plus two Unicode does not list but readers see (ε as е, χ as х).
_CONFUSABLES: dict[str, list[dict[str, str]]] = _confusables.confusables_data
_GREEK = "αβγδεζηθικλμνξοπρσςτυφχψω"
_BASIC_CYRILLIC = frozenset("абвгдежзийклмнопрстуфхцчшщъыьэюяіїєґ")
_BASIC_LATIN = frozenset("abcdefghijklmnopqrstuvwxyz")
_GREEK_TO_CYRILLIC = {g: c for g in _GREEK if (c := _look_alike(g, _BASIC_CYRILLIC))} | {"ε": "е", "χ": "х"}
_TO_LATIN = {g: c for g in _GREEK if (c := _look_alike(g, _BASIC_LATIN))} | _TO_LATIN
_FOLD_GREEK = str.maketrans(_GREEK_TO_CYRILLIC)
_GREEK_CHAR = re.compile("[" + _GREEK + "]")
# Where a Greek letter touches a Cyrillic one (in a message whose letters are mostly Cyrillic).
_GREEK_HINT = re.compile("[" + _GREEK + "](?:(?=[а-яёіїєґ])|(?<=[а-яёіїєґ].))")
_FOLD_LATIN = str.maketrans(_TO_LATIN)
_FOLD_CYRILLIC = str.maketrans(_TO_CYRILLIC)
_FOLD_ODD = str.maketrans(_ODD)
_ODD_CHAR = re.compile("[" + "".join(_ODD) + "]")

# Digits and symbols used as letters, only inside words that also have letters (``fr33``, ``m0ney``).
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_WORD_TAIL = re.compile(r"\w*")
_WORD_TAIL_EXTRA = re.compile(r"[\w@$]*")

_LATIN = re.compile(r"[a-z]")
_FOREIGN = re.compile(r"[а-яёіїєґα-ω]")
# Where a Latin letter touches a Cyrillic or Greek one: the word around it mixes scripts.
# (Anchored on the Latin letter: in a Russian message the few Latin letters are the only candidates.)
_MIX_HINT = re.compile(r"[a-z](?:(?=[а-яёіїєґα-ω])|(?<=[а-яёіїєґα-ω].))")

# ``e a r n`` / ``e.a.r.n`` / ``e-a-r-n``: four or more single letters with the same small separators.
# The separator must repeat exactly: "и т.д. в" or "i. e. a" are abbreviations, not a disguise.
_SPACED = re.compile(r"[^\W\d_](?<!\w.)([ .\-_*·|•]{1,2})(?:[^\W\d_]\1){2,}[^\W\d_](?!\w)")
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
# (possessive ``*+``: a word that is not followed by a dot fails at once instead of backtracking letter by letter)
LINK = re.compile(r"(?:https?://|www\.)[^\s]+|\b(?:[a-z0-9][a-z0-9-]*+\.)+(?:" + _TLDS + r")\b(?:/[^\s]*)?")
# Invite and short links, found from their dot (a literal: the search jumps from dot to dot) and
# checked behind it: t.me, telegram.me/.dog, wa.me, chat.whatsapp.com, discord.gg, discord(app).com/invite,
# bit.ly, tinyurl.com, goo.gl, cutt.ly, is.gd.
INVITE = re.compile(
    r"\.(?:(?<=\bt\.)me|(?<=telegram\.)(?:me|dog)|(?<=\bwa\.)me|(?<=chat\.whatsapp\.)com|(?<=discord\.)gg"
    r"|(?<=discord\.)com/invite|(?<=discordapp\.)com/invite|(?<=bit\.)ly|(?<=tinyurl\.)com|(?<=goo\.)gl|(?<=cutt\.)ly"
    r"|(?<=is\.)gd)"
)
# Both start with what they look for (an "@", a "+" or a digit), so a search skips straight to candidates.
MENTION = re.compile(r"@(?<![\w@]@)[a-z][a-z0-9_]{3,31}")
# A messenger's name, then an id ("加vx:abc12345", "wx rich888", "tele: cuan_bos"): a contact written
# out, the way out of the chat that ads disguised in fullwidth or mathematical letters give (NFKC has
# already made them ASCII). An id needs a digit or an underscore, or a colon before it when it is only
# digits ("qq 12345678"; "line 12345" in a traceback is no contact), so plain words are never one.
HANDLE = re.compile(
    r"(?<![a-z0-9_])(?:vx|wx|v信|微信|weixin|wechat|qq|tg|tele|telegram|whatsapp|wa|line|kakao|viber|signal|skype)"
    r"(?:\s?[:=]\s?@?|\s@?)([a-z0-9][a-z0-9_.\-]{3,30})(?![a-z0-9_])"
)
_HANDLE_HINT = re.compile(r"vx|wx|v信|微信|weixin|wechat|qq|tg|tele|whatsapp|wa|line|kakao|viber|signal|skype")
PHONE = re.compile(r"[+\d](?<!\w.)(?:(?<=\+)\d|(?<=\d))[\d \-()]{8,16}\d(?!\w)")
# An amount: a currency sign or a currency word (any case ending: "рублей", "złotych") next to a number,
# or "$$$". Written to start with one character class (a sign or a digit), so it is quick to search.
MONEY = re.compile(
    r"[$€£¥₽₴₹\d](?:(?<=[$€£¥₽₴₹])\s?\d|(?<=\$)\$+|(?<=\brp\d)|(?<=\brp \d)|(?<=\brs \d)|(?<=\d)\s?(?:[$€£¥₽₴₹元万块]"
    r"|(?:usdt?|eur|euros?|dollars?|bucks|грн|евро|євро|zl|pln|ft|huf|rb|ribu|juta|jt|rs|inr|lakh|reais|р)(?!\w)"
    r"|(?:руб|гривн|гривен|доллар|долар|złot|zł|forint|dolar|rupe|रुप|रूप|دولار|دلار|درهم|ريال|ریال|تومان|جنيه|دينار|ليرة|میلیون|مليون)\w*))"
)
COINS = re.compile(r"\b(?:usdt|btc|eth|bitcoin)\b")
EMOJI = re.compile("[\U0001f000-\U0001f3fa\U0001f400-\U0001faff\u2600-\u263f\u2643-\u27bf\u2b00-\u2bff\u2300-\u23ff]")
_WORD = re.compile(r"\w+")

MAX_CHARS = 600  # a longer message is read as its first HEAD_CHARS and its last characters
HEAD_CHARS = 450


class Normalized(NamedTuple):
    """The skeleton of a message and what was found on the way (a tuple: cheap to build, immutable)."""

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
    handles: int = 0  # messenger ids written after the messenger's name (``HANDLE``)


def _join_spaced(m: re.Match[str]) -> str:
    return _SPACED_SEP.sub("", m.group(0))


# In Russian or Ukrainian text, a Latin word with a Cyrillic ending is ordinary ("iPadе", "Dockerа",
# "GPTшка"): not a disguise, and left as written. In English text "Frее" (Cyrillic "ее") still is.
_BRAND_ENDING = re.compile(r"[a-z0-9_]+[а-яёіїєґ]+")


def _unmix_cyrillic(word: str) -> str:
    return word if _BRAND_ENDING.fullmatch(word) else word.translate(_FOLD_CYRILLIC)


def _unleet(word: str) -> str:
    """``fr33`` -> ``free``; mentions, two-character words and amounts (``2500р``, ``rp500``, ``10x``) stay as they are."""
    if len(word) < 3 or word[0] == "@" or sum(c.isdigit() for c in word) * 2 > len(word):
        return word
    return word.translate(_LEET)


def _rewrite_words(s: str, hint: re.Pattern[str], extra: str, rewrite: Callable[[str], str]) -> tuple[str, list[str]]:
    """Rewrite only the words (letters, digits, ``_`` and ``extra``) around the places ``hint`` finds.

    Far cheaper than a pattern that tests every word: the hint starts with a character class and
    most messages have few or no such places. Returns the new text and the words rewritten.
    """
    out: list[str] = []
    found: list[str] = []
    last = 0
    tail = _WORD_TAIL_EXTRA if extra else _WORD_TAIL
    for m in hint.finditer(s):
        at = m.start()
        if at < last:
            continue
        start = at
        while start > last and (s[start - 1].isalnum() or s[start - 1] == "_" or s[start - 1] in extra):
            start -= 1
        end = tail.match(s, at).end()  # type: ignore[union-attr]
        word = s[start:end]
        found.append(word)
        out += (s[last:start], rewrite(word))
        last = end
    if not found:
        return s, found
    out.append(s[last:])
    return "".join(out), found


# Cheap tests that say whether a costlier pattern could match at all. Each starts with a character
# class, so the regex engine skips straight to the candidates instead of trying every position.
# (letters of the alphabets whose look-alike digits spammers use: "日赚500元" keeps its number)
_LEET_HINT = re.compile(r"[\d@$](?:(?<=[a-zа-яёіїєґ].)|(?=[a-zа-яёіїєґ]))")
_DOTTED = re.compile(r"\.(?=\w)|://|www")
_SPACED_HINT = re.compile(r"[ .\-_*·|•][^\W\d_][ .\-_*·|•]{1,2}[^\W\d_][ .\-_*·|•]")
_SPACED_DOT_HINT = re.compile(r"[.,]\s*(?:me|gg|ly|com|gl)\b")
_BRACKET_HINT = re.compile(r"[(\[{<]\s*" + _DOT_WORD + r"\s*[)\]}>]")
_NOT_DIGIT = bytes(c for c in range(256) if not 48 <= c <= 57)


def _digits(s: str) -> int:
    """How many ASCII digits (NFKC has already made other digit forms ASCII): a byte-level count."""
    return len(s.encode("utf-8", "surrogatepass").translate(None, _NOT_DIGIT))


# Letters per script, counted on UTF-8 bytes (one C pass each): ASCII a-z; Cyrillic U+0400-U+04FF
# (lead bytes D0-D3); CJK ideographs U+4000-U+9FFF (lead bytes E4-E9).
_KEEP_LATIN = bytes(c for c in range(256) if not 97 <= c <= 122)
_KEEP_CYRILLIC = bytes(c for c in range(256) if not 0xD0 <= c <= 0xD3)
_KEEP_CJK = bytes(c for c in range(256) if not 0xE4 <= c <= 0xE9)


def script_of(text: str) -> str:
    """Majority script of the letters (cheap: counts on a sample)."""
    sample = text[:400].lower()
    if sample.isascii():
        return "latin" if _LATIN.search(sample) else "other"
    b = sample.encode("utf-8", "surrogatepass")
    lat = len(b.translate(None, _KEEP_LATIN))
    cyr = len(b.translate(None, _KEEP_CYRILLIC))
    cjk = len(b.translate(None, _KEEP_CJK))
    best = max(lat, cyr, cjk)
    if best == 0:
        return "other"
    return "cyrillic" if best == cyr else "cjk" if best == cjk else "latin"


# NFKC keeps these digits as they are; the amount and phone checks read ASCII digits.
_ASCII_DIGITS = str.maketrans({chr(base + i): str(i) for base in (0x0660, 0x06F0, 0x0966) for i in range(10)})
_NATIVE_DIGIT = re.compile("[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f]")


def _unicode_pass(s: str) -> tuple[str, int, str]:
    """NFKC, invisible characters, case, look-alikes: the work plain ASCII never needs."""
    tricks = 0
    s = unicodedata.normalize("NFKC", s)
    if _NATIVE_DIGIT.search(s):  # Arabic-Indic, Persian and Devanagari digits: amounts and phone numbers all the same
        s = s.translate(_ASCII_DIGITS)
    if _HIDDEN.search(s):  # most messages have none: one scan instead of two rewrites
        s = _SILENT.sub("", s)
        stripped = _INVISIBLE.sub("", s)
        tricks += len(s) - len(stripped)  # each one: a single stray character is not a pattern, ten are
        s = stripped
    s = s.casefold().replace("ё", "е")
    if _ODD_CHAR.search(s):
        s = s.translate(_FOLD_ODD)
        tricks += 1
    script = script_of(s)
    if _LATIN.search(s) and _FOREIGN.search(s):
        if script == "cyrillic":
            s, words = _rewrite_words(s, _MIX_HINT, "", _unmix_cyrillic)
            words = [w for w in words if not _BRAND_ENDING.fullmatch(w)]
        else:
            s, words = _rewrite_words(s, _MIX_HINT, "", lambda word: word.translate(_FOLD_LATIN))
        # "esb20-20n", "k2с3h": part numbers mix scripts innocently
        tricks += min(sum(1 for w in words if w.isalpha()), 3)
    if script == "cyrillic" and _GREEK_CHAR.search(s):
        s, words = _rewrite_words(s, _GREEK_HINT, "", lambda word: word.translate(_FOLD_GREEK))
        tricks += min(len(words), 3)
    return s, tricks, script


def cut(text: str) -> str:
    """What every check reads of a message: all of a short one, the beginning and the end of a long one."""
    if len(text) > MAX_CHARS:
        return text[:HEAD_CHARS] + " " + text[HEAD_CHARS - MAX_CHARS :]
    return text


def normalize(text: str) -> Normalized:
    """Never raises: any string (empty, huge, only emoji, right-to-left) gives a skeleton."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = cut(text)
    # A byte-order mark at either end comes with pasted text (and many exported comments): it is nothing.
    text = text.strip("\ufeff")
    original = text
    if text.isascii():
        s, tricks = text.lower(), 0
        script = "latin" if _LATIN.search(s) else "other"
    else:
        s, tricks, script = _unicode_pass(text)
    if "hxxp" in s or "h**p" in s or s.count("http") != s.count("http://") + s.count("https://"):
        fixed = _HXXP.sub(r"http\1://", s)
        if fixed != s:  # a plain http:// stays as it was and is no trick
            tricks += 1
            s = fixed
    if ("(" in s or "[" in s or "{" in s or "<" in s) and _BRACKET_HINT.search(s):
        s, n = _BRACKET_DOT.subn(".", s)
        tricks += n
    if (". " in s or " ." in s or ", " in s or " ," in s) and _SPACED_DOT_HINT.search(s):
        s, n = _SPACED_DOT.subn(lambda m: f"{m.group(1) or m.group(3)}.{m.group(2) or m.group(4)}", s)
        tricks += n
    if _SPACED_HINT.search(" " + s + " "):
        s, n = _SPACED.subn(_join_spaced, s)
        tricks += n
    links: tuple[str, ...] = ()
    invites = 0
    if ("." in s or "/" in s) and _DOTTED.search(s):
        # a link never spans a space: search only the words with a dot or a slash
        links = tuple(LINK.findall(" ".join([w for w in s.split() if "." in w or "/" in w]))[:20])
        invites = len(INVITE.findall(_SLASH.sub("/", " ".join(links)) if links else s))
    mentions = len(MENTION.findall(s)) if "@" in s else 0
    money = phones = 0
    plain = s  # amounts and phone numbers are read outside links (an activity's id is neither)
    for link in links:
        plain = plain.replace(link, " ")
    digits = _digits(plain)
    if digits or "$$" in plain:
        money = len(MONEY.findall(plain))
    if "btc" in s or "eth" in s or "usdt" in s or "bitcoin" in s:
        money += len(COINS.findall(s))
    if digits >= 7:  # a phone number has at least seven digits
        # an amount is no phone number: "9 000-12 000 zł", "80 000 - 120 000 ₽" is a price or a salary band
        phones = _phones(plain, money)
    if (digits or "@" in s or "$" in s or links) and _LEET_HINT.search(s):
        s = _rewrite_words(s, _LEET_HINT, "@$", _unleet)[0]
    s = " ".join(s.split())
    handles = _handles(s) if _HANDLE_HINT.search(s) else 0
    return Normalized(
        original=original,
        text=s,
        links=links,
        invites=invites,
        mentions=mentions,
        phones=phones,
        money=money,
        emoji=0 if original.isascii() else len(EMOJI.findall(original)),
        tricks=tricks,
        script=script,
        handles=handles,
    )


def _phones(plain: str, money: int) -> int:
    """Phone numbers, not counting a run of digits an amount starts or ends in."""
    if not money:
        return len(PHONE.findall(plain))
    amounts = [m.span() for m in MONEY.finditer(plain)]
    return sum(
        not any(start <= a < end or start < b <= end for a, b in amounts) for start, end in (m.span() for m in PHONE.finditer(plain))
    )


def _handles(s: str) -> int:
    found = 0
    for m in HANDLE.finditer(s):
        written, ident = m.group(0), m.group(1)
        if ident.isdigit():
            # only digits: after a colon or a CJK messenger's name (QQ, WeChat), never after "line"
            ok = len(ident) >= 5 and (":" in written or written.startswith(("qq", "vx", "wx"))) and not written.startswith("line")
        else:
            ok = any(c.isdigit() or c == "_" for c in ident)
        found += ok
    return found


def fold_phrase(phrase: str) -> str:
    """A configured phrase in the same skeleton as messages, so both compare equal."""
    return normalize(phrase).text


def words(skeleton: str) -> list[str]:
    return _WORD.findall(skeleton)
