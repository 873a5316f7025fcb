"""The request checker itself: it must refuse what Discord would refuse, or the other tests prove nothing."""

from __future__ import annotations

import pytest

from tests.discord.spec import SPEC_PRESENT, discord_spec

# Bodies are checked only against the published document (discord.py's routes stand in for the operations).
pytestmark = pytest.mark.skipif(not SPEC_PRESENT, reason="the Discord OpenAPI document is not beside the repository")

MESSAGES = "/channels/920000000000000001/messages"


def test_unknown_operations_and_bad_json_bodies_are_refused() -> None:
    spec = discord_spec()
    assert spec.problems("/channels/1/nonsense", "POST", {}) != []
    assert spec.problems(MESSAGES, "POST", {"content": "hi"}) == []
    assert spec.problems(MESSAGES, "POST", {"content": 5}) != []


def test_multipart_uploads_need_payload_json_known_fields_and_matching_attachments() -> None:
    spec = discord_spec()
    good = {"content": "report", "attachments": [{"id": 0, "filename": "r.csv"}]}
    assert spec.multipart_problems(MESSAGES, "POST", good, ["files[0]"]) == []
    assert spec.multipart_problems(MESSAGES, "POST", good, ["file"]) != []  # not a field the spec names
    assert spec.multipart_problems(MESSAGES, "POST", good, []) != []  # the attachment's file part is missing
    assert spec.multipart_problems(MESSAGES, "POST", None, ["files[0]"]) != []
    assert spec.multipart_problems(MESSAGES, "POST", {"content": 5}, []) != []
    assert spec.multipart_problems("/users/@me/channels", "POST", {"recipient_id": "1"}, []) != []  # JSON only
