"""The job worker process on arq (Redis-backed): it runs what the gateway and the actions
enqueue (bot/platform/job_queue.py) by calling partners, acknowledgements, community and
the SMS sender. A composition root: only the command line imports it."""
