"""Hashtag parsing and typo suggestions: pure functions."""

from __future__ import annotations

import pytest

from handlers.rubrics.parse import closest, distance, hashtags


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("#вопрос как паять?", ("вопрос",)),
        ("Jó napot! #Kérdés", ("kérdés",)),
        ("#PYTANIE_dnia: co lutujecie?", ("pytanie_dnia",)),
        ("＃问题＃ 哪里有烙铁", ("问题",)),
        ("#domanda, #Domanda e #DOMANDA", ("domanda",)),
        ("#intro Hi! I'm Ann", ("intro",)),
        ("#питання як справи", ("питання",)),
        ("Ke\u0301rdes: #ke\u0301rde\u0301s", ("kérdés",)),  # decomposed accents are composed
        ("C# and F#, page.html#top, &#38; and #42", ()),
        ("no hashtags at all", ()),
    ],
)
def test_hashtags(text: str, tags: tuple[str, ...]) -> None:
    assert hashtags(text) == tags


def test_platform_entities_are_used_when_given() -> None:
    assert hashtags("text without tags", ("#Intro", "intro", "Вопрос")) == ("intro", "вопрос")


def test_typos_suggest_the_registered_tag() -> None:
    names = ["question", "q", "intro", "introduction", "event", "вопрос"]
    assert closest("questoin", names) == "question"
    assert closest("intor", names) == "intro"
    assert closest("events", names) == "event"
    assert closest("вопросы", names) == "вопрос"
    assert closest("random", names) is None
    assert closest("x", names) is None  # one edit from the alias #q, but too short to guess
    assert closest("qq", names) is None
    assert distance("abc", "abcdef", 1) == 2
