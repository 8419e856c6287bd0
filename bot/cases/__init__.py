"""Cases: the durable record of a report (store, intake, references, status), its
deadlines and the watcher that raises them, routing, repeat victims, and linked reports
and hotspots. Imports safety (flags and the risk assessment), partnerships, privacy and
platform; never the conversation, the community, partners or a channel."""
