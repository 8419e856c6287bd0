"""Privacy: personal data encrypted at rest, expired after closure, erased on request,
and every read or erasure audited (docs/privacy.md)."""
