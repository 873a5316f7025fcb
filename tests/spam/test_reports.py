"""Members' ``/report``: weighed reports bring the moderators a card; nothing is removed by reports alone."""

from __future__ import annotations

from datetime import timedelta

from bot.harness import local_bot, local_config
from handlers.spam.report import weight
from tests.conftest import START
from tests.spam.members import settle


def test_a_report_weighs_less_from_a_newcomer_and_after_false_reports() -> None:
    assert weight(False, 0) == 1.0
    assert weight(True, 0) == 0.5
    assert weight(False, 1) == 0.5 and weight(False, 3) == 0.25


async def test_reports_reach_the_moderators_at_the_threshold_and_false_ones_count_less(db_url: str) -> None:
    async with local_bot(local_config({"log_place": "mods", "spam": {"report_limit": 3}}), db_url, START) as b:
        b.sim.add_user("mia", "Mia")  # the community's manager
        b.sim.chats["town"].members.add("mia")
        for uid in ("ann", "cat", "dave"):
            await settle(b, uid)
        b.sim.add_user("nick", "Nick")
        await b.sim.join("town", "nick")  # a newcomer: half a report
        target = await b.sim.post("town", "dave", "Selling my old road bike, 300 euros, DM me")

        def cards() -> list[str]:
            return [m.id for m in b.sim.bot_messages("town") if m.place == "mods"]

        report = await b.sim.post("town", "ann", "/report looks like an ad", reply_to=target.id)
        assert b.sim.messages[report.id].deleted  # nobody in the chat sees who reported
        assert any("Thanks for the report" in m.text for m in b.sim.dms("ann"))
        await b.sim.post("town", "ann", "/report", reply_to=target.id)
        assert any("already reported" in m.text for m in b.sim.dms("ann"))
        await b.sim.post("town", "nick", "/report", reply_to=target.id)
        assert cards() == [] and not b.sim.messages[target.id].deleted  # 1.5 of 2: not yet
        await b.sim.post("town", "cat", "/report", reply_to=target.id)
        [card_id] = cards()
        card = b.sim.messages[card_id]
        assert "Dave" in card.text and not b.sim.messages[target.id].deleted  # the moderators decide
        keep = next(btn for row in card.buttons for btn in row if btn.data and btn.data.startswith("sp:ns:"))
        await b.sim.press(card.id, keep.data, "mia")  # kept: three false reports

        # Ann's next report counts half now, Cat's too: the two of them no longer make a card.
        other = await b.sim.post("town", "dave", "Who is coming to the repair cafe on Saturday?")
        await b.sim.post("town", "ann", "/report", reply_to=other.id)
        await b.sim.post("town", "cat", "/report", reply_to=other.id)
        assert len(cards()) == 1

        # A manager's message cannot be reported; a member may report only so many an hour.
        note = await b.sim.post("town", "mia", "Reminder: be kind")
        await b.sim.post("town", "ann", "/report", reply_to=note.id)
        assert any("can't be reported" in m.text for m in b.sim.dms("ann"))
        for i in range(2):
            spam = await b.sim.post("town", "dave", f"one more message {i}")
            await b.sim.post("town", "ann", "/report", reply_to=spam.id)
        assert any("several reports in the last hour" in m.text for m in b.sim.dms("ann"))
        b.clock.advance(timedelta(hours=1, minutes=1))
        later = await b.sim.post("town", "dave", "and another one")
        await b.sim.post("town", "ann", "/report", reply_to=later.id)
        assert "Thanks for the report" in b.sim.dms("ann")[-1].text
