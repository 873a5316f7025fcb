"""Is this reply a thank-you? A small lexicon per language, matched on whole words near the start.

Only short replies count (a thanks-word among the first few words of at most ``MAX_WORDS``): a long answer
that ends "thanks for asking" is an answer, not kudos. "no thanks" (a negation right before) is a refusal.
Chinese has no spaces, so its words are looked for inside the leading tokens.
"""

from __future__ import annotations

import re

MAX_WORDS = 12
FIRST_WORDS = 4
MAX_CHARS = 160  # a longer text is never a short thank-you: skipped before any tokenising

WORDS: dict[str, frozenset[str]] = {
    "en": frozenset({"thanks", "thx", "thanx", "tnx", "tysm", "thankyou", "ty4"}),
    "ru": frozenset({"спасибо", "спасибки", "спс", "благодарю", "пасиб", "пасибо"}),
    "uk": frozenset({"дякую", "дякс", "дяки", "спасибі", "дяк"}),
    "pl": frozenset({"dzięki", "dziękuję", "dzieki", "dziekuje", "dzięks", "dziękówka"}),
    "hu": frozenset({"köszi", "köszönöm", "kösz", "köszönet", "köszike", "koszi", "koszonom", "köszönjük"}),
    "it": frozenset({"grazie", "grazzie"}),
    "es": frozenset({"gracias", "graciass"}),
    "pt": frozenset({"obrigado", "obrigada", "valeu", "brigado", "brigada"}),
    "de": frozenset({"danke", "dankeschön", "dankesehr", "merci"}),
}
PAIRS = frozenset({("thank", "you"), ("thank", "u"), ("thank", "ya"), ("vielen", "dank"), ("many", "thanks")})
ZH = ("谢谢", "感谢", "多谢", "谢啦", "謝謝", "感謝")
ZH_REFUSALS = ("不用谢", "不谢", "不用謝")
NEGATIONS = frozenset({"no", "nah", "nope", "нет", "не", "ні", "nie", "nem", "nein", "não", "nao", "non"})

ALL = frozenset().union(*WORDS.values())
_TOKEN = re.compile(r"\w+")


def is_thanks(text: str) -> bool:
    if not text or len(text) > MAX_CHARS:
        return False
    tokens = _TOKEN.findall(text.casefold())
    if not tokens or len(tokens) > MAX_WORDS:
        return False
    for i, tok in enumerate(tokens[:FIRST_WORDS]):
        before = tokens[i - 1] if i else ""
        if tok in ALL or (i + 1 < len(tokens) and (tok, tokens[i + 1]) in PAIRS):
            return before not in NEGATIONS
        if not tok.isascii() and any(z in tok for z in ZH):
            return not any(r in tok for r in ZH_REFUSALS)
    return False
