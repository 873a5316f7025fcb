"""Lure phrases in the languages the bot serves: the shapes spam takes, not memorised lines.

Each group is a kind of lure (easy money, "write me privately", crypto/investment
promises, adult bait, credential phishing), or a kind of ordinary talk that
quotes the same words (a warning about a scam, a sale, a salary). A message hitting two different groups is far more
suspicious than one hitting the same group twice, so the detector counts groups.
Phrases are folded to the normalisation skeleton at import, so look-alike
letters and hidden characters in a message do not escape them.
"""

from __future__ import annotations

import re

from handlers.spam.normalize import fold_phrase

GROUPS: dict[str, tuple[str, ...]] = {
    "money": (
        "कमाएं", "कमाई", "कमाओ", "घर बैठे", "प्रति दिन", "रोज़ कमा", "पैसे कमा",
        "اربح", "أرباح", "دخل يومي", "يومياً", "من المنزل", "من البيت", "ربح مضمون",
        "درآمد", "کسب درآمد", "روزی", "روزانه", "سود تضمینی",
        "cuan", "penghasilan", "per hari", "sehari", "dari rumah", "langsung cair", "dibayar harian",
        "täglich", "tägliche auszahlung", "al giorno", "diarios", "pago diario", "pagamento diário", "na hora",
        "заробіток", "за день", "на карту", "сразу на карту", "выплаты каждый день", "каждый день",
        "earn", "earning", "income", "profit", "per day", "a day from home", "from home", "passive income", "make money",
        "withdrawal", "guaranteed", "paid daily", "pay daily", "extra income", "easy money",
        "заработ", "доход", "прибыль", "в день", "без вложений", "оплата ежедневно", "выплат",
        "заробіт", "дохід", "прибуток", "на день", "виплат",
        "zarob", "zarabia", "zysk", "dziennie", "bez doświadczenia", "wypłat",
        "kereset", "pénzkeres", "naponta", "napi", "nyereség", "kifizetés",
        "guadagn", "al giorno", "da casa", "profitto", "senza esperienza", "lavoro online",
        "赚", "日结", "收益", "回报", "稳赚", "日赚", "月入",
        "gana", "ganar", "al día", "desde casa", "ingresos", "ganhe", "por dia", "em casa", "renda extra", "verdiene", "am tag",
        "von zu hause", "nebeneinkommen",
    ),
    "contact": (
        "dm करें", "मैसेज करें", "मैसेज करो", "व्हाट्सएप", "बायो में",
        "راسلني", "تواصل معي", "على الخاص", "في البايو", "تواصل خاص",
        "پیام خصوصی", "پیام بده", "در بیو", "در تلگرام پیام",
        "chat saya", "chat aku", "japri", "di bio", "hubungi",
        "text me", "message me", "in bio", "in der bio", "na bio", "en la bio", "w bio", "a bióban", "в біо", "в профиле",
        "dm me", "write me", "contact me", "inbox me", "link in bio", "link in my profile",
        "click the link", "join our", "in my bio", "in my profile", "check my profile",
        "pm me",
        "в личку", "в лс", "в личные", "пиши мне", "пишите", "подробности", "вступай", "ссылка в профиле",
        "в шапке профиля", "в описании профиля", "в био", "свяжитесь с нами", "напиши мне", "напишите мне",
        "в поиск телеграм", "в поиске телеграм", "в поиск тг", "в пошук телеграм", "search on telegram",
        "в особисті", "пишіть", "в приватн", "деталі", "в описі профілю", "напиши мені", "зв'яжіться з нами",
        "napisz", "pisz na priv", "prywatnie", "dołącz", "kliknij", "w opisie profilu", "skontaktuj",
        "írj", "privátban", "privát üzenet", "csatlakozz", "kattints", "a profilomban",
        "scrivimi", "contattami", "in privato", "unisciti", "clicca", "nel profilo", "nella bio", "contattaci",
        "私聊", "加微信", "加我", "点击链接", "联系客服", "私信", "加好友", "vx", "联系我们",
        "escríbeme", "al privado", "por privado", "contáctame", "me chama", "no privado", "chama no pv", "schreib mir",
        "schreibt mir", "privat", "kontaktiere",
        "пиши", "加vx", "加v信", "加薇", "加qq",
    ),
    "crypto": (
        "pump", "vip signals", "vip channel", "vip-kanal", "vip канал", "vip-канал", "канал vip", "listing",
        "памп", "пампим", "拉盘", "暴涨",
        "क्रिप्टो", "सिग्नल", "कॉइन", "عملة", "تداول", "إشارات", "ارز دیجیتال", "سیگنال", "توکن", "koin", "sinyal",
        "sygnał", "jelzés", "segnale", "señal", "sinal", "монета",
        "crypto", "bitcoin", "btc", "usdt", "airdrop", "wallet", "signals", "trading", "forex", "investment", "invest",
        "binance", "token",
        "крипт", "биткоин", "сигнал", "трейдинг", "инвест", "крипто",
        "криптовалют", "інвест",
        "kryptowalut", "inwest",
        "kriptovalut", "befektet",
        "criptovalut", "investiment",
        "加密货币", "比特币", "投资", "理财", "币",
        "cripto", "señales", "sinais", "krypto", "signale",
    ),
    "bait": (
        "hot girls", "private pics", "girls near you", "скучаешь", "девушки из твоего", "дівчата з твого",
        "dziewczyny z", "lányok a", "ragazze della tua", "chicas de tu", "garotas da sua", "mädels aus", "同城", "寂寞",
        "लड़कियां", "अकेले", "فتيات", "دخترهای", "cewek", "kesepian", "kencan", "jackpot", "free spins", "slot gacor", "gacor", "maxwin",
        "बोनस", "مكافأة", "بونوس",
        "giveaway", "free gift", "you won", "claim your", "congratulations", "hot singles", "dating", "casino", "bonus",
        "escort", "onlyfans", "nudes",
        "знакомств", "интим", "казино", "бесплатн", "розыгрыш", "обнал", "эскорт",
        "безкоштовн", "знайомств", "ескорт",
        "darmow", "kasyno", "wygrał", "randk",
        "ingyenes", "nyeremény", "kaszinó",
        "gratis", "hai vinto", "casinò",
        "免费", "美女", "中奖", "博彩",
        "bono", "grátis", "bônus", "cassino", "kostenlos",
    ),
    # betting tips and bookmakers: "sure wins", "a streak of wins", "bet on the total"
    "betting": (
        "सट्टा", "رهان", "پیش‌بینی", "پیش بینی", "taruhan",
        "betting", "bookmaker", "sure bet", "fixed match", "winning streak", "tipster",
        "ставк", "ставим", "букмекер", "выигрыш", "тотал", "беттинг", "каппер", "прогнозы на спорт", "прогнозы на матч",
        "виграш",
        "zakład", "bukmacher",
        "fogadás", "fogadóiroda",
        "scommess", "pronostic", "quote sicure",
        "投注", "下注", "赌球", "彩票",
    ),
    # selling reach: views, followers and subscribers "boosted" for a channel or a profile
    "promo": (
        "follow my channel", "join my channel", "my channel", "мой канал", "мій канал", "mój kanał", "a csatornámra", "mio canale",
        "mi canal", "meu canal", "meinen kanal", "我的频道", "चैनल को सब्सक्राइब", "मेरा चैनल", "اشترك في قناتي", "تابع قناتي",
        "کانال من", "عضو کانالم", "channel aku", "gabung channel",
        "buy followers", "real followers", "boost your", "followers and likes", "views and subscribers", "promote your channel",
        "накрут", "накруч", "раскрут", "раскруч", "подписчики и просмотры", "просмотры подписчики", "продвижение канал",
        "продвижение в телеграм",
        "накрутк", "розкрут", "просування канал", "підписники",
        "kup obserwujących", "obserwujących", "promocja kanał",
        "követők vásárlás", "követőket",
        "compra follower", "aumenta i follower", "promuovi il tuo canale",
        "刷粉", "涨粉", "刷赞", "推广频道",
        "subscribe to my channel", "подписывайтесь на мой канал", "підписуйтесь на мій канал", "subskrybuj mój kanał",
        "iratkozz fel a csatornámra", "iscriviti al mio canale", "suscríbete a mi canal", "se inscreva no meu canal",
        "abonniere meinen kanal", "关注我的频道",
    ),
    # job-offer lures: "need people, two hours a day, from 18 years"
    "job": (
        "पार्ट टाइम", "घर बैठे काम", "अनुभव नहीं", "ऑनलाइन टास्क", "عمل من المنزل", "بدون خبرة", "مهام أونلاين",
        "کار در خانه", "بدون سابقه", "پاره‌وقت", "تسک آنلاین", "kerja dari rumah", "tanpa pengalaman", "kerja sampingan", "tugas online",
        "нужны курьеры", "лёгкую работу", "легкую работу", "easy job", "online tasks", "couriers",
        "hiring", "we are hiring", "looking for people", "work from home", "remote job",
        "hours a day", "no experience",
        "требуется", "требуются", "подработк", "набираю людей", "набираем", "ищу людей", "ищем людей", "нужны люди",
        "часа в день", "часов в день", "возраст от", "от 18 лет", "удален работ",  # any case: "удалённую работу", "удалённой работы"
        "потрібні", "шукаю людей", "шукаємо", "підробіт", "години на день", "від 18 років", "віддален робот",
        "szukam osób", "szukamy", "dodatkowa praca", "praca zdalna", "godziny dziennie", "od 18 lat",
        "munkatársat", "mellékállás", "órát naponta", "otthoni munka",
        "cerchiamo", "cerco persone", "ore al giorno", "lavoro da casa",
        "招聘", "诚聘", "招人", "兼职", "在家", "时间自由",
        "trabajo desde casa", "sin experiencia", "trabalho em casa", "sem experiência", "arbeit von zu hause", "keine erfahrung",
    ),
    # credential phishing: "support" asking for a login code or a wallet's seed phrase
    "account": (
        "otp", "6-digit code", "6 digit code", "6-stelligen code", "codice a 6 cifre", "código de 6", "6 jegyű", "kod 6",
        "frase semilla", "frase semente", "seed phrase", "seed-фраз", "сід фраз", "сид-фраз", "助记词", "验证码发给",
        "recovery phrase", "العبارة السرية", "رمز التحقق", "عبارت بازیابی", "کد تأیید", "کد ارسال", "kode verifikasi", "kode otp",
        "अकाउंट बंद", "अकाउंट बैन", "سيتم حظر", "مسدود می", "akun anda akan diblokir", "diblokir", "будет удален",
        "буде заблоковано", "sarà bloccato", "será bloqueada", "sua conta será bloqueada", "wird gesperrt", "letiltjuk", "封号",
        "login code", "verification code", "seed phrase", "recovery phrase", "secret phrase", "12-word", "12 word",
        "account will be blocked", "account will be suspended", "account will be deleted", "send us the code",
        "код из смс", "код из sms", "код подтверждения", "будет заблокирован", "сид фраз", "seed фраз",
        "код з смс", "код з sms", "буде заблоковано",
        "kod z sms", "zostanie zablokowane",
        "sms-ben kapott", "letiltjuk",
        "codice ricevuto", "sarà bloccato",
        "código que recibiste", "será bloqueada", "código que você recebeu",
        "code aus der sms", "wird gesperrt",
        "验证码", "即将被封", "封号",
    ),
    # members warning each other: a warning quotes the scam it warns about
    "warning": (
        # (the fraud words themselves: a plain "attention!" opens spam as often as warnings)
        "धोखा", "स्कैम", "احتيال", "نصب", "کلاهبرداری", "penipuan", "冒充", "never dm", "block and report",
        "scam", "scammer", "fraud", "phishing", "don't answer", "do not answer", "don't reply", "report them", "beware",
        "мошенн", "осторожно", "не отвечайте", "развод", "скам",
        "шахра", "обережно", "не відповідайте",
        "oszust", "nie odpowiadajcie",
        "csalás", "csaló", "ne válaszoljatok",
        "truffa", "non rispondete",
        "estafa", "no contestéis", "no respondáis", "golpe", "não respondam",
        "betrug", "nicht antworten",
        "诈骗", "骗子", "不要理会",
    ),
    # a member selling a thing, with a price: a marketplace post, not an offer of pay
    "sale": (
        "बेच रहा", "बेचना", "أبيع", "للبيع", "می‌فروشم", "برای فروش", "dijual", "jual", "vendo", "продам", "eladó", "sprzedam",
        "selling", "for sale", "or best offer",
        "продаю", "sprzedam", "eladó", "vendo", "verkaufe", "二手", "转让",
    ),
    # an employer's post: a salary by the month or year, not "earn from home"
    "salary": (
        # (not "per hour" or "a month": "income 1000$ a month" is how the offers of pay read)
        "सैलरी", "वेतन", "lpa", "सालाना", "الراتب", "راتب", "حقوق", "gaji", "brutos", "carteira assinada",
        "contrato", "contract", "umowa o pracę", "netti al mese",
        "salary", "per year", "per annum", "careers page",
        "зарплата", "оклад",
        "wynagrodzenie", "brutto",
        "fizetés", "bruttó",
        "ral", "stipendio",
        "salario", "sueldo", "salário",
        "gehalt", "im jahr",
        "月薪", "年薪",
    ),
}  # fmt: skip

