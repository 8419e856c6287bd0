"""Cases: the durable record of a report (store, intake, references, status), its
deadlines and the watcher that raises them, routing, repeat victims, and linked reports
and hotspots. Imports the safety risk assessment, the job queue, partnerships, privacy and
platform; never the conversation or a channel."""
