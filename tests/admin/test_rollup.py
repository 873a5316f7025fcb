"""The packed per-day rollup: merging batches, dropping a member, counting windows (dense and sparse ids alike)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from storage.repos.analytics import ActivitySpan, DayMembers

D0 = date(2026, 11, 1)


def day(ids: list[int], messages: list[int], replies: list[int]) -> DayMembers:
    return DayMembers.summed(np.array(ids, np.int64), np.array(messages, np.int64), np.array(replies, np.int64))


def test_merging_adds_up_repeated_members_and_packs_round_trip() -> None:
    d = day([7, 3, 7, 9], [1, 2, 3, 1], [0, 1, 2, 0])
    assert (list(d.ids), list(d.messages), list(d.replies)) == ([3, 7, 9], [2, 4, 1], [1, 2, 0])
    packed = d.pack()
    assert (packed["active"], packed["messages"], packed["replies"]) == (3, 7, 3)
    back = DayMembers.unpack(packed["member_ids"], packed["messages_by"], packed["replies_by"])  # type: ignore[arg-type]
    assert list(back.ids) == [3, 7, 9] and list(back.without(7).ids) == [3, 9]
    assert len(DayMembers.unpack(None, None, None).ids) == 0


@pytest.mark.parametrize("scale", [1, 10**12], ids=["dense ids", "sparse ids"])
def test_windows_count_distinct_members_and_sum_them(scale: int) -> None:
    a, b, c = 1 * scale, 2 * scale, 3 * scale
    days = [
        (D0, day([a, b], [5, 1], [0, 1])),
        (D0 + timedelta(days=1), day([b], [2], [2])),
        (D0 + timedelta(days=3), day([a, c], [1, 4], [1, 0])),  # day 2 had nobody
    ]
    span = ActivitySpan(days)
    assert span.distinct(D0, D0 + timedelta(days=2)) == 2
    assert span.distinct(D0 + timedelta(days=1), D0 + timedelta(days=4)) == 3
    assert span.distinct(D0 + timedelta(days=2), D0 + timedelta(days=3)) == 0
    ids, messages, replies = span.sums(D0, D0 + timedelta(days=4))
    assert {int(i): (int(m), int(r)) for i, m, r in zip(ids, messages, replies, strict=True)} == {a: (6, 1), b: (3, 3), c: (4, 0)}
    assert span.distinct(D0 - timedelta(days=9), D0) == 0 and ActivitySpan([]).distinct(D0, D0 + timedelta(days=1)) == 0
