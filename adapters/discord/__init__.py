"""The Discord adapter (discord.py 2): translate gateway events into core events, perform core actions.

Only this package imports discord; the core never does.
"""
