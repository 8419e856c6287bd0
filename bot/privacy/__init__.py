"""Privacy: contact details read and pseudonymised, personal data encrypted at rest,
signed links, expiry after closure, erasure on request, every read or erasure audited
(docs/privacy.md). Erasure and retention reach into the case store, the job queue and the
community's records to remove a resident from each."""
