"""Writing outputs safely: confined to the run's folder, through real folders only, temporary name
then rename, and one writer per output folder.

While a run holds a folder (``folder_lock``), every folder it makes or writes into under it is
checked level by level: a symlink anywhere on the way is refused, never followed. Temporary files
get unpredictable names created exclusively, so nothing can be planted under them.
"""

import contextlib
import fcntl
import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskvid.errors import RunError

_HELD: list[Path] = []  # the folders this process holds (folder_lock): checked inside, level by level


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a fresh temporary path beside ``path``; on success rename it into place, else remove it.

    The temporary file is created exclusively under a random name (``.name.XXXX.part.ext``), so
    nothing planted beforehand can be written through; the folder it is in is checked first. The
    file moved into place has the mode the umask gives a new file (0644 under 022), not mkstemp's 0600.
    """
    path = Path(path)
    check_folders(path.parent)
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".part{path.suffix}", dir=path.parent)
    os.close(descriptor)
    tmp = Path(name)
    try:
        yield tmp
        if tmp.is_symlink():
            raise UnsafeFolder(f"{tmp} was replaced by a symlink while it was written")
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp made it 0600: give it what any new file gets
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def user_cache() -> Path:
    """This user's cache folder for riskvid (``$XDG_CACHE_HOME/riskvid``, else ``~/.cache/riskvid``): what runs of any
    config share on this machine. It may not exist yet."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "riskvid"