# Groups of ordinary talk that quotes lure words: they soften the lures, they are no lure themselves.
ORDINARY = frozenset({"warning", "sale", "salary"})

_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_WORDS = re.compile(r"\w+")
_NEXT_WORD = "\x00"  # in the trie: the rest of this word, then the separators before the next one


def _trie_pattern(phrases: dict[str, frozenset[str]], marks: list[frozenset[str]], start: str) -> str:
    """One regex for many phrases, shaped as a trie so each position costs a few steps, not one per phrase.

    Where a phrase ends, an empty group marks it; ``marks[i]`` are the lure groups of group ``i + 1``
    (those of the phrase and of every shorter phrase it extends, as the regex reports the longest).
    A match consumes the character before the phrase (``start``: for words, a non-word character)
    and looks ahead for the rest, so phrases that overlap are all found, and the search skips
    straight to the few places where a phrase can begin.
    """
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for phrase in phrases:
        node = root
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict, prefix: str, inherited: frozenset[str]) -> str:  # type: ignore[type-arg]
        here = inherited | phrases.get(prefix, frozenset()) if "" in node else inherited
        branches = []
        for ch in sorted(k for k in node if k):
            piece = r"\w*\W+" if ch == _NEXT_WORD else re.escape(ch)
            branches.append(piece + emit(node[ch], prefix + ch, here))
        if "" in node:
            marks.append(here)
            end = "()"
            return f"(?:{'|'.join(branches)}|{end})" if branches else end
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"

    return f"{start}(?={emit(root, '', frozenset())})"


