"""The conversation: one turn of a resident's message (triage first, then the dialogue
engine or the scripted fallback), resends, idempotency, the turn lock, reading what a
resident wrote, and the services one process holds. Imports the core below it; no channel."""
