"""Every question gets an answer (#21.1).

- ``tracking``: #question posts (signalled by the rubrics feature) become questions; replies by others
  become their answers, the first one timed;
- ``solving``: ``/solved`` as a reply, and the nudge's button;
- ``helping``: ``/helper``: the opt-in helpers;
- ``followups``: the ritual that offers an unanswered question to the helpers, then to the moderators'
  log, and asks the asker to mark it solved, each at most once;
- ``figures``: time to first reply, answered within 2 and 24 hours, unanswered, in /stats and the report.
"""

from __future__ import annotations

from pathlib import Path

from bot.core import priorities
from bot.core.commands import Command, Where
from bot.core.runtime import RUBRIC_POSTED, Runtime
from handlers.questions import figures, helping, solving
from handlers.questions.followups import QuestionFollowUps
from handlers.questions.tracking import AnswerTracker, rubric_posted


def setup(rt: Runtime) -> None:
    """Register the feature's handler, listener, commands, button, ritual, figures and texts."""
    rt.add_handler(AnswerTracker(), priorities.QUESTIONS)
    rt.add_handler(solving.SolvedReaction(), priorities.QUESTIONS)
    rt.on(RUBRIC_POSTED, rubric_posted)
    solved = Command("solved", solving.solved_command, "questions.cmd.solved", where=Where.GROUP, usage_key="questions.solved.usage")
    helper = Command("helper", helping.helper_command, "questions.cmd.helper", where=Where.GROUP, usage_key="questions.helper.usage")
    rt.commands.add(solved)
    rt.commands.add(helper)
    rt.buttons.add(solving.PREFIX, solving.solved_pressed)
    rt.add_ritual(QuestionFollowUps())
    for name, fn in figures.METRICS.items():
        rt.add_metric(name, fn)
    rt.add_locales(Path(__file__).parent / "locales")
