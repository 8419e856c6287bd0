"""The telephone channels on Twilio: SMS and voice webhooks, signature checking, TwiML,
outbound SMS and the survey call. Imports the conversation, the core and the gateway's
request dependencies."""
