"""The two README promises: the demo shows the week; the CLI explains itself."""

from __future__ import annotations

import io
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
    assert time.perf_counter() - started < 15
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
