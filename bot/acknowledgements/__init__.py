"""Writing to residents: the acknowledgement's content, the channels a written message goes
by (SMS, email, letter), the once-only sending, and the offer of monthly updates it may
carry. Imports cases, safety, partnerships, privacy and platform."""
