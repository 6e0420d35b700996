"""Outgoing SMS: a provider interface and the local provider that records what it was given."""
