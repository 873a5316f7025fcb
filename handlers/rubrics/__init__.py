"""Hashtag rubrics: the community's own structure, indexed and findable.

- ``registry``: the rubrics (config + managers' changes), cached per community;
- ``parse``: Unicode hashtags and typo suggestions;
- ``indexer``: posts, edits and deletions keep the index; hints and nudges;
- ``manage``: /rubrics (guide) and /rubric add|edit|remove|list;
- ``finding``: /find #tag [words] and /mine, paged with buttons;
- ``digest``: the weekly rubric digest ritual.
"""

from __future__ import annotations

from pathlib import Path

from bot.core import priorities
from bot.core.commands import Command, Where
from bot.core.events import Role
from bot.core.runtime import Runtime
from handlers.rubrics import finding, manage
from handlers.rubrics.digest import RubricDigest
from handlers.rubrics.indexer import RubricIndexer
from handlers.rubrics.reactions import RubricReactions
from handlers.rubrics.registry import rubrics_for


def setup(rt: Runtime) -> None:
    """Register the feature's handlers, commands, buttons and rituals."""
    rt.add_handler(RubricIndexer(), priorities.RUBRICS)
    rt.add_handler(RubricReactions(), priorities.RUBRICS)
    rt.commands.add(Command("rubrics", manage.guide, "rubrics.cmd.rubrics", where=Where.GROUP))
    rt.commands.add(
        Command("rubric", manage.manage, "rubrics.cmd.rubric", permission=Role.MANAGER, where=Where.GROUP, usage_key="rubrics.manage.usage")
    )
    rt.commands.add(Command("find", finding.find_command, "rubrics.cmd.find", where=Where.GROUP, usage_key="rubrics.find.usage"))
    rt.commands.add(Command("mine", finding.mine_command, "rubrics.cmd.mine", where=Where.GROUP))
    rt.buttons.add(finding.PREFIX, finding.on_button)
    rt.add_ritual(RubricDigest())
    rt.rubrics_of = rubrics_for
    rt.add_locales(Path(__file__).parent / "locales")
