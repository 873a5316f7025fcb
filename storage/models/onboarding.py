"""Tables of the onboarding feature."""

from __future__ import annotations
