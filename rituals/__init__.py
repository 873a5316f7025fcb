"""The scheduling engine: the runner, the APScheduler tick and what scheduled posts share.

What is due is read from the database, so restarts neither lose nor repeat a post. The scheduled
features themselves (the calendar, the weekly prompt, campaigns, ...) live in their ``handlers/`` packages
and register their rituals with ``Runtime.add_ritual``.
"""
