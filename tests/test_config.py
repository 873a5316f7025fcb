"""Configuration: each kind of mistake is named with its field and its fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.config import ConfigError, load_config, load_secrets, parse_config

ROOT = Path(__file__).resolve().parent.parent


def problems(data: dict) -> list[str]:
    with pytest.raises(ConfigError) as exc:
        parse_config(data, "test.toml")
    return exc.value.problems


def community(**settings: object) -> dict:
    return {"communities": [{"platform": "telegram", "chat_id": "-100", "settings": settings}]}


def test_example_config_loads_and_is_complete() -> None:
    config = load_config(ROOT / "config.example.toml")
    assert config.communities[0].settings.timezone == "Europe/Budapest"
    assert [r.tag for r in config.defaults.rubrics.rubrics] == ["intro", "question", "event"]


def test_unknown_key_is_named() -> None:
    assert problems({"bot": {"databse_url": "x"}}) == ["bot.databse_url: unknown key; did you mean 'database_url'?"]


def test_wrong_type_is_named_with_what_was_given() -> None:
    (p,) = problems(community(spam={"flood_messages": "many"}))
    assert p.startswith("communities[0].settings.spam.flood_messages:") and "'many'" in p


def test_bad_time_zone() -> None:
    (p,) = problems(community(timezone="Europe/Buda"))
    assert "communities[0].settings.timezone" in p and "Europe/Budapest" in p


def test_unknown_placeholder_in_a_template() -> None:
    (p,) = problems({"defaults": {"onboarding": {"welcome_text": "Hi {nmae}!"}}})
    assert p.startswith("defaults.onboarding.welcome_text: unknown placeholder {nmae}") and "{member}" in p


def test_missing_token_for_an_enabled_platform() -> None:
    config = parse_config({"telegram": {"enabled": True}}, "test.toml")
    with pytest.raises(ConfigError) as exc:
        load_secrets(config, environ={}, source="test.toml")
    assert exc.value.problems == [
        "telegram.token_env: the environment variable TELEGRAM_BOT_TOKEN is empty or not set; export it with the bot's token"
    ]
    secrets = load_secrets(config, environ={"TELEGRAM_BOT_TOKEN": "123:abc"})
    assert secrets.telegram_token is not None and "123:abc" not in repr(secrets)


def test_bad_duration_weekday_and_language() -> None:
    ps = problems(
        community(language="klingon", rituals={"weekly_prompt": {"weekday": "someday", "time": "25:00"}}, spam={"mute_for": "soon"})
    )
    text = "\n".join(ps)
    assert "settings.language: 'klingon' is not a supported language" in text
    assert "weekly_prompt.weekday" in text and "weekly_prompt.time" in text and "spam.mute_for" in text


def test_community_settings_override_defaults_key_by_key() -> None:
    config = parse_config(
        {"defaults": {"timezone": "Europe/Rome", "spam": {"shadow_mode": True}}, **community(spam={"mute_for": "2h"})},
    )
    s = config.communities[0].settings
    assert s.timezone == "Europe/Rome" and s.spam.shadow_mode is True and s.spam.mute_for.total_seconds() == 7200


def test_duplicate_community_and_numeric_ids() -> None:
    data = {"communities": [{"platform": "telegram", "chat_id": -100}, {"platform": "telegram", "chat_id": "-100"}]}
    assert problems(data) == ["communities[1]: telegram chat -100 is listed twice; keep one entry"]


def test_unreadable_and_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[bot\nx=1", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)


def test_example_config_lists_every_setting_with_its_default() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen", ROOT / "scripts" / "gen_config_example.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    current = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    assert gen.render(current) == current, "config.example.toml is out of date: run python scripts/gen_config_example.py"


def test_shard_ids_are_checked_against_the_shard_count() -> None:
    for discord, fix in (
        ({"shard_ids": [0]}, "shard_ids needs shards"),
        ({"shards": 2, "shard_ids": [0, 2]}, "shard_ids [2] are outside 0..1"),
        ({"shards": 2, "shard_ids": [1, 1]}, "names a shard twice"),
    ):
        with pytest.raises(ConfigError) as err:
            parse_config({"discord": discord}, "<test>")
        assert fix in str(err.value)
    assert parse_config({"discord": {"shards": 4, "shard_ids": [2, 3]}}, "<test>").discord.shard_ids == [2, 3]
