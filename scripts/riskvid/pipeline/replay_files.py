"""The segment before, replayed once and kept in the cache, so a new worker process loads it in a tenth of a
second instead of playing the scene again (seconds: the formula's replay is the most of a one-line edit).

A replay is a pickle, and loading a pickle runs what it says. So each file is sealed with an HMAC under a
secret only this user can read (``$XDG_CACHE_HOME/riskvid/replay-secret``, else ``~/.cache/…``, made on first
use): a file someone else wrote (a project folder shared with its cache) is not loaded but replayed again.
The file's name is the replay's key (``plan.replay_key``: the scene's code, its params, seed, theme, frame).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from riskvid.files import atomic_path, drop_least_used, make_folders, user_cache
from scenes.replays import Replayed

KEPT_FILES = 16  # the most replays a cache keeps (each a few MB); the least recently used go first
_SEAL = hashlib.sha256().digest_size


def replay_secret() -> bytes | None:
    """This user's secret for sealing replays (made on first use, readable by the user alone); None when it
    cannot be read or made."""
    path = user_cache() / "replay-secret"
    with contextlib.suppress(OSError):
        return path.read_bytes()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_bytes()
    except OSError:
        return None
    with os.fdopen(descriptor, "wb") as file:
        file.write(secrets.token_bytes(32))
    return path.read_bytes()


@dataclass(frozen=True)
class ReplayFile:
    """Where one replay is kept (a ``scenes.replays.Kept``): ``folder/<key>.replay``."""

    folder: Path
    key: str

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[0-9a-f]{32}", self.key):  # a file name: never a path
            raise ValueError(f"not a replay key: {self.key!r}")

    @classmethod
    def in_cache(cls, cache: Path, key: str | None) -> ReplayFile | None:
        """Where the replay of key ``key`` is kept in a run's ``.cache`` (None: no key, no segment before)."""
        return cls(cache / "replays", key) if key else None

    @property
    def path(self) -> Path:
        return self.folder / f"{self.key}.replay"

    def load(self) -> Replayed | None:
        """The kept replay; None when there is none, or its seal does not match (then it is removed)."""
        secret = replay_secret()
        try:
            sealed = self.path.read_bytes()
        except OSError:
            return None
        seal, data = sealed[:_SEAL], sealed[_SEAL:]
        if secret is None or not hmac.compare_digest(seal, hmac.digest(secret, data, "sha256")):
            self.path.unlink(missing_ok=True)
            return None
        try:
            replayed = pickle.loads(data)
        except Exception:  # sealed by us, but unreadable now (a library changed under it): replay again
            replayed = None
        if not isinstance(replayed, Replayed):
            self.path.unlink(missing_ok=True)
            return None
        os.utime(self.path)  # recently used: pruned last
        return replayed

    def save(self, replayed: Replayed) -> None:
        """Keep ``replayed`` (sealed, written whole or not at all); drop the least recently used beyond KEPT_FILES."""
        import cloudpickle  # pickles the functions mobjects hold (a graph's curve) by value

        secret = replay_secret()
        if secret is None:
            return
        data = cloudpickle.dumps(replayed, protocol=pickle.HIGHEST_PROTOCOL)
        make_folders(self.folder)
        with atomic_path(self.path) as tmp:
            tmp.write_bytes(hmac.digest(secret, data, "sha256") + data)
        drop_least_used(self.folder, "*.replay", KEPT_FILES)
