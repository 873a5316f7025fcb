"""Tables of the rituals feature."""

from __future__ import annotations
