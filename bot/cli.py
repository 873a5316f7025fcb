"""The ``community-bot`` command."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

if TYPE_CHECKING:
    from bot.core.config import Config

DESCRIPTION = """\
A community bot for Telegram and Discord: it welcomes newcomers, keeps the
pinned rules current, indexes your hashtag rubrics, keeps spam out and runs
your community's rituals (weekly prompt, events, reminders)."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="community-bot", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser(
        "demo",
        help="watch a week in the life of a community, offline (no tokens, no setup)",
        description="Runs a scripted week of a small community through the real bot on a simulated chat: "
        "newcomers are welcomed, rubrics are used, a spammer is caught, rituals are posted. Nothing leaves this computer.",
    )
    demo.add_argument("--db", type=Path, help="keep the demo's SQLite database in this file (default: a temporary one)")
    demo.add_argument(
        "--language",
        default="en",
        choices=["en", "ru", "uk", "pl", "hu", "it", "zh_Hans"],
        help="the community's language: the bot's messages and the transcript (default: en)",
    )
    demo.add_argument(
        "--dashboard",
        nargs="?",
        type=int,
        const=8090,
        metavar="PORT",
        help="after the week, keep the managers' web dashboard open on the demo's data (default port 8090; Ctrl-C ends it)",
    )
    run = sub.add_parser(
        "run",
        help="run the bot for real on Telegram and/or Discord",
        description="Starts every platform enabled in the config file in one process. Tokens are read from the "
        "environment variables the config names (TELEGRAM_BOT_TOKEN, DISCORD_BOT_TOKEN by default).",
    )
    run.add_argument("--config", type=Path, required=True, help="the configuration file (start from config.example.toml)")
    check = sub.add_parser(
        "check-config",
        help="check a configuration file and say what to fix",
        description="Reads the file, checks every field and the tokens of enabled platforms, and explains each problem.",
    )
    check.add_argument("file", type=Path, nargs="?", help="the configuration file to check")
    check.add_argument("--config", type=Path, dest="config_file", help="the same, written as for run")
    check.add_argument("--no-env", action="store_true", help="do not check that the token environment variables are set")
    spam = sub.add_parser(
        "spam-check",
        help="classify messages read one per line on stdin: spam or ham, score, reasons",
        description="Runs the spam filter's content checks with the starter model; prints spam|ham, a tab, the score, a tab, the reasons. "
        "Type or paste messages, one per line; end the input with Ctrl-D (Ctrl-Z then Enter on Windows), or pipe a file in: "
        "community-bot spam-check < messages.txt",
    )
    spam.add_argument("--config", type=Path, help="use the spam settings of this file's [defaults] (stop phrases, threshold)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "demo":
        from bot.demo import run_demo

        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
        try:
            asyncio.run(run_demo(args.db, language=args.language, dashboard=args.dashboard))
        except KeyboardInterrupt:
            pass  # the dashboard was left open until Ctrl-C
        return 0
    if args.command == "spam-check":
        from handlers.spam.check import run as spam_check

        return spam_check(args.config)
    if args.command == "check-config":
        path = args.config_file or args.file
        if path is None or (args.config_file and args.file and args.config_file != args.file):
            print("check-config: name one configuration file, e.g. community-bot check-config config.toml", file=sys.stderr)
            return 2
        return _check(path, check_env=not args.no_env)
    if args.command == "run":
        from bot.core.config import ConfigError, load_secrets
        from bot.process import run_service

        try:
            config = _load(args.config)
            secrets = load_secrets(config, source=str(args.config))
        except ConfigError as exc:
            print(exc, file=sys.stderr)
            return 2
        from bot import logs

        logs.configure(config.bot.log_level)
        try:
            return asyncio.run(run_service(config, secrets))
        except KeyboardInterrupt:
            return 0
    _parser().print_help()
    return 0


def _check(path: Path, check_env: bool) -> int:
    from bot.core.config import ConfigError, load_secrets

    try:
        config = _load(path)
        if check_env:
            load_secrets(config, source=str(path))
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    from bot.unlisted import check_unlisted

    platforms = [p for p in ("telegram", "discord") if getattr(config, p).enabled] or ["none enabled"]
    n = len(config.communities)
    print(f"{path}: OK — {n} {'community' if n == 1 else 'communities'}, platforms: {', '.join(platforms)}")
    if platforms == ["none enabled"]:
        print("note: no platform is enabled, so `run` has nothing to start: set telegram.enabled or discord.enabled to true")
    notice = asyncio.run(check_unlisted(config))
    if notice:
        print(f"note: {notice}")
    return 0


DATABASE_URL_ENV = "COMMUNITY_BOT_DATABASE_URL"


def _load(path: Path) -> Config:
    """The config file; ``COMMUNITY_BOT_DATABASE_URL``, when set, replaces ``bot.database_url`` (so a
    password can stay in the environment, as in deploy/compose.yaml), checked like the file's value."""
    import os

    from bot.core.config import BotConfig, ConfigError, load_config

    config = load_config(path)
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if not url:
        return config
    try:
        bot = BotConfig.model_validate({**config.bot.model_dump(), "database_url": url})
    except ValidationError as exc:
        raise ConfigError(DATABASE_URL_ENV, [e["msg"].removeprefix("Value error, ") for e in exc.errors()]) from None
    return config.model_copy(update={"bot": bot})


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("community-bot")
    except PackageNotFoundError:
        return "(not installed)"


if __name__ == "__main__":
    raise SystemExit(main())
