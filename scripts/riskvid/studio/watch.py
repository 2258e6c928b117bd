"""Watch what a render depends on (the config, ``scenes/``, ``riskmath/``) and call back on a change."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import riskmath
import scenes


def code_folders() -> list[Path]:
    """The folders of the code a video is drawn with."""
    return [Path(next(iter(scenes.__path__))), Path(next(iter(riskmath.__path__)))]


class Watcher:
    """Two threads: one on the config's folder (that file only, not its outputs), one on the code's
    folders (Python files); ``changed()`` is called once per batch of changes (watchfiles debounces)."""

    def __init__(self, config: Path, changed: Callable[[], None]):
        self.config = config.resolve()
        self.changed = changed
        self.stop_event = threading.Event()
        self.threads = [
            threading.Thread(target=self._watch, args=([self.config.parent], False, self._is_config),
                             name="studio-watch-config", daemon=True),
            threading.Thread(target=self._watch, args=(code_folders(), True, _is_code),
                             name="studio-watch-code", daemon=True),
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        for thread in self.threads:
            thread.join(5)

    def _is_config(self, change: object, path: str) -> bool:
        return Path(path) == self.config

    def _watch(self, paths: list[Path], recursive: bool, keep: Callable[[object, str], bool]) -> None:
        from watchfiles import watch

        for _ in watch(*paths, watch_filter=keep, recursive=recursive, stop_event=self.stop_event,
                       debounce=400, rust_timeout=500, yield_on_timeout=False, raise_interrupt=False):
            self.changed()


def _is_code(change: object, path: str) -> bool:
    return path.endswith(".py") and "__pycache__" not in path
