"""Writing outputs safely: temporary name then rename, and one writer per output folder."""

import contextlib
import fcntl
import hashlib
import json
import os
from pathlib import Path

from riskvid.errors import RunError


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path beside ``path``; on success rename it into place, else remove it."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.part{path.suffix}")
    tmp.unlink(missing_ok=True)  # never write through something planted under the temporary name
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_json(path, data):
    """Write ``data`` as pretty JSON, atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def read_json(path):
    """The JSON in ``path``, or None when it is missing or unreadable."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def sha256_file(path):
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class FolderBusy(RunError):
    """Another process holds the output folder's lock."""


class UnsafeFolder(RunError):
    """An output folder is a symlink, which could lead writes outside the output folder."""


def make_folders(*folders):
    """Create ``folders``; refuse any that is (or already exists as) a symlink."""
    for folder in folders:
        if folder.is_symlink():
            raise UnsafeFolder(f"{folder} is a symlink; remove it: riskvid writes only into real folders")
        folder.mkdir(parents=True, exist_ok=True)


@contextlib.contextmanager
def folder_lock(folder):
    """Hold an exclusive lock on ``folder`` for the duration; raise FolderBusy if it is taken."""
    make_folders(folder)
    descriptor = os.open(folder / ".lock", os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    with os.fdopen(descriptor, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderBusy(f"another riskvid run is writing to {folder}; wait for it to finish") from None
        yield
