"""Checking a hostile repository never runs its code: one real repository per vector.

Each test plants a marker program where the repository's git configuration makes git start
it (``core.fsmonitor``, a clean filter, ``gpg.program``, an included file, a pager, a diff
driver, a hook), runs ``pubdoctor check`` on it, and asserts the marker never ran. Each test
then runs plain git on the same repository and asserts the marker DID run: the vector is
live, so the first assertion is not vacuous.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GIT_ENV, git, run_cli
from history_repo import commit, init

PYPROJECT = """
    [build-system]
    requires = ["setuptools>=64", "setuptools-scm>=8"]
    build-backend = "setuptools.build_meta"

    [project]
    name = "demo"
    dynamic = ["version"]

    [tool.setuptools_scm]

    [tool.semantic_release]
    commit_parser = "conventional"
"""
WORKFLOW = """
    name: release
    on:
      push:
        tags: ["v*"]
    jobs:
      pypi:
        runs-on: ubuntu-latest
        environment: pypi
        permissions:
          id-token: write
        steps:
          - uses: actions/checkout@v4
            with:
              fetch-depth: 0
          - run: python -m pip install build && python -m build
          - uses: pypa/gh-action-pypi-publish@release/v1
"""


def marker_program(tmp_path: Path) -> tuple[Path, Path]:
    """A program that records that it ran (and passes its input through, as a filter would)."""
    marker = tmp_path / "MARKER"
    program = tmp_path / "evil.sh"
    program.write_text(f"#!/bin/sh\necho \"$0 $*\" >> '{marker}'\nexec cat\n")
    program.chmod(0o755)
    return program, marker


def hostile_repo(tmp_path: Path) -> Path:
    """A project checked at its repository's top level: the history (PSR), the version
    (setuptools-scm: ``git describe`` and the dirty check), the remote and the workflows are
    all read from git."""
    root = init(tmp_path / "repo", {"pyproject.toml": PYPROJECT, "notes.txt": "hello\n",
                                    ".github/workflows/release.yml": WORKFLOW})
    git(root, "remote", "add", "origin", "https://github.com/octo/demo.git")
    commit(root, "feat: first", "v1.0.0")
    (root / "notes.txt").write_text("hello again\n")
    commit(root, "Update the notes")  # not conventional: PD301
    return root


def run_check(root: Path) -> dict:
    result = run_cli("check", str(root), "--offline", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def touch_tracked(root: Path) -> None:
    """Make tracked files stat-dirty, so that commands comparing the work tree read them."""
    for name in ("notes.txt", "pyproject.toml"):
        path = root / name
        os.utime(path, (path.stat().st_atime + 100, path.stat().st_mtime + 100))


def plain_git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """git as a user would run it, with the repository's configuration."""
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, env={**os.environ, **GIT_ENV})


def test_core_fsmonitor_does_not_run(tmp_path: Path) -> None:
    program, marker = marker_program(tmp_path)
    root = hostile_repo(tmp_path)
    git(root, "config", "core.fsmonitor", str(program))
    touch_tracked(root)
    report = run_check(root)
    assert not marker.exists()
    assert any(f["code"] == "PD301" for f in report["findings"])  # the history was read
    plain_git(root, "status")
    assert marker.exists()


def test_clean_filter_does_not_run(tmp_path: Path) -> None:
    program, marker = marker_program(tmp_path)
    root = hostile_repo(tmp_path)
    (root / ".gitattributes").write_text("*.txt filter=evil\n*.toml filter=evil\n")
    commit(root, "chore: attributes")
    git(root, "config", "filter.evil.clean", str(program))
    git(root, "config", "filter.evil.smudge", str(program))
    git(root, "config", "filter.evil.required", "true")
    touch_tracked(root)
    run_check(root)
    assert not marker.exists()
    plain_git(root, "status")
    assert marker.exists()


def test_filter_driver_whose_name_holds_an_equals_sign(tmp_path: Path) -> None:
    program, marker = marker_program(tmp_path)
    root = hostile_repo(tmp_path)
    (root / ".gitattributes").write_text("*.txt filter=a=b\n")
    commit(root, "chore: attributes")
    with (root / ".git" / "config").open("a") as config:
        config.write(f'[filter "a=b"]\n\tclean = {program}\n')
    touch_tracked(root)
    run_check(root)
    assert not marker.exists()
    plain_git(root, "status")
    assert marker.exists()


def signer(tmp_path: Path, marker: Path) -> Path:
    """A stand-in for gpg: signs anything, and records (and chatters) when asked to verify."""
    program = tmp_path / "gpg.sh"
    program.write_text(
        "#!/bin/sh\n"
        'case "$*" in *--verify*)\n'
        f"  echo verify >> '{marker}'\n"
        "  cat > /dev/null\n"
        '  echo "[GNUPG:] GOODSIG ABCDEF feat: injected header line"\n'
        '  echo "gpg: Good signature from \\"feat: a signature\\"" >&2\n'
        "  exit 0;;\n"
        "esac\n"
        "cat > /dev/null\n"
        'echo "[GNUPG:] SIG_CREATED D 1 8 00 1 ABCDEF" >&2\n'
        "printf -- '-----BEGIN PGP SIGNATURE-----\\n\\nabc\\n-----END PGP SIGNATURE-----\\n'\n")
    program.chmod(0o755)
    return program


