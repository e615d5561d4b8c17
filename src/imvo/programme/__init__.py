"""Reads across the whole programme (what changed in a period), built on the domain apps."""
