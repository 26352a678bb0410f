"""The ``curation`` command: parse arguments, call the library, map errors to exit codes.

Exit codes: 0 success, 1 unexpected failure, 2 invalid input (seeds, sidecars,
rules, arguments), 3 verification failed (the rebuild differs from dist/).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from curation import __version__
from curation.errors import CurationError

Handler = Callable[[argparse.Namespace], int]


def _build_options(args: argparse.Namespace) -> object:
    from curation.build import BuildOptions

    return BuildOptions(
        seeds_dir=args.seeds, dist_dir=args.dist, pyproject=args.pyproject, changelog=args.changelog
    )


def _add_build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--seeds", type=Path, default=Path("seeds"), help="seeds folder (default: seeds)"
    )
    parser.add_argument(
        "--dist", type=Path, default=Path("dist"), help="output folder (default: dist)"
    )
    parser.add_argument(
        "--pyproject",
        type=Path,
        default=Path("pyproject.toml"),
        help="file with the [tool.curation] dataset table (default: pyproject.toml)",
    )
    parser.add_argument(
        "--changelog",
        type=Path,
        default=Path("CHANGELOG.md"),
        help="changelog shown in the card (default: CHANGELOG.md)",
    )


def format_report(reports: Sequence[object]) -> str:
    """The per-step table ``curation build`` prints."""
    from curation.pipeline import StepReport

    lines = [f"{'step':<26} {'in':>7} {'out':>7} {'chars removed':>14}  rules fired"]
    for report in reports:
        assert isinstance(report, StepReport)
        fired = ", ".join(f"{rule}×{n}" for rule, n in sorted(report.rules.items()))
        dropped = ", ".join(f"dropped {reason}×{n}" for reason, n in sorted(report.drops.items()))
        detail = "; ".join(part for part in (fired, dropped) if part) or "-"
        lines.append(
            f"{report.step:<26} {report.records_in:>7} {report.records_out:>7} "
            f"{report.chars_removed:>14}  {detail}"
        )
    return "\n".join(lines)


def cmd_build(args: argparse.Namespace) -> int:
    from curation.build import build

    summary = build(_build_options(args))  # type: ignore[arg-type]
    print(format_report(summary.reports))
    for warning in summary.warnings:
        print(
            f"warning: {warning['id']}: [{warning['step']}] {warning['code']}: {warning['message']}"
        )
    for dropped, kept in summary.duplicates:
        print(f"dropped {dropped}: same text as {kept}")
    languages = ", ".join(f"{c.language} {c.num_examples}" for c in summary.configs)
    print(
        f"wrote {args.dist}/: {summary.num_examples} records ({languages}), "
        f"version {summary.dataset.version}, content sha256 {summary.content_sha256[:16]}…"
    )
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from curation.verify import verify

    differences = verify(_build_options(args), against=args.against)  # type: ignore[arg-type]
    target = args.against or args.dist
    if differences:
        print(f"{target}/ does not match a fresh build from {args.seeds}/:", file=sys.stderr)
        for difference in differences:
            print(f"  {difference}", file=sys.stderr)
        print("hint: run `curation build` and commit dist/, or find what varies", file=sys.stderr)
        return 3
    print(f"{target}/ matches a fresh build byte for byte.")
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="curation",
        description="Reproducible corpus curation: seeds in, a versioned Hugging Face dataset out.",
    )
    parser.add_argument("--version", action="version", version=f"curation {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser(
        "build",
        help="clean the seeds and write the dataset to dist/",
        description="Run the cleaning pipeline over seeds/ and write dist/ (Parquet, card, "
        "manifest, SHA256SUMS). dist/ is replaced only if the whole build succeeds.",
    )
    _add_build_arguments(build)
    build.set_defaults(handler=cmd_build)

    verify = commands.add_parser(
        "verify",
        help="rebuild in a temporary folder and compare with dist/ byte for byte",
        description="Rebuild from seeds/ into a temporary folder and compare every file with "
        "dist/ (or --against DIR). Exit 3 naming each file, and each record, that differs.",
    )
    _add_build_arguments(verify)
    verify.add_argument(
        "--against",
        type=Path,
        default=None,
        help="check this folder (e.g. a downloaded copy) instead of --dist",
    )
    verify.set_defaults(handler=cmd_verify)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except CurationError as error:
        print(f"curation {args.command}: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
