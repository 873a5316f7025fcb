"""Repositories: the queries each part of the bot needs, behind named methods.

Repositories never commit: the unit of work around each event does.
"""
