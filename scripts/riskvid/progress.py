"""One progress display for a run: a line per event, and on a terminal a bar counting the tasks.

Every task (a timing pass, a segment render) adds to the total when it is planned and advances it
when it finishes, whatever video it belongs to. Off a terminal (a log, a pipe, a test) the bar is
left out and each finished task's line ends with its count, e.g. ``(3/7)``. The bar is drawn with
ASCII on a terminal that cannot show more, and every line survives the terminal's encoding.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress as Bar
    from rich.progress import TaskID


class Progress:
    """Lines through ``say``; a rich progress bar on ``stream`` when ``bar`` (default: it is a terminal)."""

    def __init__(self, say: Callable[[str], None] = print, stream: TextIO | None = None, bar: bool | None = None):
        self.say = say
        self.stream = stream or sys.stderr
        self.bar = self.stream.isatty() if bar is None else bar
        self.total = self.finished = 0
        self._live: Bar | None = None
        self._task: TaskID | None = None  # the bar's one task

    @classmethod
    def of(cls, report: Callable[[str], None] | Progress) -> Progress:
        """``report`` itself if it is a Progress, else plain lines through it."""
        return report if isinstance(report, Progress) else cls(report, bar=False)

    def __call__(self, line: str) -> None:
        """A line that advances nothing (a note, a reused segment)."""
        self._print(line)

    def expect(self, count: int, what: str = "tasks") -> None:
        """``count`` more tasks to wait for."""
        self.total += count
        if self.bar and count:
            live, task = self._start()
            live.update(task, total=self.total, description=what)

    def done(self, line: str) -> None:
        """A task finished: its line, and the count advanced."""
        self.finished += 1
        if self._live is not None and self._task is not None:
            self._live.update(self._task, completed=self.finished)
            self._print(line)
        else:
            self._print(f"{line} ({self.finished}/{self.total})" if self.total else line)

    def close(self) -> None:
        """Take the bar off the screen (the lines stay)."""
        live, self._live = self._live, None
        if live is not None:
            live.stop()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> tuple[Bar, TaskID]:
        """The bar and its task, started on first use."""
        if self._live is not None and self._task is not None:
            return self._live, self._task
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar

        console = Console(file=self.stream, highlight=False, markup=False, emoji=False)
        live = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=console, transient=True)
        self._live, self._task = live, live.add_task("tasks", total=self.total)
        live.start()
        return live, self._task

    def _print(self, line: str) -> None:
        if self._live is None:
            self.say(line)
            return
        encoding = getattr(self.stream, "encoding", None) or "utf-8"
        self._live.console.print(line.encode(encoding, "replace").decode(encoding), markup=False, highlight=False,
                                 emoji=False, soft_wrap=True)
