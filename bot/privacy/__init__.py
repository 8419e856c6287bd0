"""Privacy: contact details read and pseudonymised, personal data encrypted at rest,
signed links and the audit trail (beside the platform, below everything), and erasure on
request, expiry after closure and key rotation, which reach into the case store, the job
queue and the community's records, so sit above them (docs/privacy.md)."""
