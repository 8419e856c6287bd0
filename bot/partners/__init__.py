"""Partner agencies: routed cases out by signed webhook, updates in by the partner API."""
