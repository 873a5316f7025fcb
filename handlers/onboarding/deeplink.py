"""The deep-link payload format, in one place: ``w<community db id>`` ("welcome me for this community")."""

from __future__ import annotations

import re

_PAYLOAD = re.compile(r"^w(\d{1,18})$")


def payload_for(community_id: int) -> str:
    return f"w{community_id}"


def community_from(payload: str) -> int | None:
    """The community a start payload names, or None for an empty or foreign payload."""
    m = _PAYLOAD.match(payload.strip())
    return int(m.group(1)) if m else None
