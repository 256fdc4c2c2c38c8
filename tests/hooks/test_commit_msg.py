"""The pubdoctor-commit-msg hook: unit checks, then installed by the real pre-commit tool."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GIT_ENV, git
from history_repo import init
from pubdoctor.hooks.commit_msg import SCISSORS, check_message, clean, main

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def test_clean_strips_comments_and_everything_below_the_scissors() -> None:
    raw = ("feat: add x\n\n\nbody line  \n# Please enter the commit message\n"
           f"# {SCISSORS}\ndiff --git a/x b/x\n+feat\n")
    assert clean(raw) == "feat: add x\n\nbody line"
    assert clean("# only comments\n\n") == ""


@pytest.mark.parametrize("message", [
    "feat: add x",
    "fix(parser)!: drop y\n\nBREAKING CHANGE: z",
    "Merge branch 'topic'",
    "Merge branch 'topic' into main",
    "Merge remote-tracking branch 'origin/main'",
    "Merge pull request #1 from octo/topic\n\nfeat: x",
    "Merge tag 'v1.0.0'",
    'Revert "feat: add x"\n\nThis reverts commit 1234567.',
    'Reapply "feat: add x"',
    "fixup! feat: add x",
    "squash! feat: add x",
    "amend! feat: add x",
    "",
])
def test_accepted(message: str) -> None:
    assert check_message(message, None) is None


def test_refused_with_rule_and_example() -> None:
    problem = check_message("Added the thing", None)
    assert problem is not None
    assert "rule 1: Commits MUST be prefixed with a type" in problem
    assert "a good one: feat: added the thing" in problem
    assert "conventionalcommits.org" in problem


def test_configured_types_are_enforced_as_written() -> None:
    types = ("feat", "fix", "docs")
    assert check_message("docs: x", types, "[tool.pubdoctor] commit-types") is None
    problem = check_message("wip: x", types, "[tool.pubdoctor] commit-types")
    assert problem is not None and "not one of the types configured in [tool.pubdoctor]" in problem
    problem = check_message("Feat: x", types, "python-semantic-release")
    assert problem is not None and "use `feat`" in problem and "a good one: feat: x" in problem


def test_main_reads_the_project_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    message = tmp_path / "MSG"
    message.write_text("perf: faster\n")
    assert main([str(message)]) == 0
    (tmp_path / "pyproject.toml").write_text('[tool.pubdoctor]\ncommit-types = ["feat", "fix"]\n')
    assert main([str(message)]) == 1
    assert "not one of the types configured" in capsys.readouterr().err
    (tmp_path / "pyproject.toml").write_text("[tool.semantic_release]\n")
    assert main([str(message)]) == 0  # perf is one of PSR's default tags
    message.write_text("revert: x\n")
    assert main([str(message)]) == 1
    (tmp_path / "pyproject.toml").write_text("[tool.commitizen]\n")
    assert main([str(message)]) == 0  # ...and one of commitizen's
    assert main([]) == 2 and main([str(tmp_path / "missing")]) == 2


def test_manifest_is_valid_for_pre_commit(tmp_path: Path) -> None:
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    result = subprocess.run([str(BIN / "pre-commit"), "validate-manifest",
                             str(REPO_ROOT / ".pre-commit-hooks.yaml")],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _manifest_hook(hook_id: str) -> dict:
    from ruamel.yaml import YAML

    hooks = YAML(typ="safe", pure=True).load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    return next(h for h in hooks if h["id"] == hook_id)


def test_installed_by_pre_commit_accepts_and_refuses_commits(tmp_path: Path) -> None:
    """The hook as the manifest declares it, installed by the real pre-commit as a `local` hook
    (``language: system``, the venv's console script) so that no network is needed."""
    hook = _manifest_hook("pubdoctor-commit-msg")
    assert hook["stages"] == ["commit-msg"]
    root = init(tmp_path / "project", {
        ".pre-commit-config.yaml": f"""
            default_install_hook_types: [commit-msg]
            repos:
              - repo: local
                hooks:
                  - id: {hook["id"]}
                    name: {hook["name"]}
                    entry: {BIN / hook["entry"]}
                    language: system
                    stages: {hook["stages"]}
        """,
        "pyproject.toml": '[tool.pubdoctor]\ncommit-types = ["feat", "fix", "docs", "chore"]\n',
    })
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    installed = subprocess.run([str(BIN / "pre-commit"), "install", "--hook-type", "commit-msg"],
                               cwd=root, env=env, capture_output=True, text=True)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert (root / ".git" / "hooks" / "commit-msg").is_file()

    def attempt(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True)

    git(root, "add", "-A")
    good = attempt("commit", "-q", "--no-gpg-sign", "-m", "chore: set up the project")
    assert good.returncode == 0, good.stdout + good.stderr

    bad = attempt("commit", "-q", "--no-gpg-sign", "--allow-empty", "-m", "Added a thing")
    assert bad.returncode != 0
    assert "rule 1: Commits MUST be prefixed with a type" in bad.stdout + bad.stderr
    assert "a good one: feat: added a thing" in bad.stdout + bad.stderr

    unknown_type = attempt("commit", "-q", "--no-gpg-sign", "--allow-empty", "-m", "perf: faster")
    assert unknown_type.returncode != 0
    assert "not one of the types configured" in unknown_type.stdout + unknown_type.stderr

    # merges and reverts with the messages git writes, and fixups, go through
    git(root, "switch", "-q", "-c", "topic")
    assert attempt("commit", "-q", "--no-gpg-sign", "--allow-empty", "-m", "feat: on topic").returncode == 0
    fixup = attempt("commit", "-q", "--no-gpg-sign", "--allow-empty", "--fixup", "HEAD")
    assert fixup.returncode == 0, fixup.stdout + fixup.stderr
    git(root, "switch", "-q", "main")
    assert attempt("commit", "-q", "--no-gpg-sign", "--allow-empty", "-m", "docs: on main").returncode == 0
    merged = attempt("merge", "-q", "--no-ff", "--no-edit", "topic")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    (root / "file.txt").write_text("x")
    assert attempt("add", "file.txt").returncode == 0
    assert attempt("commit", "-q", "--no-gpg-sign", "-m", "feat: add file").returncode == 0
    # an edited message: git's instructions and `-v`'s scissors and diff reach the hook
    (root / "file.txt").write_text("y")
    git(root, "add", "file.txt")
    edited = subprocess.run(["git", "-c", "core.commentChar=;", "commit", "-q", "--no-gpg-sign",
                             "-e", "-v", "-m", "fix: edit the file"], cwd=root,
                            env={**env, "GIT_EDITOR": "true"}, capture_output=True, text=True)
    assert edited.returncode == 0, edited.stdout + edited.stderr
    reverted = attempt("revert", "--no-edit", "HEAD")
    assert reverted.returncode == 0, reverted.stdout + reverted.stderr
    subjects = git(root, "log", "--format=%s").splitlines()
    assert subjects[0] == 'Revert "fix: edit the file"'
    assert "Merge branch 'topic'" in subjects and "Added a thing" not in subjects


def test_pubdoctor_check_hook_blocks_a_broken_workflow(tmp_path: Path) -> None:
    """The `pubdoctor-check` hook as the manifest declares it (entry, files, pass_filenames)."""
    hook = _manifest_hook("pubdoctor-check")
    assert hook["pass_filenames"] is False
    command, _, options = hook["entry"].partition(" ")
    root = init(tmp_path / "project", {
        ".pre-commit-config.yaml": f"""
            repos:
              - repo: local
                hooks:
                  - id: {hook["id"]}
                    name: {hook["name"]}
                    entry: {BIN / command} {options}
                    language: system
                    pass_filenames: false
                    files: '{hook["files"]}'
        """,
        "README.md": "demo\n",
    })
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    installed = subprocess.run([str(BIN / "pre-commit"), "install"], cwd=root, env=env,
                               capture_output=True, text=True)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    def commit_all(message: str) -> subprocess.CompletedProcess[str]:
        git(root, "add", "-A")
        return subprocess.run(["git", "commit", "-q", "--no-gpg-sign", "-m", message], cwd=root,
                              env=env, capture_output=True, text=True)

    assert commit_all("docs: readme").returncode == 0  # no workflow touched: the hook is skipped
    workflow = root / ".github" / "workflows" / "release.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("on: push\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n"
                        "      - uses: pypa/gh-action-pypi-publish@release/v1\n")
    refused = commit_all("ci: publish")
    assert refused.returncode != 0
    assert "PD101 [missing-id-token]" in refused.stdout + refused.stderr