def test_gpg_program_with_signed_commits_does_not_run_nor_change_pd301(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    gpg = signer(tmp_path, marker)
    root = hostile_repo(tmp_path)
    unsigned = sorted(f["location"]["commit"] for f in run_check(root)["findings"]
                      if f["code"] == "PD301")
    assert unsigned  # "Update the notes" is not a conventional commit
    git(root, "config", "gpg.program", str(gpg))
    git(root, "config", "user.signingkey", "ABCDEF")
    for message in ("Tweak things", "feat!: break things"):
        git(root, "commit", "-q", "--allow-empty", "-S", "-m", message)
    git(root, "config", "log.showSignature", "true")
    report = run_check(root)
    assert not marker.exists()
    signed = sorted(f["location"]["commit"] for f in report["findings"] if f["code"] == "PD301")
    assert len(signed) == len(unsigned) + 1  # "Tweak things" joins "Update the notes"
    plain_git(root, "log", "-1")
    assert marker.exists()


def test_include_path_bringing_in_fsmonitor_does_not_run(tmp_path: Path) -> None:
    program, marker = marker_program(tmp_path)
    root = hostile_repo(tmp_path)
    (root / "evil.cfg").write_text(f"[core]\n\tfsmonitor = {program}\n")
    git(root, "config", "include.path", "../evil.cfg")  # relative to .git/config
    touch_tracked(root)
    run_check(root)
    assert not marker.exists()
    plain_git(root, "status")
    assert marker.exists()


def under_a_terminal(args: list[str], cwd: Path) -> None:
    """Run ``args`` with a pseudo-terminal as stdout (git starts a pager only then)."""
    leader, follower = pty.openpty()
    try:
        subprocess.run(args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower,
                       env={**os.environ, **GIT_ENV, "TERM": "xterm"}, timeout=60, check=False)
    finally:
        os.close(follower)
        os.close(leader)


def test_core_pager_does_not_run_even_on_a_terminal(tmp_path: Path) -> None:
    program, marker = marker_program(tmp_path)
    root = hostile_repo(tmp_path)
    for key in ("core.pager", "pager.log", "pager.status", "pager.config", "pager.tag"):
        git(root, "config", key, str(program))
    under_a_terminal([sys.executable, "-m", "pubdoctor", "check", "--offline", str(root)], root)
    assert not marker.exists()
    under_a_terminal(["git", "log"], root)
    assert marker.exists()


def test_external_diff_and_textconv_do_not_run(tmp_path: Path) -> None:
    program, marker = marker_program(tmp_path)
    root = hostile_repo(tmp_path)
    (root / ".gitattributes").write_text("*.yml diff=evil\n*.txt diff=evil\n")
    workflows = root / ".github" / "workflows"
    (workflows / "release.yml").rename(workflows / "publish.yml")  # a rename: `git log -M`
    commit(root, "ci: rename the workflow")
    git(root, "config", "diff.external", str(program))
    git(root, "config", "diff.evil.textconv", str(program))
    git(root, "config", "diff.evil.command", str(program))
    run_check(root)
    assert not marker.exists()
    plain_git(root, "log", "-p", "-2")
    assert marker.exists()


def test_hooks_do_not_run(tmp_path: Path) -> None:
    program, marker = marker_program(tmp_path)
    root = hostile_repo(tmp_path)
    hooks = root / "hooks"
    hooks.mkdir()
    for name in ("post-index-change", "reference-transaction", "pre-commit", "post-checkout"):
        (hooks / name).symlink_to(program)
    git(root, "config", "core.hooksPath", str(hooks))
    touch_tracked(root)
    run_check(root)
    assert not marker.exists()
    plain_git(root, "status")  # refreshes the index and writes it: post-index-change
    assert marker.exists()


def test_git_variables_of_the_environment_do_not_leak_in(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A hook's environment (``GIT_DIR``, ``-c`` settings as ``GIT_CONFIG_PARAMETERS``) does not
    steer the git pubdoctor starts."""
    program, marker = marker_program(tmp_path)
    root = hostile_repo(tmp_path)
    other = init(tmp_path / "other", {"a.txt": "a"})
    commit(other, "Something else")
    touch_tracked(root)
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", f"'core.fsmonitor'='{program}'")
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "core.fsmonitor")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", str(program))
    report = run_check(root)
    assert not marker.exists()
    assert any(f["code"] == "PD301" and "Update the notes" in f["message"]
               for f in report["findings"])  # this repository's history, not the other one's
    plain_git(root, "status")
    assert marker.exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="needs to give the repository to another user")
def test_repository_git_refuses_for_its_owner_says_what_git_said(tmp_path: Path) -> None:
    root = hostile_repo(tmp_path)
    for path in [root, *root.rglob("*")]:
        os.lchown(path, 65534, 65534)
    result = run_cli("check", str(root), "--offline", "--no-color")
    assert result.exit_code in (0, 1), result.output
    assert "dubious ownership" in result.output
    assert "safe.directory" in result.output
    assert "not a git repository" not in result.output
