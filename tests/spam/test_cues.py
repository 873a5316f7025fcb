"""The cues the filter reads, in the languages it serves, and the fast paths that must equal the plain ones."""

from __future__ import annotations

import pytest

from bot.core.settings.spam import SpamSettings
from handlers.spam.detectors import combine, content_verdicts
from handlers.spam.lexicon import lure_groups
from handlers.spam.model import Model, features, learnable, shape_features, starter_weights
from handlers.spam.normalize import normalize


def score(text: str) -> float:
    return combine(content_verdicts(normalize(text), Model(starter_weights()), SpamSettings()))


@pytest.mark.parametrize(
    "text",
    ["всего 25 рублей за час", "500 złotych dziennie", "1000 гривень на день", "інфо в профілі $$$", "20 euro al giorno"],
)
def test_amounts_with_currency_words_in_any_case(text: str) -> None:
    assert normalize(text).money


def test_numbers_that_are_not_money() -> None:
    assert not normalize("скачай 2 zlib и 5 ftp клиентов").money


def test_abbreviations_part_numbers_and_brand_endings_are_no_disguise() -> None:
    assert normalize("парсинг и т.д. в общем").tricks == 0  # spaced letters need one repeated separator
    assert normalize("Контактор ABB ESB20-20N-06, клавиатура K2С3H").tricks == 0  # codes mix scripts innocently
    assert normalize("Купил iPadе и Dockerа настроил").tricks == 0  # a Latin word with a Russian ending
    # ... while the disguises themselves still count and are undone
    assert normalize("e a r n").text == "earn"
    assert normalize("Frее money").tricks >= 1  # Cyrillic "ее" inside an English word
    disguised = normalize("Зaрaбoтoк в дeнь, пиши в лс")  # Latin a/o/e inside Russian words
    assert disguised.tricks >= 2 and "заработок" in disguised.text


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("Потрібні люди на підробіток, 2 години на день", {"job", "money"}),
        ("Szukamy osób, 2 godziny dziennie", {"job", "money"}),
        ("Требуются сотрудники, 3 часа в день", {"job", "money"}),  # overlapping phrases are both found
        ("Ставим строго на тотал", {"betting"}),
        ("Накручиваю просмотры и подписчики", {"promo"}),
        ("Напиши в поиск телеграм: MODELS60", {"contact"}),
        ("招聘兼职，日结", {"job", "money"}),
        ("learning Python at home", set()),  # "earn" is a word's beginning, not any substring
    ],
)
def test_lure_groups_in_several_languages(text: str, groups: set[str]) -> None:
    assert set(lure_groups(normalize(text).text)) == groups


def test_a_channel_invite_is_not_an_article_link() -> None:
    assert "#link_deep" not in shape_features(normalize("https://t.me/somechannel"))
    assert "#link_deep" in shape_features(normalize("https://github.com/python/cpython-docs"))


@pytest.mark.parametrize(
    "text",
    [
        "Szukаmy оsób dо prаcy zdаlnеj, 2 gоdziny dziеnniе, 300 złоtych dziеnniе",  # pl, Cyrillic look-alikes
        "Пoтpiбнi люди нa пiдpoбiтoк, 2 гoдини нa дeнь, oплaтa 1000 гpивeнь щoдня",  # uk, Latin look-alikes
        "Заробіток від 500 грн на день, t . me / zarobitok_ua",  # uk, spaced invite link
    ],
)
def test_disguised_job_offers_are_caught(text: str) -> None:
    assert score(text) >= 0.8


@pytest.mark.parametrize(
    "text",
    [
        "Ищу удалённую работу бэкендером, подскажите, где смотреть вакансии?",
        "Szukam pracy zdalnej jako programista, macie jakieś polecenia?",
        "m2 от m3 отличается процентов на десять, а 512 от 1024 в два раза",
        "Дельно, спасибо",
    ],
)
def test_members_talking_about_work_and_numbers_pass(text: str) -> None:
    assert score(text) < 0.8


TEXTS = [
    "Earn $500 a day from home! DM me: t.me/x",
    "Зaрaбoтoк без вложений, 5000 рублей в день",
    "yrev ralimafnu sdrow ,gnihtemos rehto",  # no word the vocabulary knows
    "a " * 400,
    "x" * 5000,
    "",
    "💰" * 50,
]


def test_the_compiled_vocabulary_scores_exactly_as_the_features() -> None:
    """``probability_of`` (the hot path, word by word) equals ``probability(features(...))``, taught or not."""
    base = starter_weights()
    plain = Model(base)
    taught = Model(base, {"  hello": (3, 0), " he": (0, 2)})
    taught.learn(learnable(features(normalize("hello world, free money"))), spam=True)
    before = taught.probability_of(normalize("hello world"))
    for model in (plain, taught):
        for text in TEXTS:
            n = normalize(text)
            assert model.probability_of(n) == pytest.approx(model.probability(features(n)), abs=1e-12)
    taught.learn(learnable(features(normalize("hello world"))), spam=True)  # learning recompiles
    assert taught.probability_of(normalize("hello world")) > before


def test_the_recent_cache_keeps_what_learning_reads_within_a_byte_budget() -> None:
    from bot.core.ids import ChatRef, MessageRef
    from handlers.spam.memory import Recent, RecentMessages

    long = "Заработок от 5000 рублей в день, пиши в личку 💰 " * 200  # ~10,000 characters
    item = Recent.of("u", "N" * 1000, long)
    assert len(item.text) <= 601 and len(item.display_name) == 256
    assert learnable(features(normalize(item.text))) == learnable(features(normalize(long)))  # /spam learns the same
    cache = RecentMessages(capacity=1000, max_bytes=200_000)
    chat = ChatRef("local", "town")
    for i in range(1000):
        cache.remember(MessageRef(chat, str(i)), Recent.of("u", "Name", long))
    assert cache.bytes <= 200_000 and 0 < len(cache) < 1000
    assert cache.get(MessageRef(chat, "999")) is not None and cache.get(MessageRef(chat, "0")) is None


def test_spam_check_prints_the_same_three_columns() -> None:
    import io

    from handlers.spam.check import classify

    out = io.StringIO()
    lines = ["Earn $500 a day from home! DM me: t.me/x\n", "hello everyone\n", "Free Nitro: https://dlscord-gift.com/claim\n", "\n"]
    classify(lines, SpamSettings(), out)
    rows = [line.split("\t") for line in out.getvalue().splitlines()]
    assert len(rows) == 4 and all(len(r) == 3 for r in rows)
    assert [r[0] for r in rows] == ["spam", "ham", rows[2][0], "ham"] and all(0 <= float(r[1]) <= 1 for r in rows)
    assert rows[0][2].startswith("classifier:") and "lookalike:0.70" in rows[2][2] and rows[1][2] == ""
