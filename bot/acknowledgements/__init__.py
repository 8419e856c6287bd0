"""The written acknowledgement of a case: content, channels and the once-only sending."""
