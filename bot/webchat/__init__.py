"""The web chat channel: one self-contained page and its JSON endpoint. Imports the
conversation and the gateway's request dependencies."""
