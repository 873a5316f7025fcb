"""The dashboard in a real headless browser (the system's Chromium, driven by Selenium), as a manager uses it:
sign-in by the link from the DM, every page without a console error and usable by keyboard, a setting changed
(refused, then saved and audited), a removal undone into the simulator's chat, and a second manager who cannot
open the first one's community. CI installs Chromium (.ci/run); without it these tests are skipped, saying why."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

import pytest

from bot.harness import LocalBot
from tests.dashboard.conftest import TOWN, link
from tests.spam.members import settle

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.expected_conditions import staleness_of  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
DRIVER = shutil.which("chromedriver")
NEEDS = "no Chromium and chromedriver here (apt-get install chromium chromium-driver)"
# CI installs them (.ci/run): there a missing browser is a failure, not a skip that would hide these tests.
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER) and not os.environ.get("CI"), reason=NEEDS)
T = TypeVar("T")


class Page:
    """One browser; every Selenium call runs in a thread, so the bot's web server keeps serving meanwhile."""

    def __init__(self, driver: Any, site: str) -> None:
        self.driver, self.site = driver, site

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.to_thread(fn, *args)

    async def open(self, path: str) -> None:
        await self.run(self.driver.get, self.site + path)

    async def text(self) -> str:
        return await self.run(lambda: self.driver.find_element(By.TAG_NAME, "main").text)

    async def click(self, css: str) -> None:
        """Click and wait for the page it leads to (every button here submits a form)."""

        def click() -> None:
            element = self.driver.find_element(By.CSS_SELECTOR, css)
            element.click()
            WebDriverWait(self.driver, 10).until(staleness_of(element))

        await self.run(click)

    async def errors(self) -> list[str]:
        logs = await self.run(self.driver.get_log, "browser")
        return [e["message"] for e in logs if e["level"] == "SEVERE"]

    async def screenshot(self, name: str) -> None:
        folder = os.environ.get("DASHBOARD_SCREENSHOTS")
        if folder:
            await self.run(self.driver.save_screenshot, os.path.join(folder, f"{name}.png"))


def _driver() -> Any:
    assert CHROMIUM and DRIVER, NEEDS
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=webdriver.ChromeService(executable_path=DRIVER), options=options)


@pytest.fixture
async def pages(site: str) -> AsyncIterator[list[Page]]:
    drivers = await asyncio.gather(asyncio.to_thread(_driver), asyncio.to_thread(_driver))
    try:
        yield [Page(d, site) for d in drivers]
    finally:
        await asyncio.gather(*(asyncio.to_thread(d.quit) for d in drivers))


async def sign_in(bot: LocalBot, page: Page, user: str, chat: str = "town") -> None:
    path = await link(bot, user, chat)
    assert path is not None
    await page.open(path)
    await page.click("#signin")


async def test_a_manager_signs_in_and_every_page_works(bot: LocalBot, pages: list[Page]) -> None:
    await settle(bot, "eve")
    removed = await bot.sim.post("town", "eve", "giveaway, write to me")
    assert bot.sim.messages[removed.id].deleted
    page = pages[0]
    await sign_in(bot, page, "mia")
    assert "Community health" in await page.text()
    await page.screenshot("health")
    for sub, words in (("moderation", "giveaway, write to me"), ("content", "Rubrics"), ("settings", "Recent changes"), ("members", "Ann")):
        await page.open(f"/dashboard/c/{TOWN}/{sub}")
        assert words in await page.text(), sub
        await page.screenshot(sub)
    assert await page.errors() == []  # no page broke its CSP or failed to load a file


async def test_a_setting_is_refused_then_saved_by_keyboard(bot: LocalBot, pages: list[Page]) -> None:
    page = pages[0]
    await sign_in(bot, page, "mia")
    await page.open(f"/dashboard/c/{TOWN}/settings")

    def type_into(key: str, value: str) -> None:
        field = page.driver.find_element(By.ID, f"v-{key}")
        field.clear()
        field.send_keys(value, Keys.ENTER)  # Enter submits the setting's own form
        WebDriverWait(page.driver, 10).until(staleness_of(field))  # the next page is there

    await page.run(type_into, "levels.window", "soon")
    assert "levels.window" in await page.text()
    refused = await page.run(lambda: page.driver.find_element(By.CSS_SELECTOR, ".flash.refused").text)
    assert "soon" in refused
    await page.run(type_into, "levels.window", "30d")
    assert await page.run(lambda: page.driver.find_element(By.CSS_SELECTOR, ".flash").get_attribute("class")) == "flash"
    assert bot.app.rt.directory.by_id(TOWN).settings.levels.window.total_seconds() == 30 * 86400  # type: ignore[union-attr]
    assert "dashboard 127.0.0.1" in await page.text()  # the audit table: who, from where
    assert await page.errors() == []


async def test_undo_reaches_the_chat_and_another_manager_is_kept_out(bot: LocalBot, pages: list[Page]) -> None:
    await settle(bot, "eve")
    removed = await bot.sim.post("town", "eve", "giveaway for all of you")
    mia, ned = pages
    await sign_in(bot, mia, "mia")
    await mia.open(f"/dashboard/c/{TOWN}/moderation")
    await mia.click("button.op-ns")
    assert "Restored: not spam" in await mia.text()
    assert any("giveaway for all of you" in m.text for m in bot.sim.bot_messages("town") if m.id != removed.id and m.place != "mods")
    await sign_in(bot, ned, "ned", chat="harbour")
    assert "Harbour Rowing" in await ned.run(lambda: ned.driver.find_element(By.TAG_NAME, "header").text)
    await ned.open(f"/dashboard/c/{TOWN}/moderation")
    assert "no such page" in await ned.text() and "giveaway" not in await ned.text()
