"""Features: each package registers its handlers, commands, buttons and rituals in ``setup``."""
