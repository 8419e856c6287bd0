"""The conversation: one turn of a resident's message (triage first, then the dialogue
engine or the scripted fallback), resends, idempotency, the turn lock, and reading what a
resident wrote. Imports safety, cases, partnerships, privacy and platform; no channel."""
