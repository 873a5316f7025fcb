"""Tables of the spam feature."""

from __future__ import annotations