def drop_least_used(folder: Path, pattern: str, keep: int) -> None:
    """Remove the files of ``folder`` matching ``pattern`` beyond the ``keep`` most recently modified (a cache's
    files are touched when used)."""
    def modified(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:  # removed meanwhile by another run
            return 0.0

    for old in sorted(folder.glob(pattern), key=modified, reverse=True)[keep:]:
        old.unlink(missing_ok=True)


def current_umask() -> int:
    """The process's umask, read without changing it (Linux: /proc/self/status; else set and put back)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode(path: Path) -> None:
    """Give the file at ``path`` (never through a symlink) the mode the umask gives a new file, if it has another."""
    path = Path(path)
    wanted = 0o666 & ~current_umask()
    if not path.is_symlink() and stat.S_IMODE(path.stat().st_mode) != wanted:
        os.chmod(path, wanted)


def write_json(path: str | os.PathLike[str], data: Any) -> None:
    """Write ``data`` as pretty JSON, atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def read_json(path: str | os.PathLike[str]) -> Any:
    """The JSON in ``path``, or None when it is missing or unreadable."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_state(path: Path) -> list[int]:
    """[size, modification time in ns, inode]: what changes when a file is rewritten or edited."""
    status = os.stat(path)
    return [status.st_size, status.st_mtime_ns, status.st_ino]


def unchanged(path: Path, record: dict[str, Any]) -> bool:
    """Whether ``path`` still holds the bytes ``record`` (its "sha256", and "state" from file_state) noted.

    A file whose size, time and inode are as noted is taken as unchanged without reading it; any
    other is hashed. (Anything that rewrites or edits a file changes its time.)
    """
    if not path.is_file() or path.is_symlink():
        return False
    if record.get("state") == file_state(path):
        return True
    return sha256_file(path) == record.get("sha256")


def noted(path: Path) -> dict[str, Any]:
    """A record of ``path``'s bytes for ``unchanged``: its SHA-256 and its state."""
    return {"sha256": sha256_file(path), "state": file_state(path)}


class FolderBusy(RunError):
    """Another process holds the output folder's lock."""


class UnsafeFolder(RunError):
    """An output folder is a symlink, which could lead writes outside the output folder."""


def _unsafe(folder: Path) -> UnsafeFolder:
    return UnsafeFolder(f"{folder} is a symlink; remove it: riskvid writes only into real folders")


def _levels(folder: Path, base: Path | None) -> list[Path]:
    """The folders from ``base`` (excluded) down to ``folder``; just ``folder`` when it is not under ``base``."""
    folder = Path(os.path.abspath(folder))
    if base is None or (folder != base and base not in folder.parents):
        return [folder]
    levels = [folder, *folder.parents]
    return list(reversed(levels[: levels.index(base)]))


def check_folders(folder: Path, base: Path | None = None) -> None:
    """Raise UnsafeFolder if ``folder``, or any folder between it and ``base`` (default: the held folder
    it is in), is a symlink or not a folder."""
    base = base or next((held for held in _HELD if Path(os.path.abspath(folder)).is_relative_to(held)), None)
    for level in _levels(folder, base):
        if level.is_symlink():
            raise _unsafe(level)
        if level.exists() and not level.is_dir():
            raise UnsafeFolder(f"{level} is not a folder; remove it")


def make_folders(*folders: Path, base: Path | None = None) -> None:
    """Create ``folders`` one level at a time, refusing a symlink at any level (see check_folders)."""
    for folder in folders:
        held = base or next((h for h in _HELD if Path(os.path.abspath(folder)).is_relative_to(h)), None)
        for level in _levels(folder, held):
            if level.is_symlink():
                raise _unsafe(level)
            level.mkdir(parents=held is None, exist_ok=True)
        check_folders(folder, held)


@contextlib.contextmanager
def folder_lock(folder: Path, base: Path | None = None) -> Iterator[None]:
    """Hold ``folder`` for the duration: made through real folders from ``base``, locked exclusively.

    Raise FolderBusy if another run holds it, and refuse a lock file that is not a regular file.
    """
    folder = Path(os.path.abspath(folder))
    make_folders(folder, base=base)
    try:
        descriptor = os.open(folder / ".lock", os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
    except OSError as error:
        raise UnsafeFolder(f"{folder / '.lock'} is not a regular file; remove it") from error
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise UnsafeFolder(f"{folder / '.lock'} is not a regular file; remove it")
    with os.fdopen(descriptor, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderBusy(f"another riskvid run is writing to {folder}; wait for it to finish") from None
        _HELD.append(folder)
        try:
            yield
        finally:
            _HELD.remove(folder)


@dataclass(frozen=True)
class Layout:
    """Where a video's outputs live: ``<output folder>/<video id>/``."""

    root: Path

    @property
    def segments(self) -> Path:
        return self.root / "segments"

    @property
    def cache(self) -> Path:
        return self.root / ".cache"

    @property
    def work(self) -> Path:
        return self.root / ".work"

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    def video(self, video_id: str) -> Path:
        return self.root / f"{video_id}.mp4"

    def rendered(self, segment_id: str) -> Path:
        """The folder holding a segment's rendered picture, posters and previews."""
        return self.cache / "render" / segment_id


def fingerprint(*parts: object) -> str:
    """A short SHA-256 of ``parts`` (strings, numbers, paths to files whose bytes count, bytes).

    >>> fingerprint("a", 1) == fingerprint("a", 1) != fingerprint("a", 2)
    True
    """
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            digest.update(part.read_bytes())
        elif isinstance(part, (bytes, bytearray, memoryview)):
            digest.update(part)
        else:
            digest.update(repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


class Stamps:
    """What each output was made from, so it is rewritten only when that changes.

    One JSON file maps an output (relative to ``root``) to the key of its inputs and its SHA-256;
    an output is fresh when its key matches and its bytes are still the ones written. Two threads may make
    outputs at once.
    """

    def __init__(self, path: Path, root: Path):
        self.path, self.root = path, root
        stored = read_json(path)
        self.entries: dict[str, Any] = stored if isinstance(stored, dict) else {}
        self.touched: set[str] = set()  # outputs made or kept in this run

    def fresh(self, output: Path, key: str) -> bool:
        """Whether ``output`` exists as made from ``key``."""
        entry = self.entries.get(self.name(output))
        return isinstance(entry, dict) and entry.get("key") == key and unchanged(output, entry)

    def sha(self, output: Path) -> str | None:
        """The SHA-256 ``output`` had when it was made (None if unknown)."""
        entry = self.entries.get(self.name(output))
        return entry.get("sha256") if isinstance(entry, dict) else None

    def record(self, output: Path, key: str) -> None:
        """Note that ``output`` was just made from ``key``."""
        self.entries[self.name(output)] = {"key": key, **noted(output)}

    def make(self, output: Path, key: str, build: Callable[[Path], object]) -> bool:
        """Run ``build(temporary path)`` and move the result to ``output`` unless it is fresh; True if built."""
        self.touched.add(self.name(output))
        if self.fresh(output, key):
            new_file_mode(output)  # made by an older riskvid as 0600: readable by others as any new file is
            return False
        with atomic_path(output) as tmp:
            build(tmp)
        self.record(output, key)
        return True

    def prune(self, folder: str) -> None:
        """Delete the files under ``folder`` (relative to root) that earlier runs made and this one did not."""
        for name in [name for name in list(self.entries) if name.startswith(f"{folder}/") and name not in self.touched]:
            path = self.root / name
            if path.is_file() and not path.is_symlink():
                path.unlink()
            del self.entries[name]
            parent = path.parent
            while parent != self.root and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent

    def save(self) -> None:
        if read_json(self.path) != self.entries:
            write_json(self.path, self.entries)

    def name(self, output: Path) -> str:
        return Path(output).relative_to(self.root).as_posix()
