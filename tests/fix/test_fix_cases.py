"""``pubdoctor check --fix``: every fix byte for byte, and the fixed repository passes the rule.

Each folder of ``cases/`` holds ``before/`` (the workflows as written) and ``after/`` (what
``--fix`` must leave, byte for byte); the CRLF variant of every case is derived from it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import check, codes

CASES = Path(__file__).parent / "cases"
PYPROJECT = ('[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
             '[project]\nname = "demo"\nversion = "1.0.0"\n')
FIXABLE = ("PD101", "PD102", "PD104", "PD107", "PD303", "PD305")


def _repo(tmp_path: Path, case: str, crlf: bool = False) -> Path:
    root = tmp_path / case
    workflows = root / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    for file in (CASES / case / "before").iterdir():
        data = file.read_bytes()
        (workflows / file.name).write_bytes(data.replace(b"\n", b"\r\n") if crlf else data)
    return root


def _expected(case: str, crlf: bool) -> dict[str, bytes]:
    out = {}
    for file in (CASES / case / "after").iterdir():
        data = file.read_bytes()
        out[file.name] = data.replace(b"\n", b"\r\n") if crlf else data
    return out


def _written(root: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in (root / ".github" / "workflows").iterdir()}


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir()))
def test_fix_writes_the_expected_bytes(tmp_path: Path, case: str, crlf: bool) -> None:
    root = _repo(tmp_path, case, crlf)
    before = set(codes(root)) & set(FIXABLE)
    check(root, "--fix")
    assert _written(root) == _expected(case, crlf)
    # what was fixed is gone; fixing again changes nothing
    left = codes(root)
    fixed = {code for code in before if code not in left}
    assert fixed or case in ("pd101_default",)
    again = _written(root)
    result = check(root, "--fix")
    assert _written(root) == again
    assert "Fixed" not in result.output


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir()))
def test_diff_prints_the_fix_and_writes_nothing(tmp_path: Path, case: str) -> None:
    root = _repo(tmp_path, case)
    before = _written(root)
    result = check(root, "--diff")
    assert _written(root) == before
    changed = before != _expected(case, False)
    assert result.exit_code == (1 if changed else 0)
    for name in before:
        if before[name] != _expected(case, False)[name]:
            assert f"--- a/.github/workflows/{name}" in result.stdout
            assert f"+++ b/.github/workflows/{name}" in result.stdout


def test_each_fixed_rule_passes_after_the_fix(tmp_path: Path) -> None:
    """The fixed repository passes ``pubdoctor check`` for each rule a case fixes."""
    expectations = {"pd101_inherited": "PD101", "pd101_job_block": "PD101", "pd101_flow": "PD101",
                    "pd101_called": "PD101", "pd102_move": "PD102", "pd102_only": "PD102",
                    "pd104_refs": "PD104", "pd107_upload": "PD107", "pd303_pd305": "PD303,PD305"}
    for case, rule in expectations.items():
        root = _repo(tmp_path, case)
        assert set(rule.split(",")) <= set(codes(root)), case
        check(root, "--fix", "--select", rule)
        result = check(root, "--select", rule)
        assert result.exit_code == 0 and "PD" not in result.stdout, (case, result.output)


def test_a_fix_that_needs_a_guess_is_not_applied_and_says_why(tmp_path: Path) -> None:
    root = _repo(tmp_path, "pd101_default")
    result = check(root, "--fix")
    assert "PD101 not fixed: job `publish` runs with the repository's default token permissions" \
        in result.stderr
    assert "PD101 [missing-id-token]" in result.stdout  # the finding remains, as usual
    assert result.exit_code == 1


def test_an_anchored_mapping_is_not_edited(tmp_path: Path) -> None:
    root = _repo(tmp_path, "anchored")
    result = check(root, "--fix")
    assert "PD303 not fixed" in result.stderr and "anchored (`&checkout`)" in result.stderr
    assert "PD303" in codes(root)


def test_bom_and_missing_final_newline_are_kept(tmp_path: Path) -> None:
    root = _repo(tmp_path, "pd101_flow")
    path = root / ".github" / "workflows" / "release.yml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().rstrip(b"\n"))
    check(root, "--fix")
    expected = (CASES / "pd101_flow" / "after" / "release.yml").read_bytes()
    assert path.read_bytes() == b"\xef\xbb\xbf" + expected.rstrip(b"\n")


def test_fix_and_diff_together_is_a_usage_error(tmp_path: Path) -> None:
    root = _repo(tmp_path, "pd101_flow")
    assert check(root, "--fix", "--diff").exit_code == 2


def test_the_bundled_broken_example(tmp_path: Path) -> None:
    """Done when: on examples/broken, ``--fix`` leaves a repository on which the fixed rules find
    nothing, and whose diff is only the fix."""
    example = Path(__file__).resolve().parents[2] / "examples" / "broken"
    root = tmp_path / "broken"
    shutil.copytree(example, root)
    before = codes(root)
    assert "PD101" in before
    check(root, "--fix")
    after = codes(root)
    assert not set(after) & set(FIXABLE)
    old = (example / ".github/workflows/release.yml").read_text().splitlines()
    new = (root / ".github/workflows/release.yml").read_text().splitlines()
    added = [line for line in new if line not in old]
    assert [line for line in old if line not in new] == []
    assert added == ["    permissions:", "      contents: read", "      id-token: write"]
    assert (root / "pyproject.toml").read_bytes() == (example / "pyproject.toml").read_bytes()


def test_a_file_github_refuses_is_not_edited(tmp_path: Path) -> None:
    root = _repo(tmp_path, "pd101_flow")
    path = root / ".github" / "workflows" / "release.yml"
    text = path.read_text().replace("    runs-on: ubuntu-latest\n", "    runs-on: ubuntu-latest\n"
                                    "    runs-on: ubuntu-22.04\n", 1)
    path.write_text(text)
    result = check(root, "--fix")
    assert path.read_text() == text
    assert "PD101 not fixed: GitHub refuses this file as it is (PD100)" in result.stderr
