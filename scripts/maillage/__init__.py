"""Maillage: the open registry of the health network around children in care."""

__version__ = "0.1.0"