def _compile() -> tuple[re.Pattern[str], tuple[frozenset[str], ...], re.Pattern[str], tuple[frozenset[str], ...]]:
    words: dict[str, set[str]] = {}
    cjk: dict[str, set[str]] = {}
    for group, phrases in GROUPS.items():
        for p in phrases:
            f = fold_phrase(p)
            if _CJK_CHAR.search(f):
                cjk.setdefault(f, set()).add(group)
            elif ws := _WORDS.findall(f):
                # each word of a phrase matches as a prefix ("заработ" matches "заработок")
                words.setdefault(_NEXT_WORD.join(ws), set()).add(group)
    word_marks: list[frozenset[str]] = []
    word_re = re.compile(_trie_pattern({k: frozenset(v) for k, v in words.items()}, word_marks, r"\W"))
    cjk_marks: list[frozenset[str]] = []
    cjk_re = re.compile(_trie_pattern({k: frozenset(v) for k, v in cjk.items()}, cjk_marks, ""))
    return word_re, tuple(word_marks), cjk_re, tuple(cjk_marks)


_PHRASES, _PHRASE_MARKS, _CJK_PHRASES, _CJK_MARKS = _compile()


_LAST: list[tuple[str, tuple[str, ...]]] = []  # the last answer: the model and the detectors ask about the same text


def lure_groups(skeleton: str) -> tuple[str, ...]:
    """Which lure groups a normalised message touches (on its first few thousand characters)."""
    if _LAST and _LAST[0][0] is skeleton:
        return _LAST[0][1]
    groups = _lure_groups(skeleton)
    _LAST[:] = [(skeleton, groups)]
    return groups


def _lure_groups(skeleton: str) -> tuple[str, ...]:
    head = skeleton[:4000]
    found: set[str] = set()
    for m in _PHRASES.finditer(" " + head):  # (a word at the very start follows this space)
        found |= _PHRASE_MARKS[m.lastindex - 1]  # type: ignore[operator]
    if _CJK_CHAR.search(head):
        for m in _CJK_PHRASES.finditer(head):
            found |= _CJK_MARKS[m.lastindex - 1]  # type: ignore[operator]
    return tuple(g for g in GROUPS if g in found) if found else ()
