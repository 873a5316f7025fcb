"""The questions' community (a moderators' log, four members) serves recognition too."""

from tests.questions.conftest import qbot, texts

__all__ = ["qbot", "texts"]
