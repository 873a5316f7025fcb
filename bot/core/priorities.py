"""Handler priorities: lower runs first. The spam filter always runs first."""

SPAM = 10
LISTENING = 25  # a private answer to a survey's "why?" before onboarding reads private text
ONBOARDING = 30
RUBRICS = 40
QUESTIONS = 45  # after the rubric index: a reply to a question, a thank-you
COMMANDS = 50
PINNED = 60
RITUALS = 70
ACTIVITY = 90
