"""Covenant assessment against the SER advice (SMART commitments, core elements)."""
