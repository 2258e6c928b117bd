"""Per-scene figure checks for tests/scenes/every_frame.py: ``<scene_name>.problems(scene) -> list[str]``."""
