"""Lure phrases in the languages the bot serves: the shapes spam takes, not memorised lines.

Each group is a kind of lure (easy money, "write me privately", crypto/investment
promises, adult bait). A message hitting two different groups is far more
suspicious than one hitting the same group twice, so the detector counts groups.
Phrases are folded to the normalisation skeleton at import, so look-alike
letters and hidden characters in a message do not escape them.
"""

from __future__ import annotations

import re

from handlers.spam.normalize import fold_phrase

GROUPS: dict[str, tuple[str, ...]] = {
    "money": (
        "earn", "earning", "income", "profit", "per day", "a day from home", "from home", "passive income", "make money",
        "withdrawal", "guaranteed", "paid daily", "pay daily", "extra income", "easy money",
        "заработ", "доход", "прибыль", "в день", "без вложений", "оплата ежедневно", "выплат",
        "заробіт", "дохід", "прибуток", "на день", "виплат",
        "zarob", "zarabia", "zysk", "dziennie", "bez doświadczenia", "wypłat",
        "kereset", "pénzkeres", "naponta", "napi", "nyereség", "kifizetés",
        "guadagn", "al giorno", "da casa", "profitto", "senza esperienza", "lavoro online",
        "赚", "日结", "收益", "回报", "稳赚", "日赚", "月入",
    ),
    "contact": (
        "dm me", "write me", "message me", "contact me", "text me", "inbox me", "link in bio", "link in my profile",
        "click the link", "join our", "join my", "contact us", "in my bio", "in my profile", "check my profile",
        "pm me",
        "в личку", "в лс", "в личные", "пиши мне", "пишите", "переходи", "подробности", "вступай", "ссылка в профиле",
        "в шапке профиля", "в описании профиля", "в био", "свяжитесь с нами", "напиши мне", "напишите мне",
        "в особисті", "пишіть", "в приватн", "деталі", "в описі профілю", "напиши мені", "зв'яжіться з нами",
        "napisz", "pisz na priv", "prywatnie", "dołącz", "kliknij", "w opisie profilu", "skontaktuj",
        "írj", "privátban", "privát üzenet", "csatlakozz", "kattints", "a profilomban",
        "scrivimi", "contattami", "in privato", "unisciti", "clicca", "nel profilo", "nella bio", "contattaci",
        "私聊", "加微信", "加我", "点击链接", "联系客服", "私信", "加好友", "vx", "联系我们",
    ),
    "crypto": (
        "crypto", "bitcoin", "btc", "usdt", "airdrop", "wallet", "signals", "trading", "forex", "investment", "invest",
        "binance", "token",
        "крипт", "биткоин", "сигнал", "трейдинг", "инвест", "крипто",
        "криптовалют", "інвест",
        "kryptowalut", "inwest",
        "kriptovalut", "befektet",
        "criptovalut", "investiment",
        "加密货币", "比特币", "投资", "理财", "币",
    ),
    "bait": (
        "giveaway", "free gift", "you won", "claim your", "congratulations", "hot singles", "dating", "casino", "bonus",
        "escort", "onlyfans", "nudes",
        "знакомств", "интим", "казино", "бесплатн", "розыгрыш", "обнал", "эскорт",
        "безкоштовн", "знайомств", "ескорт",
        "darmow", "kasyno", "wygrał", "randk",
        "ingyenes", "nyeremény", "kaszinó",
        "gratis", "hai vinto", "casinò",
        "免费", "美女", "中奖", "博彩",
    ),
    # betting tips and bookmakers: "sure wins", "a streak of wins", "bet on the total"
    "betting": (
        "betting", "bookmaker", "sure bet", "fixed match", "winning streak", "tipster",
        "ставк", "ставим", "букмекер", "выигрыш", "тотал", "беттинг", "каппер",
        "виграш",
        "zakład", "bukmacher",
        "fogadás", "fogadóiroda",
        "scommess", "pronostic", "quote sicure",
        "投注", "下注", "赌球", "彩票",
    ),
    # job-offer lures: "need people, two hours a day, from 18 years"
    "job": (
        "hiring", "we are hiring", "looking for people", "part time", "part-time", "work from home", "remote job",
        "hours a day", "no experience",
        "требуется", "требуются", "подработк", "набираю людей", "набираем", "ищу людей", "ищем людей", "нужны люди",
        "часа в день", "часов в день", "возраст от", "от 18 лет", "удаленн", "удалённ",
        "потрібні", "шукаю людей", "шукаємо", "підробіт", "години на день", "від 18 років", "віддален",
        "szukam osób", "szukamy", "dodatkowa praca", "praca zdalna", "godziny dziennie", "od 18 lat",
        "munkatársat", "mellékállás", "órát naponta", "otthoni munka",
        "cerchiamo", "cerco persone", "ore al giorno", "lavoro da casa",
        "招聘", "诚聘", "招人", "兼职", "在家", "时间自由",
    ),
}  # fmt: skip

_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_WORDS = re.compile(r"\w+")

# Word phrases: index by the first word's first three letters; each phrase word matches as a prefix
# ("заработ" matches "заработок"). Chinese phrases have no spaces: one small pattern, run on Chinese text only.
_INDEX: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
_cjk: dict[str, list[str]] = {}
for _group, _phrases in GROUPS.items():
    for _p in _phrases:
        _f = fold_phrase(_p)
        if not _f:
            continue
        if _CJK_CHAR.search(_f):
            _cjk.setdefault(_group, []).append(re.escape(_f))
            continue
        _ws = tuple(_WORDS.findall(_f))
        if _ws:
            _INDEX.setdefault(_ws[0][:3], []).append((_group, _ws))
_CJK_PATTERNS = {g: re.compile("|".join(ps)) for g, ps in _cjk.items()}


def lure_groups(skeleton: str) -> tuple[str, ...]:
    """Which lure groups a normalised message touches (on its first few thousand characters)."""
    head = skeleton[:4000]
    words = _WORDS.findall(head)
    found: set[str] = set()
    index = _INDEX
    for i, w in enumerate(words):
        cands = index.get(w[:3])
        if cands is None:
            continue
        for group, phrase in cands:
            if group in found:
                continue
            if all(i + j < len(words) and words[i + j].startswith(pw) for j, pw in enumerate(phrase)):
                found.add(group)
    if _CJK_CHAR.search(head):
        found.update(g for g, pat in _CJK_PATTERNS.items() if pat.search(head))
    return tuple(g for g in GROUPS if g in found)