def test_configured_types_are_cached_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pubdoctor.hooks import commit_msg

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.pubdoctor]\ncommit-types = ["feat", "fix"]\n')
    assert commit_msg.project_types() == (("feat", "fix"), "[tool.pubdoctor] commit-types")
    cache = tmp_path / "cache" / "pubdoctor" / "commit-types.tsv"
    assert "feat,fix" in cache.read_text()
    monkeypatch.setattr(commit_msg, "configured_types", lambda data: pytest.fail("not cached"))
    assert commit_msg.project_types() == (("feat", "fix"), "[tool.pubdoctor] commit-types")
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    pyproject.write_text('[tool.pubdoctor]\ncommit-types = ["feat", "fix", "docs"]\n')
    assert commit_msg.project_types(str(pyproject))[0] == ("feat", "fix", "docs")
    pyproject.write_text("[tool.semantic_release]\n")
    assert commit_msg.project_types(str(pyproject))[1].startswith("[tool.semantic_release]")
    cache.write_bytes(b"\xff\xfe garbage")
    assert commit_msg.project_types(str(pyproject))[0] is not None  # a broken cache is ignored
    (tmp_path / "no-config.toml").write_text("[project]\nname = 'x'\n")
    assert commit_msg.project_types(str(tmp_path / "no-config.toml")) == (None, "")


