"""Partner agencies: routed cases out by signed webhook, their updates in (the partner API's
logic; its routes are in the gateway), relays to the resident, the satisfaction survey.
Imports community, acknowledgements, cases, safety, partnerships, privacy and platform."""
