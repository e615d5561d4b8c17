"""Proposals: changes to the programme's records that a second person approves (four eyes)."""
