"""Running the service on one machine: its processes, the process manager that keeps them
running (supervisord), and the embedded Valkey store."""
