"""Community and partnership figures: the staff dashboard, the public neighbourhood
summaries, and the monthly updates residents ask for. Reads cases and partnerships;
imports no channel."""
