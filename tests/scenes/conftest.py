"""The scene tests' fixtures are tests/conftest.py's; their helpers live in tests/scenes/helpers.py, not here."""
