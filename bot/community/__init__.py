"""Community and partnership figures: the staff dashboard and the public neighbourhood summaries.
Reads cases and partnerships; imports no channel."""