def test_custom_comment_char_is_read_from_git_lines() -> None:
    raw = ("feat: add x\n\n# not a comment: a markdown heading\n"
           "; Please enter the commit message for your changes. Lines starting\n"
           "; with ';' will be ignored.\n"
           f"; {SCISSORS}\n; Do not modify or remove the line above.\ndiff\n")
    assert clean(raw) == "feat: add x\n\n# not a comment: a markdown heading"


def test_hook_start_up_imports_no_heavy_module(tmp_path: Path) -> None:
    """What `python -X importtime` shows, as a check: no pydantic, gitpython or click."""
    (tmp_path / "pyproject.toml").write_text("[tool.semantic_release]\n")
    (tmp_path / "MSG").write_text("feat: x\n")
    code = ("import sys\nfrom pubdoctor.hooks.commit_msg import main\nstatus = main(['MSG'])\n"
            "print(status, ' '.join(sorted(sys.modules)))")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                            capture_output=True, text=True, check=True)
    status, modules = result.stdout.split(" ", 1)
    loaded = set(modules.split())
    assert status == "0"
    assert not {m for m in loaded if m.split(".")[0] in ("pydantic", "git", "gitdb", "click",
                                                         "ruamel", "packaging")}
    assert {"tomllib", "tomli"} & loaded  # read once: the cache was cold (tomli below 3.11)
    second = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                            capture_output=True, text=True, check=True)
    assert "tomllib" not in second.stdout.split()  # ...and then kept by content


def test_main_with_a_pyproject_nested_too_deeply_checks_with_the_defaults(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    message = tmp_path / "MSG"
    message.write_text("feat: x\n")
    (tmp_path / "pyproject.toml").write_text("[tool.commitizen]\nx = " + "[" * 5000 + "]" * 5000 + "\n")
    assert main([str(message)]) == 0


@pytest.mark.parametrize("subject,types,example", [
    ("Add a new feature", None, "feat: add a new feature"),
    ("introduce a cache", None, "feat: introduce a cache"),
    ("feature: add x", ("feat", "fix", "docs"), "feat: add x"),
    ("Docs: update", ("feat", "fix", "docs"), "docs: update"),
    ("Update the readme", None, "docs: update the readme"),
    ("Fix a typo in the documentation", None, "docs: fix a typo in the documentation"),
    ("Fixed the crash", None, "fix: fixed the crash"),
    ("Bugfix: crash on start", ("feat", "fix"), "fix: crash on start"),
    ("Feat: x", ("feat", "fix", "docs"), "feat: x"),
    # no clear type: no type at all, never a guessed `fix`
    ("WIP", None, "<type>: WIP (choose the type: feat, fix, docs, refactor, test, chore, ...)"),
    ("update stuff", ("feat", "fix", "docs"),
     "<type>: update stuff (choose the type: feat, fix, docs)"),
    # a clear type the project does not allow is not suggested
    ("Update the readme", ("feat", "fix"), "<type>: update the readme (choose the type: feat, fix)"),
    ("Add x", ("Feature", "Fix"), "<type>: add x (choose the type: Feature, Fix)"),
])
def test_the_suggestion_takes_its_type_from_the_words(subject: str, types: tuple[str, ...] | None,
                                                      example: str) -> None:
    problem = check_message(subject, types, "pyproject.toml")
    assert problem is not None and f"a good one: {example}" in problem
    assert "fix: wIP" not in problem
