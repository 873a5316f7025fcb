"""The platform-neutral core of the community bot."""
