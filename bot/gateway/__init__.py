"""The web gateway beside the channels: the partner API, the staff dashboard, the public
community pages, the personal survey and updates pages, health, and what every route shares
(request dependencies, rate limits, the store-down answer). Imports the conversation and the
core; nothing in the core imports it."""
