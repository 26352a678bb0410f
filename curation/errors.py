"""Small, specific exceptions. Only :mod:`curation.cli` turns them into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: where it is and what is wrong.

    ``where`` is a file path, optionally followed by ``:line`` or ``#field``.
    """

    where: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text


class CurationError(Exception):
    """Base class of every error the CLI reports without a traceback."""

    exit_code = 1


def _problem_list(problems: list[Problem]) -> str:
    count = len(problems)
    header = f"{count} problem{'s' if count != 1 else ''} found:"
    return "\n".join([header, *(f"  {p}" for p in problems)])


class InvalidInput(CurationError):
    """Input files (seeds, sidecars, rules) failed validation.

    Validation collects every problem before raising, so the user fixes them all
    in one round.
    """

    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.where, p.message))
        super().__init__(_problem_list(self.problems))


class VerificationFailed(CurationError):
    """A rebuild did not reproduce the published bytes."""

    exit_code = 3


class DamagedMetadata(VerificationFailed):
    """A file the tool wrote and reads back (SHA256SUMS, manifest.json) cannot be read.

    Every damaged line is listed, in file order; ``where`` is ``FILE:LINE``.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(_problem_list(problems))


class UnboundedPattern(InvalidInput):
    """A regular expression that no engine here can run in time linear in its input.

    Raised by :func:`curation.patterns.compile`; a rules file with such a pattern is
    refused when it is loaded, with the file, the rule and the reason.
    """


class EngineUnavailable(CurationError):
    """``--engine NAME`` was asked for and cannot run here (its library is not installed,
    or its workers run other library versions than this process)."""


class WorkerDied(CurationError):
    """A worker process of ``--jobs`` ended before it gave back its batch (killed by the
    system when memory ran out, or by a signal): the build stops instead of waiting
    for a batch that will never come."""


class RaisedInWorker(CurationError):
    """An error of ours raised in another process (a Ray worker), reported here as it was.

    It carries the original's message and exit code: the build fails as it would
    have failed had the work run in this process.
    """

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def __reduce__(self) -> tuple[type[RaisedInWorker], tuple[str, int]]:
        return type(self), (str(self), self.exit_code)
