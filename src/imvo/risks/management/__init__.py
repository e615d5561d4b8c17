"""Management commands of the risks app (imvo sra, imvo data)."""
