"""What a new user's config gets from ``check-config`` (issue #16) and how secrets stay out of its output (#24.6)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.core.config import ConfigError, Secrets, load_config, load_secrets, parse_config
from bot.core.redact import redact_text, shown, token_kind
from storage.db import Database
from storage.repos.communities import CommunityRepo

TG_TOKEN = "123456789:AAHfzP3kq9sW3xYQm2Lr8nT0vB6cD1eF4gH"
DC_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz12"
TG = {"platform": "telegram", "chat_id": "-1001234567890", "name": "Makers"}


def problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(data, "config.toml")
    return info.value.problems


def check(tmp_path: Path, text: str | bytes, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    path = tmp_path / "config.toml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    status = main(["check-config", str(path), "--no-env", *args])
    out = capsys.readouterr()
    return status, out.out + out.err


# ---- accepted before, broken at run ----


def test_sqlite_without_the_async_driver_is_refused_with_the_fix() -> None:
    [p] = problems({"bot": {"database_url": "sqlite:///x.sqlite3"}})
    assert p.startswith("bot.database_url:") and "sqlite+aiosqlite:///" in p
    [p] = problems({"bot": {"database_url": "postgresql://bot:hunter2@db/bot"}})
    assert "postgresql+asyncpg://" in p and "hunter2" not in p
    parse_config({"bot": {"database_url": "postgresql+asyncpg://bot:pw@db/bot"}})


@pytest.mark.parametrize("tick", ["0s", 0, -5])
def test_a_tick_of_zero_or_less_is_refused(tick: Any) -> None:
    [p] = problems({"bot": {"tick": tick}})
    assert p.startswith("bot.tick:") and "longer than zero" in p


def test_a_discord_community_with_a_telegram_style_id_is_refused() -> None:
    [p] = problems({"communities": [{"platform": "discord", "chat_id": "-1001234567890"}]})
    assert "Telegram-style" in p and "Copy Server ID" in p
    [p] = problems({"communities": [{"platform": "telegram", "chat_id": "makers"}]})
    assert "not a Telegram chat id" in p
    parse_config({"communities": [{"platform": "discord", "chat_id": "910000000000000001"}]})


def test_an_empty_file_is_not_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = check(tmp_path, "# nothing yet\n", capsys)
    assert status == 2 and "the file is empty" in out and "OK" not in out


@pytest.mark.parametrize("mute_for", [-3600, "0s", "10s", "400d"])
def test_mute_for_outside_telegrams_bounds_is_refused(mute_for: Any) -> None:
    [p] = problems({"defaults": {"spam": {"mute_for": mute_for}}})
    assert p.startswith("defaults.spam.mute_for:") and "30s" in p and "366d" in p and "forever" in p


@pytest.mark.parametrize("mute_for", ["30s", "1h", "366d"])
def test_mute_for_inside_the_bounds_is_fine(mute_for: str) -> None:
    parse_config({"defaults": {"spam": {"mute_for": mute_for}}})


# ---- encodings ----


def test_a_latin1_file_is_explained_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = check(tmp_path, '[[communities]]\nplatform = "telegram"\nchat_id = "-100"\nname = "Caf\xe9"\n'.encode("latin-1"), capsys)
    assert status == 2 and "not UTF-8" in out and "line 4" in out and "Traceback" not in out


def test_a_utf16_file_is_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = check(tmp_path, '[bot]\ntick = "30s"\n'.encode("utf-16"), capsys)
    assert status == 2 and "UTF-16" in out and "save it as UTF-8" in out


def test_a_utf8_bom_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = '[[communities]]\nplatform = "telegram"\nchat_id = "-100"\nname = "Café"\n'
    status, out = check(tmp_path, b"\xef\xbb\xbf" + text.encode(), capsys)
    assert status == 0 and "OK — 1 community," in out


# ---- wording ----


def test_a_mistake_in_defaults_is_reported_once() -> None:
    data = {"defaults": {"spam": {"mute_for": "10s"}}, "communities": [TG, {**TG, "chat_id": "-1009"}, {**TG, "chat_id": "-1008"}]}
    found = problems(data)
    assert len(found) == 1 and found[0].startswith("defaults.spam.mute_for")


def test_a_communitys_own_mistake_is_still_reported_beside_one_in_defaults() -> None:
    data = {"defaults": {"spam": {"mute_for": "10s"}}, "communities": [{**TG, "settings": {"spam": {"threshold": 5}}}]}
    found = problems(data)
    assert len(found) == 2 and any(p.startswith("communities[0].settings.spam.threshold") for p in found)


def test_a_single_bracket_communities_table_is_explained_not_dumped() -> None:
    [p] = problems({"communities": {"platform": "telegram", "chat_id": "-100", "name": "A secret name"}})
    assert "[[communities]]" in p and "A secret name" not in p


def test_a_typo_gets_the_nearest_valid_key() -> None:
    assert problems({"telegram": {"tokn_env": "X"}}) == ["telegram.tokn_env: unknown key; did you mean 'token_env'?"]
    [p] = problems({"communities": [{**TG, "manager": ["1"]}]})
    assert p == "communities[0].manager: unknown key; did you mean 'managers'?"
    [p] = problems({"defaults": {"onboarding": {"welcome_txt": "hi"}}})
    assert "did you mean 'welcome_text'?" in p
    [p] = problems({"bot": {"zzz": 1}})
    assert "the keys here are: database_url, " in p and ", tick" in p


def test_one_community_is_singular(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = check(tmp_path, '[[communities]]\nplatform = "telegram"\nchat_id = "-100"\n', capsys)
    assert status == 0 and "1 community," in out and "communities" not in out.split("OK")[1].split(",")[0]


def test_the_webhook_secret_is_not_called_the_bots_token() -> None:
    config = parse_config({"telegram": {"enabled": True, "mode": "webhook", "webhook": {"public_url": "https://x/y"}}})
    with pytest.raises(ConfigError) as info:
        load_secrets(config, {"TELEGRAM_BOT_TOKEN": TG_TOKEN})
    [p] = info.value.problems
    assert p.startswith("telegram.webhook.secret_env") and "bot's token" not in p and "secret of your choosing" in p


def test_check_config_takes_config_like_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[[communities]]\nplatform = "telegram"\nchat_id = "-100"\n', encoding="utf-8")
    assert main(["check-config", "--config", str(path), "--no-env"]) == 0
    assert "OK" in capsys.readouterr().out
    assert main(["check-config", "--no-env"]) == 2


def test_chats_the_bot_has_seen_but_the_config_does_not_list_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_file = tmp_path / "bot.sqlite3"
    url = f"sqlite+aiosqlite:///{db_file}"

    async def seed() -> None:
        db = Database(url)
        await db.upgrade()
        async with db.session() as session:
            repo = CommunityRepo(session)
            await repo.get_or_create("telegram", "-1001234567890", "Makers", datetime.now(UTC))
            await repo.get_or_create("telegram", "-1009999", "Typo Group", datetime.now(UTC))
            await session.commit()
        await db.dispose()

    asyncio.run(seed())
    text = (
        f'[bot]\ndatabase_url = "{url}"\n[telegram]\nenabled = true\n[[communities]]\nplatform = "telegram"\nchat_id = "-1001234567890"\n'
    )
    status, out = check(tmp_path, text, capsys)
    assert status == 0
    assert "1 chat the bot has been in is not listed under [[communities]]" in out and "-1009999 (Typo Group)" in out
    assert "-1001234567890" not in out.split("note:")[-1]


def test_check_config_never_creates_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_file = tmp_path / "none.sqlite3"
    status, _ = check(tmp_path, f'[bot]\ndatabase_url = "sqlite+aiosqlite:///{db_file}"\n[telegram]\nenabled = true\n', capsys)
    assert status == 0 and not db_file.exists()


# ---- secrets never printed ----


@pytest.mark.parametrize(
    ("section", "value"),
    [
        ({"telegram": {"token_env": TG_TOKEN}}, TG_TOKEN),
        ({"discord": {"token_env": DC_TOKEN}}, DC_TOKEN),
        ({"telegram": {"webhook": {"secret_env": "s3cr3t-webhook-value-xyz"}}}, "s3cr3t-webhook-value-xyz"),
    ],
)
def test_a_token_pasted_into_an_env_field_is_recognised_and_not_printed(section: dict[str, Any], value: str) -> None:
    [p] = problems(section)
    assert "looks like a" in p and "not the name of an environment variable" in p
    assert value not in p and value[:12] not in p


def test_the_token_does_not_reach_the_output_of_check_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = check(tmp_path, f'[telegram]\nenabled = true\ntoken_env = "{TG_TOKEN}"\n', capsys)
    assert status == 2 and "Telegram bot token" in out and TG_TOKEN.split(":")[1][:8] not in out


def test_a_password_in_a_non_string_database_url_is_redacted() -> None:
    [p] = problems({"bot": {"database_url": ["postgresql+asyncpg://bot:hunter2@db/bot"]}})
    assert "hunter2" not in p
    [p] = problems({"bot": {"log_level": "postgresql://bot:hunter2@db/bot"}})
    assert "hunter2" not in p


def test_what_looks_like_a_secret() -> None:
    assert token_kind("TELEGRAM_BOT_TOKEN") is None and token_kind("MY_WEBHOOK_SECRET") is None
    assert token_kind(TG_TOKEN) == "Telegram bot token" and token_kind(DC_TOKEN) == "Discord bot token"
    assert token_kind("abcdef0123456789abcdef") == "secret"
    assert shown(f"x {TG_TOKEN} y") == "a Telegram bot token, not shown"
    assert redact_text(f"x {TG_TOKEN} y") == "x <a Telegram token, not shown> y"
    assert shown("postgresql://u:p4ss@h/db") == "'postgresql://u:***@h/db'"


def test_run_refuses_a_pasted_token_without_printing_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'[telegram]\nenabled = true\ntoken_env = "{TG_TOKEN}"\n', encoding="utf-8")
    assert main(["run", "--config", str(path)]) == 2
    out = capsys.readouterr()
    assert TG_TOKEN.split(":")[1][:8] not in out.out + out.err and "Telegram bot token" in out.err


def test_load_config_reads_the_example() -> None:
    config = load_config(Path(__file__).parents[1] / "config.example.toml")
    assert isinstance(load_secrets(config, {}), Secrets)


# ---- smaller things a newcomer expects ----


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and capsys.readouterr().out.startswith("community-bot ")


def test_the_database_url_from_the_environment_is_checked_like_the_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMUNITY_BOT_DATABASE_URL", "postgresql://bot:hunter2@db/bot")
    status, out = check(tmp_path, '[[communities]]\nplatform = "telegram"\nchat_id = "-100"\n', capsys)
    assert status == 2 and "COMMUNITY_BOT_DATABASE_URL" in out and "async driver" in out and "hunter2" not in out


def test_the_systemd_unit_puts_each_key_in_its_section() -> None:
    import configparser

    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(Path(__file__).parents[1] / "deploy" / "community-bot.service", encoding="utf-8")
    assert {"StartLimitIntervalSec", "StartLimitBurst"} <= set(unit["Unit"]) and "StartLimitIntervalSec" not in unit["Service"]
    assert unit["Unit"]["Documentation"].startswith("file:///usr/share/doc/community-bot/")
    assert set(unit["Service"]["RestartPreventExitStatus"].split()) == {"2", "78"}


def test_spam_check_help_says_how_to_end_input(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["spam-check", "--help"])
    assert "Ctrl-D" in capsys.readouterr().out
