"""The flow control's windows cover Telegram's: a message counts until its answer came back, not only from when it left.

Telegram counts a message when it arrives, anywhere between our send and its answer. Counting
only the send let a slow answer followed by fast ones put one message too many into a second
(``bench/outbound.py`` saw 7 429s in a 500-message burst before the fix).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from adapters.telegram.flow import FlowControl
from tests.telegram.fake_api import FakeTime


async def test_a_slow_answer_keeps_its_message_in_the_window_until_it_came() -> None:
    time = FakeTime()
    flow = FlowControl(time, per_second=3)
    arrivals: list[float] = []

    def send(latency: float) -> Callable[[], Awaitable[None]]:
        async def call() -> None:  # reaches Telegram halfway, answered at the end
            time.t += latency / 2
            arrivals.append(time.now())
            time.t += latency / 2

        return call

    for latency in (0.8, 0.0, 0.0, 0.0, 0.0, 0.0, 0.3):
        await flow.call(1, send(latency), message=True)
    worst = max(sum(1 for b in arrivals if a - 1.0 < b <= a) for a in arrivals)
    assert worst <= 3, arrivals
