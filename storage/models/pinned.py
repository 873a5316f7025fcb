"""Tables of the pinned feature."""

from __future__ import annotations
