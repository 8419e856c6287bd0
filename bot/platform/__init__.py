"""The platform every part runs on: settings, Redis keys, the job queue, logs, metrics,
counters, the message shape channels render, and one machine's processes under supervisord
with the embedded Valkey. Imports nothing above it but privacy's cipher (beside it)."""
