"""The two README promises: the demo shows the week; the CLI explains itself."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from rich.console import Console

from bot.cli import main
from bot.demo import run_demo


async def test_demo_runs_the_week_quickly(tmp_path: Path) -> None:
    out = io.StringIO()
    started = time.perf_counter()
    summary = await run_demo(tmp_path / "demo.sqlite3", Console(file=out, width=120))
    assert time.perf_counter() - started < 60  # a hang, not a benchmark: CI machines are shared (15 s failed under load)
    text = out.getvalue()
    assert "Monday: newcomers arrive" in text and "A week in Riverside Makers" in text
    assert summary["joined"] == 4
    assert summary["posted"] >= 6
    assert summary["spam_removed"] == 1 and summary["bans"] == 1
    assert (tmp_path / "demo.sqlite3").exists()


def test_check_config_ok_and_broken(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).resolve().parent.parent
    assert main(["check-config", str(root / "config.example.toml"), "--no-env"]) == 0
    assert "OK" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text('[defaults]\ntimezone = "Mars/Olympus"\n', encoding="utf-8")
    assert main(["check-config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "defaults.timezone" in err and "IANA" in err


def test_run_refuses_a_missing_token(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    cfg = tmp_path / "c.toml"
    cfg.write_text("[telegram]\nenabled = true\n", encoding="utf-8")
    assert main(["run", "--config", str(cfg)]) == 2
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err


async def test_demo_speaks_the_communitys_language(tmp_path: Path) -> None:
    out = io.StringIO()
    await run_demo(tmp_path / "demo.sqlite3", Console(file=out, width=120), language="ru")
    text = out.getvalue()
    assert "Понедельник: приходят новички" in text and "Добро пожаловать" in text
    assert "Monday" not in text
    # The whole week: the community's own words (mission, rules, rubrics, the prompt, members' posts) too.
    assert "Мы чиним, строим и учим" in text and "Знакомства" in text and "Что вы мастерите" in text
    for english in ("We repair, build and teach", "Be kind and patient", "Say who you are", "What are you making", "soldering station"):
        assert english not in text


@pytest.mark.parametrize("command", ["demo", "run", "check-config"])
def test_every_subcommand_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert len(capsys.readouterr().out) > 200


def test_every_simulator_action_tag_has_a_transcript_label() -> None:
    import re

    from bot.core.i18n import Catalogs
    from tests.test_i18n import all_folders

    source = (Path(__file__).resolve().parent.parent / "adapters" / "local" / "simulator.py").read_text(encoding="utf-8")
    tags = set(re.findall(r'_record\("[a-z]+", "([^"]+)"', source))
    english = Catalogs(all_folders()).languages["en"].messages
    missing = [tag for tag in tags if "demo.what." + re.sub(r"[^a-z]+", "_", tag).strip("_") not in english]
    assert tags and missing == []


async def test_the_demo_reads_at_80_columns(tmp_path: Path) -> None:
    """Wrapped lines stay in the text column (they used to restart at column 0); presses show the button, not its data;
    one clock for event times (#16)."""
    out = io.StringIO()
    await run_demo(None, Console(file=out, width=80))
    lines = out.getvalue().splitlines()
    assert all(len(line) <= 80 for line in lines)
    rows = [ln for ln in lines if ln.strip() and not ln.startswith(("─", "┏", "┃", "┡", "│", "└", "╭", "╰", "┗", "┌", "├", "A week"))]
    stray = [ln for ln in rows if not re.match(r"(\w{3} \d\d:\d\d  |\s{20,})", ln)]
    assert stray == [], stray[:5]
    text = out.getvalue()
    assert "rsvp:" not in text and "[✅ Going" in text
    assert "18:00–20:00" not in text and "6:00 PM–8:00 PM" in text  # one clock per language (#22.2): English 12-hour
