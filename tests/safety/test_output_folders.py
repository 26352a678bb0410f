"""The tool only ever replaces what it made: every other --dist / --out is refused, untouched.

Each case runs the command as a user would and asserts exit 2, a message naming
the folder and the reason, and that everything under the test's folder (the
project and whatever the case made beside it) is byte for byte as it was.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from curation.output_folders import is_built_dataset
from tests.release.conftest import GIT_ENV, make_repository
from tests.safety.conftest import folder_state, run_cli
from tests.test_build import build_in, make_project


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("pristine") / "project")
    assert build_in(project) == 0
    return project


@pytest.fixture
def project(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(pristine, copy, symlinks=True)
    return copy


def _folder_with_files(project: Path) -> str:
    (project / "notes" / "drafts").mkdir(parents=True)
    (project / "notes" / "ideas.txt").write_text("mine\n", encoding="utf-8")
    (project / "notes" / "drafts" / "a.md").write_text("# draft\n", encoding="utf-8")
    return "notes"


def _a_file(project: Path) -> str:
    (project / "notes.txt").write_text("mine\n", encoding="utf-8")
    return "notes.txt"


def _dataset_with_a_file_added(project: Path) -> str:
    (project / "dist" / "my-notes.md").write_text("mine\n", encoding="utf-8")
    return "dist"


def _link_to_dataset(project: Path) -> str:
    (project / "published").symlink_to("dist", target_is_directory=True)
    return "published"


def _an_empty_folder_inside_seeds(project: Path) -> str:
    (project / "seeds" / "out").mkdir()
    return "seeds/out"


# case -> (make the folder, return the --dist to give; words the message must hold)
DIST_CASES: dict[str, tuple[Callable[[Path], str], str]] = {
    "seeds": (lambda p: "seeds", "it is the seeds folder"),
    "repository_root": (lambda p: str(p), "it holds the seeds folder seeds/"),
    "dot": (lambda p: ".", "it holds the seeds folder seeds/"),
    "parent_of_the_repository": (lambda p: "..", "it holds the seeds folder seeds/"),
    "inside_seeds": (lambda p: "seeds/new", "it is inside seeds/, the seeds folder"),
    "empty_folder_inside_seeds": (_an_empty_folder_inside_seeds, "is inside seeds/"),
    "inside_the_dataset": (lambda p: "dist/data/new", "/dist/, a built dataset"),
    "folder_with_other_files": (
        _folder_with_files,
        "it is not a dataset written by curation (no curation manifest.json) and holds 2 "
        "files: "
        "drafts/a.md, ideas.txt",
    ),
    "a_file": (_a_file, "it is a file, not a folder"),
    "dataset_with_a_file_added": (
        _dataset_with_a_file_added,
        "it holds files the build did not write: my-notes.md",
    ),
    "symbolic_link": (_link_to_dataset, "it is a symbolic link (to dist)"),
}


@pytest.mark.parametrize("case", sorted(DIST_CASES))
def test_build_refuses_a_dist_it_did_not_make(case: str, project: Path) -> None:
    make, words = DIST_CASES[case]
    dist = make(project)
    everything = project.parent
    before = folder_state(everything)
    result = run_cli(project, "build", "--dist", dist)
    assert result.code == 2, result.err
    assert f"{dist}: will not be replaced by the build: " in result.err
    assert words in result.err
    assert "hint: give --dist a new or empty folder" in result.err
    assert folder_state(everything) == before


@pytest.mark.parametrize("dist", ["dist", "fresh", "empty"])
def test_build_replaces_its_own_dataset_an_empty_or_a_new_folder(dist: str, project: Path) -> None:
    (project / "empty").mkdir()
    assert run_cli(project, "build", "--dist", dist).code == 0
    assert is_built_dataset(project / dist)


def test_the_committed_dist_is_recognised_as_the_tools() -> None:
    assert is_built_dataset(Path(__file__).resolve().parents[2] / "dist")


@pytest.mark.parametrize("case", ["seeds", "folder_with_other_files", "dot"])
def test_release_refuses_a_dist_it_did_not_make(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    repository = make_repository(tmp_path / "repository")
    make, words = DIST_CASES[case]
    dist = make(repository)
    before = folder_state(tmp_path)
    head = (repository / ".git" / "HEAD").read_bytes()
    result = run_cli(repository, "release", "--dist", dist)
    assert result.code == 2, result.err
    assert f"{dist}: will not be replaced by the build: " in result.err
    assert words in result.err
    assert folder_state(tmp_path) == before
    assert (repository / ".git" / "HEAD").read_bytes() == head


REVIEW_CASES: dict[str, tuple[Callable[[Path], str], str]] = {
    "dot": (lambda p: ".", "it holds the seeds folder seeds/"),
    "seeds": (lambda p: "seeds", "it is the seeds folder"),
    "folder_with_other_files": (
        _folder_with_files,
        "holds files that are not review pages: drafts/a.md, ideas.txt",
    ),
    "a_file": (_a_file, "it is a file, not a folder"),
    "the_dataset": (lambda p: "dist", "is inside dist/, the dataset folder"),
    "symbolic_link": (_link_to_dataset, "it is a symbolic link (to dist)"),
}


@pytest.mark.parametrize("case", sorted(REVIEW_CASES))
def test_review_refuses_an_out_folder_it_did_not_make(case: str, project: Path) -> None:
    make, words = REVIEW_CASES[case]
    out = make(project)
    before = folder_state(project.parent)
    result = run_cli(project, "review", "--all", "--out", out)
    assert result.code == 2, result.err
    assert f"{out}: review will not write here: " in result.err
    assert words in result.err
    assert folder_state(project.parent) == before


def test_review_writes_again_into_its_own_folder(project: Path) -> None:
    first = "000_1d9f1a65aeae1940"
    assert run_cli(project, "review", first, "--out", "pages").code == 0
    assert run_cli(project, "review", "--all", "--out", "pages").code == 0
    assert len(list((project / "pages").glob("*.html"))) == 5 + 1  # the seeds' pages, the index


@pytest.mark.parametrize("option", ["--dist", "--against"])
def test_verify_never_writes_into_the_folder_it_checks(option: str, project: Path) -> None:
    before = folder_state(project.parent)
    result = run_cli(project, "verify", option, "seeds")
    assert result.code == 3
    assert "not a built dataset" in result.err
    assert folder_state(project.parent) == before
