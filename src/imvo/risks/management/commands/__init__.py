"""Thin command layer over the pure SRA engine and data pack."""
