"""The fake's own checks must catch what Telegram would refuse, or the end-to-end tests prove nothing."""

from __future__ import annotations

import json

import pytest

from tests.telegram.fake_api import SPEC_PRESENT, check_request, parse_html

# Object fields are checked only against the published spec (aiogram's models stand in for names and scalars).
needs_spec = pytest.mark.skipif(not SPEC_PRESENT, reason="the Bot API spec is not beside the repository")


def test_a_good_request_passes() -> None:
    markup = json.dumps({"inline_keyboard": [[{"text": "Undo", "callback_data": "spam:undo:1"}]]})
    params = {"chat_id": "-100123", "text": "<b>hi</b> &amp; bye", "parse_mode": "HTML", "reply_markup": markup}
    assert check_request("sendMessage", params) == []


@pytest.mark.parametrize(
    ("method", "params", "complaint"),
    [
        ("sendMesage", {"chat_id": "1", "text": "x"}, "no such method"),
        ("sendMessage", {"text": "x"}, "chat_id: required"),
        ("sendMessage", {"chat_id": "1", "text": "x", "parse_mod": "HTML"}, "unknown field"),
        ("sendMessage", {"chat_id": "1", "text": "x", "message_thread_id": "one"}, "expected Integer"),
        ("sendMessage", {"chat_id": "1", "text": "x", "disable_notification": "yes"}, "expected Boolean"),
        ("sendMessage", {"chat_id": "1", "text": "<b>x", "parse_mode": "HTML"}, "unclosed tag"),
        ("sendMessage", {"chat_id": "1", "text": "a < b", "parse_mode": "HTML"}, "unescaped"),
        ("sendMessage", {"chat_id": "1", "text": "<b><i>x</b></i>", "parse_mode": "HTML"}, "unexpected end tag"),
        ("sendMessage", {"chat_id": "1", "text": "x" * 4097}, "1-4096"),
        pytest.param(
            "sendMessage",
            {"chat_id": "1", "text": "x", "reply_markup": '{"inline_keyboard": [[{"text": 1}]]}'},
            "expected String",
            marks=needs_spec,
        ),
        pytest.param("setMyCommands", {"commands": "[]", "scope": '{"type": "chat"}'}, "matches none", marks=needs_spec),
        pytest.param(
            "restrictChatMember", {"chat_id": "1", "user_id": "2", "permissions": '{"can_fly": true}'}, "not a field", marks=needs_spec
        ),
    ],
)
def test_what_telegram_would_refuse_is_caught(method: str, params: dict[str, str], complaint: str) -> None:
    errors = check_request(method, params)
    assert any(complaint in e for e in errors), errors


def test_html_entities_are_unescaped() -> None:
    assert parse_html('<a href="https://x.org/?a=1&amp;b">&lt;&#65;&gt;</a>') == "<A>"
