"""Scheduled work: what is due is read from the database, so restarts neither lose nor repeat a post."""
