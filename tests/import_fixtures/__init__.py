"""Fixtures for the import tests: a Kamerstuk-like PDF generator (kstpdf) and hand-written XML."""
