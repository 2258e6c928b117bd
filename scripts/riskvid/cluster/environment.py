"""What a machine renders with: riskvid's code, its installed packages and the system's drawing parts.

A cluster must never mix frames made by different code or libraries: the client sends its own
``Environment`` with every job and a worker whose own differs refuses the job, naming the first
difference in one line ("scenes/pixels.py differs from the client's").

- code: every file of the ``riskvid``, ``scenes`` and ``riskmath`` packages, by SHA-256 (read from
  disk, named from the package down);
- packages: every installed Python distribution and its version (the locked environment;
  pip, setuptools and wheel, which draw nothing, and riskvid itself, counted as code, left out);
- system: Python's version, and the version of every Debian package ``scripts/setup`` installs
  that draw (cairo, Pango, TeX Live, dvisvgm, the fonts), as dpkg reports them.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import platform
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

CODE_PACKAGES = ("riskvid", "scenes", "riskmath")
NOT_COUNTED = {"pip", "setuptools", "wheel", "riskvid"}  # distributions that decide nothing drawn
DEBIAN_PACKAGES = Path(__file__).parent.with_name("debian-packages.txt")  # what scripts/setup installs
# setup's packages that no frame depends on
DRAWS_NOTHING = {"chromium", "pkg-config", "poppler-utils", "libreoffice-impress"}


@dataclass(frozen=True)
class Environment:
    """One machine's code, packages and system, each as {name: version or SHA-256}."""

    code: dict[str, str] = field(default_factory=dict)
    packages: dict[str, str] = field(default_factory=dict)
    system: dict[str, str] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        """A SHA-256 over all of it: two environments are the same when their digests are."""
        text = json.dumps([self.code, self.packages, self.system], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def current() -> Environment:
    """This process's environment, as it is on disk now."""
    return Environment(code_files(), installed_packages(), system_parts())


def code_files() -> dict[str, str]:
    """{"scenes/pixels.py": SHA-256, ...} of every file of riskvid's code packages (caches and hidden files,
    such as an editor's swap files, left out)."""
    files = {}
    for package in CODE_PACKAGES:
        spec = importlib.util.find_spec(package)  # where it would be imported from; nothing is imported
        if spec is None or not spec.submodule_search_locations:
            continue
        root = Path(list(spec.submodule_search_locations)[0])
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root)
            if path.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in relative.parts) \
                    and path.suffix != ".pyc":
                files[f"{package}/{relative.as_posix()}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def installed_packages() -> dict[str, str]:
    """{normalised distribution name: version} of every installed Python distribution that counts."""
    found: dict[str, str] = {}
    for distribution in importlib.metadata.distributions():
        name = re.sub(r"[-_.]+", "-", distribution.metadata["Name"] or "").lower()
        if name and name not in NOT_COUNTED:
            found.setdefault(name, distribution.version)  # the first on sys.path is the one imported
    return found


@functools.cache
def system_parts() -> dict[str, str]:
    """{"python": version, "debian:<package>": version or "missing"} (remembered for the process's life)."""
    parts = {"python": f"{platform.python_implementation()} {platform.python_version()}"}
    drawing = [name for name in debian_packages() if name not in DRAWS_NOTHING]
    for name, version in debian_versions(drawing).items():
        parts[f"debian:{name}"] = version
    return parts


def debian_packages(path: Path = DEBIAN_PACKAGES) -> list[str]:
    """The Debian packages ``scripts/setup`` installs: its list, one a line, ``#`` starting a comment."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return []
    return [word for line in text.splitlines() for word in line.split("#", 1)[0].split()]


def debian_versions(packages: list[str]) -> dict[str, str]:
    """{package: installed version, or "missing"}; {} where there is no dpkg."""
    if not packages:
        return {}
    try:
        listed = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Status} ${Version}\n", *packages],
                                capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    versions = dict.fromkeys(packages, "missing")
    for line in listed.stdout.splitlines():  # "<package> install ok installed <version>"
        name, *status = line.split(" ")
        if name in versions and status[2:3] == ["installed"]:
            versions[name] = " ".join(status[3:])
    return versions


def difference(client: Environment, worker: Environment) -> str | None:
    """The first way ``worker`` differs from ``client``, in words (with how many more); None if they match.

    >>> a = Environment({"scenes/pixels.py": "1"}, {"numpy": "2.4.6"}, {"python": "CPython 3.11.2"})
    >>> difference(a, Environment({"scenes/pixels.py": "2"}, {"numpy": "2.4.5"}, a.system))
    "scenes/pixels.py differs from the client's (and 1 more difference)"
    >>> difference(a, Environment(a.code, {"numpy": "2.4.5"}, a.system))
    "numpy 2.4.5 differs from the client's 2.4.6"
    >>> difference(a, a) is None
    True
    """
    found = []
    for name in sorted(client.code.keys() | worker.code.keys()):
        mine, theirs = client.code.get(name), worker.code.get(name)
        if mine != theirs:
            found.append(f"{name} differs from the client's" if mine and theirs
                         else f"{name} is on the client only" if mine else f"{name} is not on the client")
    found += _versions(client.packages, worker.packages)
    found += _versions(client.system, worker.system)
    if not found:
        return None
    more = len(found) - 1
    return found[0] + (f" (and {more} more difference{'s' if more > 1 else ''})" if more else "")


def _versions(client: dict[str, str], worker: dict[str, str]) -> list[str]:
    """Each name whose version differs, in words."""
    found = []
    for name in sorted(client.keys() | worker.keys()):
        mine, theirs = client.get(name), worker.get(name)
        label = name.replace("debian:", "Debian package ")
        if mine == theirs:
            continue
        if mine is None:
            found.append(f"{label} {theirs} is not installed on the client")
        elif theirs is None:
            found.append(f"{label} is not installed there (the client has {mine})")
        elif name == "python":
            found.append(f"{theirs} differs from the client's {mine}")
        else:
            found.append(f"{label} {theirs} differs from the client's {mine}")
    return found
