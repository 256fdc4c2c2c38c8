"""Inline ``# pubdoctor: ignore[...]`` comments, PD001 for the unused ones, and per-file-ignores."""

from __future__ import annotations

from conftest import at, check, codes, findings

PYPROJECT = '[project]\nname = "demo"\nversion = "1.0.0"\n'
WIDE = """\
name: release
on:
  release:
    types: [published]
permissions:
  contents: read
  id-token: write{comment}
jobs:
  docs:
    runs-on: ubuntu-latest
    steps:
      - run: echo docs
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
"""
WORKFLOW = ".github/workflows/release.yml"


def _repo(write_repo, workflow: str, pyproject: str = PYPROJECT):
    return write_repo({"pyproject.toml": pyproject, WORKFLOW: workflow})


def test_the_finding_is_reported_without_a_comment(write_repo) -> None:
    root = _repo(write_repo, WIDE.format(comment=""))
    assert at(findings(root), "PD102") == [(WORKFLOW, 7, 3)]


def test_a_comment_on_the_finding_line_silences_it(write_repo) -> None:
    root = _repo(write_repo, WIDE.format(comment="  # pubdoctor: ignore[PD102] -- docs signs"))
    assert codes(root) == []


def test_a_comment_on_the_line_above_silences_it_by_name(write_repo) -> None:
    text = WIDE.replace("  id-token: write{comment}",
                        "  # pubdoctor: ignore[PD105, id-token-too-wide]\n  id-token: write")
    root = _repo(write_repo, text)
    found = findings(root)
    # PD102 is silenced; PD105 never fired here, so that part of the comment is reported
    assert [f["code"] for f in found] == ["PD001"]
    assert at(found, "PD001") == [(WORKFLOW, 7, 3)]
    assert "`PD105`" in found[0]["message"] and found[0]["severity"] == "info"


def test_a_comment_that_silences_nothing_is_reported(write_repo) -> None:
    text = WIDE.format(comment="").replace("  docs:", "  docs:  # pubdoctor: ignore[PD101]")
    root = _repo(write_repo, text)
    found = findings(root)
    assert at(found, "PD001") == [(WORKFLOW, 9, 10)]
    assert "PD102" in [f["code"] for f in found]  # a comment two lines away silences nothing


def test_a_comment_naming_no_rule_is_reported(write_repo) -> None:
    root = _repo(write_repo, WIDE.format(comment="  # pubdoctor: ignore[PD102, PD999]"))
    found = findings(root)
    assert [f["code"] for f in found] == ["PD001"]
    assert "`PD999`, which matches no rule" in found[0]["message"]


def test_a_rule_that_did_not_run_cannot_make_its_suppression_unused(write_repo) -> None:
    text = WIDE.format(comment="").replace("  docs:", "  docs:  # pubdoctor: ignore[PD102]")
    root = _repo(write_repo, text)
    assert "PD001" not in codes(root, "--ignore", "PD102")
    assert "PD001" in codes(root)


def test_a_marker_inside_a_string_is_no_comment(write_repo) -> None:
    text = WIDE.format(comment="").replace("echo docs", "'echo \"# pubdoctor: ignore[PD102]\"'")
    root = _repo(write_repo, text)
    assert codes(root) == ["PD102"]


def test_per_file_ignores_silence_a_file(write_repo) -> None:
    pyproject = PYPROJECT + '\n[tool.pubdoctor.per-file-ignores]\n".github/workflows/rel*.yml" = ["PD1"]\n'
    root = _repo(write_repo, WIDE.format(comment=""), pyproject)
    assert codes(root) == []
    other = PYPROJECT + '\n[tool.pubdoctor.per-file-ignores]\n".github/workflows/ci.yml" = ["PD102"]\n'
    assert codes(_repo(write_repo, WIDE.format(comment=""), other)) == ["PD102"]


def test_per_file_ignores_of_the_wrong_type_stop_the_run(write_repo) -> None:
    for value in ('"PD102"', '{"x.yml" = "PD102"}'):
        root = _repo(write_repo, WIDE.format(comment=""),
                     PYPROJECT + f"\n[tool.pubdoctor]\nper-file-ignores = {value}\n")
        result = check(root)
        assert result.exit_code == 2
        assert result.output.startswith("pubdoctor: error: pyproject.toml: [tool.pubdoctor]: "
                                        "per-file-ignores: must be")
        assert len(result.output.splitlines()) == 1


def test_fix_leaves_a_silenced_finding_alone(write_repo) -> None:
    root = _repo(write_repo, WIDE.format(comment="  # pubdoctor: ignore[PD102]"))
    before = (root / WORKFLOW).read_bytes()
    check(root, "--fix")
    assert (root / WORKFLOW).read_bytes() == before


def test_per_file_ignores_naming_no_rule_stop_the_run(write_repo) -> None:
    root = _repo(write_repo, WIDE.format(comment=""),
                 PYPROJECT + '\n[tool.pubdoctor.per-file-ignores]\n"*.yml" = ["PD9"]\n')
    result = check(root)
    assert result.exit_code == 2
    assert result.output == ("pubdoctor: error: pyproject.toml: [tool.pubdoctor] per-file-ignores: "
                             "'PD9' matches no rule (`pubdoctor rule` lists them)\n")
