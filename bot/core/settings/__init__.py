"""Per-community settings, declared with their defaults in one place per feature.

``CommunitySettings`` is what every handler sees as ``ctx.settings``. The
``[defaults]`` table of the config file fills it for every community; a
community's own ``settings`` table overrides single fields.
"""

from bot.core.settings.community import CommunitySettings

__all__ = ["CommunitySettings"]
