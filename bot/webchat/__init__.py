"""The web chat channel: one self-contained page and its JSON endpoint."""
