"""How far a long command has got: a bar on a terminal, a line every few seconds otherwise.

The library says what it is doing through a :class:`Progress` (a phase, then
documents done and their bytes); the CLI picks how that is shown (sqlite-utils'
way: the library does the work, the command line shows it). :class:`Progress`
itself shows nothing, so library calls and tests stay silent unless asked.
Progress goes to the terminal only: it never touches what a command writes, so
``dist/`` stays byte for byte the same.

>>> import io
>>> stream = io.StringIO()
>>> clock = iter([0.0, 0.0, 0.0, 6.0]).__next__
>>> progress = LineProgress("build", stream, interval=5.0, clock=clock)
>>> progress.phase("clean", total=4)
>>> progress.advance(2, 3_000_000)
>>> print(stream.getvalue(), end="")
curation build: clean
curation build: clean: 2/4 documents (50%), 3.0 MB, 0.50 MB/s, 0.3 docs/s, ETA 6 s
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TextIO, TypeVar

if TYPE_CHECKING:
    from curation.record import Record
    from curation.seeds import UnreadSeed

# What an input meter counts: records, or seeds not read yet.
_Input = TypeVar("_Input", bound="Record | UnreadSeed")

# Without a terminal (CI, a pipe, a log file) one line per this many seconds: often
# enough to see that a long build moves, rare enough not to flood a CI log.
LINE_INTERVAL_SECONDS = 5.0


class Progress:
    """Progress that shows nothing: what the library uses unless the CLI passes another."""

    def phase(self, name: str, total: int | None = None) -> None:
        """A new part of the command begins; ``total`` documents if known."""

    def advance(self, documents: int, nbytes: int) -> None:
        """``documents`` more documents, ``nbytes`` bytes of text, are done."""

    def close(self) -> None:
        """The command has finished (or failed): end the last line."""


class _Counting(Progress):
    """Counts and rates of the current phase, shared by the bar and the lines."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.name = ""
        self.total: int | None = None
        self.documents = 0
        self.nbytes = 0
        self.started = clock()

    def phase(self, name: str, total: int | None = None) -> None:
        self.name, self.total = name, total
        self.documents = self.nbytes = 0
        self.started = self._clock()

    def advance(self, documents: int, nbytes: int) -> None:
        self.documents += documents
        self.nbytes += nbytes

    def rates(self, now: float) -> tuple[float, float]:
        """Megabytes and documents per second so far in this phase."""
        seconds = max(now - self.started, 1e-9)
        return self.nbytes / 1e6 / seconds, self.documents / seconds


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds // 60:.0f} min {seconds % 60:02.0f} s"
    return f"{seconds // 3600:.0f} h {seconds % 3600 // 60:02.0f} min"


class LineProgress(_Counting):
    """One line per phase and one every ``interval`` seconds while documents are done."""

    def __init__(
        self,
        command: str,
        stream: TextIO,
        interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(clock)
        self._prefix = f"curation {command}: "
        self._stream = stream
        self._interval = LINE_INTERVAL_SECONDS if interval is None else interval
        self._last = clock()

    def phase(self, name: str, total: int | None = None) -> None:
        super().phase(name, total)
        self._last = self.started
        self._say(name)

    def advance(self, documents: int, nbytes: int) -> None:
        super().advance(documents, nbytes)
        now = self._clock()
        if now - self._last >= self._interval:
            self._last = now
            self._say(self.describe(now))

    def describe(self, now: float) -> str:
        megabytes_per_second, documents_per_second = self.rates(now)
        done = f"{self.documents}"
        eta = ""
        if self.total:
            done += f"/{self.total}"
            done += f" documents ({100 * self.documents // self.total}%)"
            if documents_per_second > 0:
                left = (self.total - self.documents) / documents_per_second
                eta = f", ETA {_duration(left)}"
        else:
            done += " documents"
        return (
            f"{self.name}: {done}, {self.nbytes / 1e6:.1f} MB, "
            f"{megabytes_per_second:.2f} MB/s, {documents_per_second:.1f} docs/s{eta}"
        )

    def _say(self, text: str) -> None:
        print(self._prefix + text, file=self._stream, flush=True)


class BarProgress(_Counting):
    """A tqdm bar per phase: documents, percent, ETA, docs/s; MB and MB/s after it."""

    def __init__(self, command: str, stream: TextIO, refresh_seconds: float = 0.1) -> None:
        super().__init__(time.monotonic)
        self._command = command
        self._stream = stream
        self._refresh_seconds = refresh_seconds
        self._bar: object | None = None

    def phase(self, name: str, total: int | None = None) -> None:
        from tqdm import tqdm  # in the lock through datasets; only a terminal needs it

        self.close()
        super().phase(name, total)
        self._bar = tqdm(
            total=total,
            desc=f"{self._command}: {name}",
            unit=" docs",
            file=self._stream,
            dynamic_ncols=True,
            mininterval=self._refresh_seconds,
            leave=False,  # a finished phase's bar gives way to the next; the table follows
        )

    def advance(self, documents: int, nbytes: int) -> None:
        super().advance(documents, nbytes)
        if self._bar is not None:
            megabytes_per_second, _ = self.rates(self._clock())
            self._bar.set_postfix_str(  # type: ignore[attr-defined]
                f"{self.nbytes / 1e6:.1f} MB, {megabytes_per_second:.2f} MB/s", refresh=False
            )
            self._bar.update(documents)  # type: ignore[attr-defined]

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()  # type: ignore[attr-defined]
            self._bar = None


def progress_for(command: str, stream: TextIO, quiet: bool) -> Progress:
    """What ``curation COMMAND`` shows: nothing with ``-q``, a bar on a terminal, else lines."""
    if quiet:
        return Progress()
    if stream.isatty():
        return BarProgress(command, stream)
    return LineProgress(command, stream)


def text_bytes(records: Iterable[Record | UnreadSeed]) -> int:
    """UTF-8 bytes of the records' texts (a lone surrogate counts as its three bytes);
    of a seed not read yet, its file's size."""
    from curation.seeds import UnreadSeed  # not at import: `check` shows progress without it

    return sum(
        r.text_size if isinstance(r, UnreadSeed) else len(r.text.encode("utf-8", "surrogatepass"))
        for r in records
    )


class InputMeter:
    """Input batches as they are read, so that progress counts bytes of documents *done*.

    The pipeline reads ahead of what it has finished (with jobs, a window of batches);
    :meth:`done` turns "N documents are through" into their bytes, from the sizes
    recorded at each batch boundary.
    """

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._boundaries: list[tuple[int, int]] = []  # (documents, bytes) read, cumulative
        self._read = (0, 0)
        self._done = (0, 0)

    def metered(self, batches: Iterable[Sequence[_Input]]) -> Iterator[Sequence[_Input]]:
        for batch in batches:
            documents, nbytes = self._read
            self._read = (documents + len(batch), nbytes + text_bytes(batch))
            self._boundaries.append(self._read)
            yield batch

    def done(self, documents: int) -> None:
        """The first ``documents`` documents read are through every step."""
        reached = self._done
        while self._boundaries and self._boundaries[0][0] <= documents:
            reached = self._boundaries.pop(0)
        if reached != self._done:
            self._progress.advance(reached[0] - self._done[0], reached[1] - self._done[1])
            self._done = reached
