"""IMVO Monitor: the Dutch programme of IMVO-convenanten as data, analysis and reports."""

__version__ = "0.1.0"
