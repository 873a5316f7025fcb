"""Take the screenshots of the dashboard that docs/ and the README show: runs the demo week with
``--dashboard``, signs in as its manager with the system's headless Chromium, and saves each main page.

    python scripts/dashboard_screenshots.py [--out docs/screenshots] [--language en]

Needs Chromium and chromedriver (``apt-get install chromium chromium-driver``) and selenium (the test extras).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from selenium import webdriver  # noqa: E402

from bot.demo import run_demo  # noqa: E402

PAGES = ("", "/moderation", "/content", "/settings", "/members")


def _shoot(url: str, out: Path) -> None:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1400", "--hide-scrollbars"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=shutil.which("chromedriver")), options=options)
    try:
        driver.get(url)
        driver.find_element("id", "signin").click()
        base = driver.current_url.rstrip("/")  # the community's health page, where signing in leads
        for sub in PAGES:
            driver.get(base + sub)
            driver.save_screenshot(str(out / f"{sub.strip('/') or 'health'}.png"))
        driver.set_window_size(390, 1400)  # a phone
        driver.get(base + "/moderation")
        driver.save_screenshot(str(out / "moderation-phone.png"))
    finally:
        driver.quit()


async def main(out: Path, language: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    stop = asyncio.Event()
    console = Console(file=buffer, width=4000, soft_wrap=True)
    demo = asyncio.create_task(run_demo(console=console, language=language, dashboard=0, until=stop))
    while "Ctrl-C" not in buffer.getvalue():  # the demo's last words: the link on the port it bound
        if demo.done():
            raise SystemExit(buffer.getvalue())
        await asyncio.sleep(0.5)
    link = re.findall(r"http://127\.0\.0\.1:\d+/dashboard/signin\?t=\S+", buffer.getvalue())[-1]
    await asyncio.to_thread(_shoot, link, out)
    stop.set()
    await demo
    print("saved", *sorted(p.name for p in out.glob("*.png")))


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    p.add_argument("--language", default="en")
    args = p.parse_args()
    asyncio.run(main(args.out, args.language))
