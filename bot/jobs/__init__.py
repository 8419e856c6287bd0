"""Background jobs on arq (Redis-backed): the gateway and actions enqueue, workers run."""
