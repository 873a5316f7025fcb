"""Platform adapters: translate platform input into core events, perform core actions."""
