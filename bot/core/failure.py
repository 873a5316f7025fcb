"""Why an adapter stopped: the contract between each adapter and the process that keeps it running."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Failure:
    """Why an adapter stopped: ``retry`` when waiting may fix it; ``reason`` is written for the operator."""

    retry: bool
    reason: str
