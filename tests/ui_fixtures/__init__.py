"""Letters and helpers for the reader's tests (tests/test_app*.py, tests/test_ui*.py)."""
