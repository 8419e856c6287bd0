"""Community and partnership figures: the dashboard's figures and charts, the public
neighbourhood summaries, staff keys, and the monthly updates residents ask for. Imports
acknowledgements (to write to residents), cases, partnerships, privacy and platform."""
