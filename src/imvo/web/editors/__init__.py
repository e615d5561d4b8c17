"""The editors' pages: signed-in staff record progress through the domain services."""
