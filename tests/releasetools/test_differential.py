"""pubdoctor's next version against the real tools' on real repositories.

Each case is a real git repository (its configuration, its commits and tags, its branch); the
real python-semantic-release (``semantic-release --noop version --print``) and commitizen
(``cz bump --get-next --yes``, which decides exactly as ``cz bump --dry-run --yes`` does) run
in it as subprocesses, with no network (a local bare repository is the ``origin`` python-
semantic-release wants) and no token. A disagreement is a bug in pubdoctor's model
(`pubdoctor.sources.nextversion`), never in the test.

The repositories and the tools' answers are built once per module: the tests only compare.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import GIT_ENV

Step = "str | tuple[str, str]"  # a commit message, or (message, tag)


@dataclass
class Case:
    name: str
    tool: str  # "psr" or "cz"
    config: str  # the [tool.semantic_release] / [tool.commitizen] table's body
    history: list = field(default_factory=list)
    version: str = "0.1.0"  # [project].version
    branch: str = "main"
    merge: bool = False  # the last two commits come from a merged side branch
    side_tag: str | None = None  # a tag on a branch HEAD does not contain (higher than the others)


def psr(name: str, history: list, config: str = "", **kw: object) -> Case:
    return Case(name, "psr", config, history, **kw)  # type: ignore[arg-type]


def cz(name: str, history: list, config: str = 'version = "0.1.0"', **kw: object) -> Case:
    return Case(name, "cz", config, history, **kw)  # type: ignore[arg-type]


ZERO = "allow_zero_version = true"
NO_MAJOR_ON_ZERO = "allow_zero_version = true\nmajor_on_zero = false"
PRE_BRANCH = """
[tool.semantic_release.branches.main]
match = "main"
[tool.semantic_release.branches.beta]
match = "beta"
prerelease = true
prerelease_token = "beta"
"""

CASES = [
    # python-semantic-release 10: allow_zero_version false (its default)
    psr("psr-first-fix", ["fix: a"]),
    psr("psr-first-chore-only", ["chore: a", "docs: b"]),
    psr("psr-first-not-conventional", ["initial commit", "update"]),
    psr("psr-zero-tag-fix", [("feat: a", "v0.1.0"), "fix: b"]),
    psr("psr-zero-tag-nothing", [("feat: a", "v0.1.0"), "chore: b"]),
    psr("psr-one-tag-fix", [("feat: a", "v1.0.0"), "fix: b"]),
    psr("psr-one-tag-feat", [("feat: a", "v1.0.0"), "fix: b", "feat: c"]),
    psr("psr-one-tag-breaking", [("feat: a", "v1.2.3"), "feat!: c"]),
    psr("psr-one-tag-breaking-footer", [("feat: a", "v1.2.3"), "fix: c\n\nBREAKING CHANGE: gone"]),
    psr("psr-one-tag-nothing", [("feat: a", "v1.0.0"), "chore: b", "docs: c"]),
    psr("psr-one-tag-unreadable", [("feat: a", "v1.0.0"), "Fix: b", "feature: c"]),
    psr("psr-head-is-tag", [("feat: a", "v1.4.0")]),
    psr("psr-tag-without-v", [("feat: a", "1.0.0"), "fix: b"]),
    psr("psr-tag-format-plain", [("feat: a", "1.0.0"), "fix: b"], 'tag_format = "{version}"'),
    psr("psr-tag-format-custom", [("feat: a", "pkg-v2.0.0"), ("fix: b", "v9.0.0"), "feat: c"],
        'tag_format = "pkg-v{version}"'),
    psr("psr-highest-tag-wins", [("feat: a", "v1.0.0"), ("fix: b", "v1.0.1"), "perf: c"]),
    psr("psr-prerelease-tag-on-main", [("feat: a", "v1.0.0"), ("feat: b", "v1.1.0-rc.1"), "fix: c"]),
    psr("psr-perf", [("feat: a", "v2.0.0"), "perf: b"]),
    psr("psr-scope", [("feat: a", "v2.0.0"), "fix(core): b", "feat(api)!: c"]),
    # allow_zero_version = true, major_on_zero
    psr("psr-zero-first-fix", ["fix: a"], ZERO),
    psr("psr-zero-first-feat", ["chore: a", "feat: b"], ZERO),
    psr("psr-zero-first-nothing", ["chore: a"], ZERO),
    psr("psr-zero-first-breaking", ["feat!: a"], ZERO),
    psr("psr-zero-breaking-major-on-zero-false", [("feat: a", "v0.3.0"), "feat!: b"], NO_MAJOR_ON_ZERO),
    psr("psr-zero-breaking-major-on-zero", [("feat: a", "v0.3.0"), "feat!: b"], ZERO),
    psr("psr-zero-nothing", [("feat: a", "v0.3.0"), "ci: b"], ZERO),
    psr("psr-zero-feat", [("feat: a", "v0.3.2"), "feat: b"], ZERO),
    psr("psr-zero-first-breaking-no-major", ["feat!: a"], NO_MAJOR_ON_ZERO),
    # pre-release branches
    psr("psr-beta-first", [("feat: a", "v1.0.0"), "feat: b"], PRE_BRANCH, branch="beta"),
    psr("psr-beta-next", [("feat: a", "v1.0.0"), ("feat: b", "v1.1.0-beta.1"), "fix: c"],
        PRE_BRANCH, branch="beta"),
    psr("psr-beta-bigger", [("feat: a", "v1.0.0"), ("fix: b", "v1.0.1-beta.1"), "feat: c"],
        PRE_BRANCH, branch="beta"),
    psr("psr-main-after-beta", [("feat: a", "v1.0.0"), ("feat: b", "v1.1.0-beta.2"), "fix: c"],
        PRE_BRANCH),
    psr("psr-custom-tags", [("feat: a", "v1.0.0"), "docs: b"],
        '[tool.semantic_release.commit_parser_options]\npatch_tags = ["fix", "docs"]'),
    psr("psr-merge", [("feat: a", "v1.0.0"), "fix: side", "docs: side"], merge=True),
    # commitizen
    cz("cz-first-yes-fix", ["fix: a"]),
    cz("cz-first-feat", ["feat: a", "fix: b"]),
    cz("cz-first-breaking-zero", ["feat!: a"]),
    cz("cz-breaking-major-version-zero", [("feat: a", "0.1.0"), "feat!: b"],
       'version = "0.1.0"\nmajor_version_zero = true'),
    cz("cz-tag-v-default-format", [("feat: a", "v0.1.0"), "fix: b"]),
    cz("cz-tag-format-v", [("feat: a", "v0.1.0"), "fix: b"], 'version = "0.1.0"\ntag_format = "v$version"'),
    cz("cz-tag-format-v-nothing", [("feat: a", "v0.1.0"), "docs: b"],
       'version = "0.1.0"\ntag_format = "v$version"'),
    cz("cz-no-commits", [("feat: a", "0.1.0")]),
    cz("cz-one-fix", [("feat: a", "1.2.3"), "fix: b"], 'version = "1.2.3"'),
    cz("cz-one-feat", [("feat: a", "1.2.3"), "refactor: b", "feat: c"], 'version = "1.2.3"'),
    cz("cz-one-breaking", [("feat: a", "1.2.3"), "fix: b\n\nBREAKING CHANGE: c"], 'version = "1.2.3"'),
    cz("cz-loose-keyword", [("feat: a", "1.2.3"), "feat:no space"], 'version = "1.2.3"'),
    cz("cz-pep621", [("feat: a", "2.0.0"), "perf: b"], 'version_provider = "pep621"', version="2.0.0"),
    cz("cz-prerelease-finalize", [("feat: a", "1.0.0a1"), "docs: b"], 'version = "1.0.0a1"'),
    cz("cz-prerelease-patch", [("feat: a", "1.0.0a1"), "fix: b"], 'version = "1.0.0a1"'),
    cz("cz-prerelease-minor-over", [("feat: a", "1.0.1a1"), "feat: b"], 'version = "1.0.1a1"'),
    psr("psr-unreachable-higher-tag", [("feat: a", "v1.0.0"), "fix: b"], side_tag="v3.0.0"),
    psr("psr-squashed-body", [("feat: a", "v1.0.0"), "Add things (#12)\n\n* feat: a new thing\n\n* docs: readme"]),
    psr("psr-default-bump-level", [("feat: a", "v1.0.0"), "docs: b"],
        "[tool.semantic_release.commit_parser_options]\ndefault_bump_level = 2"),
    psr("psr-zero-tag-breaking-footer-no-major", [("feat: a", "v0.2.0"), "fix: b\n\nBREAKING CHANGE: x"],
        NO_MAJOR_ON_ZERO),
    cz("cz-tag-format-parts", [("feat: a", "v1.0.0"), "fix: b"],
       'version = "1.0.0"\ntag_format = "v$major.$minor.$patch$prerelease"'),
    cz("cz-refactor-patch", [("feat: a", "1.0.0"), "refactor: b", "docs: c"], 'version = "1.0.0"'),
    cz("cz-merge", [("feat: a", "1.0.0"), "docs: side", "feat(x): side"], 'version = "1.0.0"', merge=True),
    cz("cz-major-version-zero-feat", [("feat: a", "0.3.1"), "feat: b"],
       'version = "0.3.1"\nmajor_version_zero = true'),
    cz("cz-unreachable-tag-ignored", [("feat: a", "1.0.0"), "fix: b"], 'version = "1.0.0"',
       side_tag="1.5.0"),
    cz("cz-legacy-format", [("feat: a", "ver1.0.0"), "fix: b"],
       'version = "1.0.0"\ntag_format = "v$version"\nlegacy_tag_formats = ["ver$version"]'),
]


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}, timeout=60).stdout


def _build(case: Case, base: Path, origin: Path) -> Path:
    root = base / case.name
    root.mkdir()
    table = "semantic_release" if case.tool == "psr" else "commitizen"
    pyproject = (f'[project]\nname = "demo"\nversion = "{case.version}"\n\n'
                 f"[tool.{table}]\n{textwrap.dedent(case.config).strip()}\n")
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "commit.gpgsign", "false")
    _git(root, "config", "tag.gpgsign", "false")
    _git(root, "remote", "add", "origin", str(origin))
    history = list(case.history)
    side = history[-2:] if case.merge else []
    if side:
        history = history[:-2]
    for number, item in enumerate(history):
        message, tag = (item, None) if isinstance(item, str) else item
        if number:
            (root / f"f{number}.txt").write_text(message, encoding="utf-8")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "--allow-empty", "-m", message)
        if tag:
            _git(root, "tag", tag)
    if side:
        _git(root, "checkout", "-q", "-b", "side")
        for number, message in enumerate(side):
            (root / f"side{number}.txt").write_text(message, encoding="utf-8")
            _git(root, "add", "-A")
            _git(root, "commit", "-q", "-m", message)
        _git(root, "checkout", "-q", "main")
        _git(root, "merge", "-q", "--no-ff", "-m", "Merge branch 'side'", "side")
    if case.side_tag:
        _git(root, "checkout", "-q", "-b", "other", "HEAD~1")
        _git(root, "commit", "-q", "--allow-empty", "-m", "feat!: elsewhere")
        _git(root, "tag", case.side_tag)
        _git(root, "checkout", "-q", "main")
    if case.branch != "main":
        _git(root, "checkout", "-q", "-b", case.branch)
    return root


def _tool_answer(case: Case, root: Path) -> str | None:
    """What the real tool prints as the next version; None when it makes no release."""
    env = {**os.environ, **GIT_ENV}
    for name in ("GH_TOKEN", "GITHUB_TOKEN", "GITLAB_TOKEN", "GITEA_TOKEN", "BITBUCKET_TOKEN",
                 "GITHUB_ACTIONS", "CI"):
        env.pop(name, None)
    bindir = Path(sys.executable).parent
    if case.tool == "psr":
        command = [str(bindir / "semantic-release"), "--noop", "version", "--print"]
    else:
        command = [str(bindir / "cz"), "--no-raise", "21,3", "bump", "--get-next", "--yes"]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, env=env, timeout=120)
    if case.tool == "cz" and ("NO_COMMITS_TO_BUMP" in result.stdout + result.stderr
                              or "NO_COMMITS_FOUND" in result.stdout + result.stderr):
        return None
    assert result.returncode == 0, (command, result.stdout, result.stderr)
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    return lines[-1].strip()


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str | None]]:
    """Every case's repository and the real tool's answer, built once (two at a time)."""
    for tool in ("semantic-release", "cz"):
        if shutil.which(tool, path=str(Path(sys.executable).parent)) is None:
            pytest.fail(f"{tool} is not installed: `pip install -e .[test]`")
    base = tmp_path_factory.mktemp("differential")
    home = base / "home"
    home.mkdir()
    origin = base / "origin.git"
    _git(base, "init", "-q", "--bare", str(origin))
    old = {k: os.environ.get(k) for k in ("HOME", "XDG_CONFIG_HOME")}
    os.environ["HOME"], os.environ["XDG_CONFIG_HOME"] = str(home), str(home / ".config")
    try:
        roots = {case.name: _build(case, base, origin) for case in CASES}
        with ThreadPoolExecutor(max_workers=2) as pool:
            printed = dict(zip([c.name for c in CASES],
                               pool.map(lambda c: _tool_answer(c, roots[c.name]), CASES)))
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return {name: (roots[name], printed[name]) for name in roots}


def _predict(root: Path):  # noqa: ANN202 - a Prediction
    from pubdoctor.context import Context
    from pubdoctor.settings import Settings

    context = Context(Settings(root=root, offline=True))
    predictions = context.get("predictions")
    assert len(predictions) == 1, predictions
    return predictions[0]


def test_matrix_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    assert {c.tool for c in CASES} == {"psr", "cz"}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_next_version_is_the_tools(case: Case, answers: dict) -> None:
    root, printed = answers[case.name]
    prediction = _predict(root)
    assert prediction.known, prediction
    if case.tool == "psr":
        # PSR prints the current version when it makes no release
        assert prediction.printed == printed, prediction
    else:
        assert prediction.next_version == printed, prediction

