"""Tables of the rubrics feature."""

from __future__ import annotations
