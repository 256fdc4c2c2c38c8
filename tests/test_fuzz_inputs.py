"""Wrongly-typed but valid inputs never crash a command (hand-written cases and hypothesis).

Workflow YAML is fuzzed in test_fuzz_workflows.py; this file feeds everything else a
repository holds: pyproject.toml tables with values of the wrong type, release-tool JSON that
is broken, binary or huge, a ``dist/`` holding things that are not distributions, odd git
states, and scripts a ``run:`` step calls that are not text. Every case runs ``check``,
``claims`` and ``diagnose LOG --repo ROOT`` in-process and asserts what a user must see: exit
0, 1 or 2, no traceback, no "internal error", an exit 2 with one line naming a file, and a
repository left exactly as it was.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import git, run_cli

LOG = Path(__file__).parent / "diagnose" / "logs" / "local-version__warehouse-now.log"

PYPROJECT = """\
[build-system]
requires = ["hatchling", "hatch-vcs"]
build-backend = "hatchling.build"

[project]
name = "sample"
dynamic = ["version"]
"""

WORKFLOW = """\
on:
  push:
    tags: ["v*"]
jobs:
  publish:
    runs-on: ubuntu-latest
    environment: pypi
    permissions:
      id-token: write
      contents: write
    steps:
      - uses: actions/checkout@v4
      - uses: python-semantic-release/python-semantic-release@v9
      - run: make release
      - run: ./scripts/publish.sh
      - run: python -m build
      - uses: pypa/gh-action-pypi-publish@release/v1
"""

MAKEFILE = "release:\n\tpython -m build\n"
SCRIPT = "#!/bin/sh\ntwine upload dist/*\n"

BASE: dict[str, str | bytes] = {
    "pyproject.toml": PYPROJECT,
    ".github/workflows/release.yml": WORKFLOW,
    "Makefile": MAKEFILE,
    "scripts/publish.sh": SCRIPT,
}

HUGE = 3 * 1024 * 1024
BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe" * 64


def listing(root: Path) -> list[tuple[str, int, int]]:
    """Every path under ``root`` with its size and mtime (``.git`` included: no writes there either)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            stat = path.lstat()
            found.append((str(path.relative_to(root)), stat.st_size if path.is_file() else 0,
                          stat.st_mtime_ns))
    return sorted(found)


def write(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write ``BASE`` updated with ``files`` (None removes a base file) under ``root``."""
    merged: dict[str, str | bytes | None] = {**BASE, **files}
    for rel, content in merged.items():
        if content is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def assert_sane(result, names: list[str]) -> None:  # type: ignore[no-untyped-def]
    output = result.output + (result.stderr or "")
    assert result.exit_code in (0, 1, 2), output
    assert "Traceback" not in output, output
    assert "internal error" not in output, output
    if result.exit_code == 2:
        errors = [line for line in result.stderr.splitlines() if line.startswith("pubdoctor: error:")]
        assert len(errors) == 1, result.stderr
        assert any(name in errors[0] for name in names), (names, result.stderr)


def run_all(root: Path, names: list[str]) -> None:
    """``check``, ``check --format json``, ``claims`` and ``diagnose`` on ``root``: all sane, no writes."""
    before = listing(root)
    names = [*names, *(Path(n).name for n in names), *(Path(n).parts[0] for n in names if n)]
    for args in (("check", str(root), "--offline", "--format", "json"),
                 ("claims", "--offline", str(root), "--no-color"),
                 ("diagnose", str(LOG), "--repo", str(root), "--no-color")):
        result = run_cli(*args)
        assert_sane(result, names)
        assert listing(root) == before, f"{args[0]} wrote into the repository"


def toml_value(value: object) -> str:
    """A TOML literal for ``value`` (inline tables and arrays; strings JSON-escaped, which TOML reads)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, RawToml):
        return value.text
    raise TypeError(value)


class RawToml:
    """A literal written as is (dates and times, which JSON cannot spell)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def pyproject_with(table: str, key: str, value: object, base: str = PYPROJECT) -> str:
    """``base`` plus ``key = value`` in ``[table]`` (a fresh table when ``base`` has none)."""
    line = f"{json.dumps(key)} = {toml_value(value)}"
    header = f"[{table}]"
    if header + "\n" in base:
        return base.replace(header + "\n", header + "\n" + line + "\n", 1)
    return base + f"\n{header}\n{line}\n"


# -- pyproject.toml: every table a rule reads, every key with a value of the wrong type ---------

TOML_CASES: list[tuple[str, str, object]] = [
    ("project", "name", 1),
    ("project", "name", ["sample"]),
    ("project", "version", ["1"]),
    ("project", "version", 1.5),
    ("project", "version", RawToml("1979-05-27")),
    ("project", "dynamic", "version"),
    ("project", "dynamic", [1, 2]),
    ("project", "readme", 3),
    ("project", "requires-python", [">=3.9"]),
    ("project", "urls", "https://example.invalid"),
    ("project", "license", [1]),
    ("build-system", "requires", "x"),
    ("build-system", "requires", [1, {"a": 1}]),
    ("build-system", "build-backend", 3),
    ("tool.hatch", "version", "vcs"),
    ("tool.hatch.version", "source", 3),
    ("tool.hatch.version", "raw-options", "x"),
    ("tool.pdm", "version", ["scm"]),
    ("tool.pdm.version", "source", {"a": 1}),
    ("tool.setuptools.dynamic", "version", 3),
    ("tool.setuptools.dynamic", "version", "x"),
    ("tool.setuptools.dynamic", "version", {"attr": 3}),
    ("tool.setuptools.dynamic", "version", {"file": [1]}),
    ("tool.setuptools_scm", "version_file", 3),
    ("tool.setuptools_scm", "tag_regex", []),
    ("tool.scikit-build", "metadata", "x"),
    ("tool.scikit-build.metadata", "version", "x"),
    ("tool.scikit-build.metadata", "version", {"provider": 3}),
    ("tool.poetry-dynamic-versioning", "enable", "yes"),
    ("tool.poetry-dynamic-versioning", "pattern", 3),
    ("tool.versioningit", "vcs", "x"),
    ("tool.semantic_release", "commit_parser", 3),
    ("tool.semantic_release", "commit_parser", ["angular"]),
    ("tool.semantic_release", "tag_format", []),
    ("tool.semantic_release", "tag_format", 3),
    ("tool.semantic_release", "commit_parser_options", "x"),
    ("tool.semantic_release", "commit_parser_options", {"allowed_tags": "feat"}),
    ("tool.semantic_release", "commit_parser_options", {"allowed_tags": [1, None is None]}),
    ("tool.semantic_release", "commit_parser_options", {"minor_tags": 3, "patch_tags": {"a": 1}}),
    ("tool.semantic_release", "commit_parser_options", {"default_bump_level": [1]}),
    ("tool.semantic_release", "commit_parser_options", {"default_bump_level": {"a": 1}}),
    ("tool.semantic_release", "commit_parser_options", {"parse_squash_commits": "no"}),
    ("tool.semantic_release", "allowed_tags", "feat"),
    ("tool.semantic_release", "parser_angular_allowed_types", 3),
    ("tool.semantic_release", "parser_angular_minor_types", [1]),
    ("tool.semantic_release", "parser_angular_default_level_bump", []),
    ("tool.semantic_release", "major_on_zero", "no"),
    ("tool.semantic_release", "version_toml", "pyproject.toml:project.version"),
    ("tool.semantic_release", "version_variables", 3),
    ("tool.semantic_release", "branches", "main"),
    ("tool.semantic_release", "build_command", 3),
    ("tool.semantic_release", "upload_to_pypi", "x"),
    ("tool.semantic_release.branches.main", "match", 3),
    ("tool.semantic_release.remote", "type", 3),
    ("tool.commitizen", "name", 3),
    ("tool.commitizen", "name", "cz_customize"),
    ("tool.commitizen", "tag_format", []),
    ("tool.commitizen", "tag_format", 3),
    ("tool.commitizen", "version", 1),
    ("tool.commitizen", "version_provider", []),
    ("tool.commitizen", "version_files", "x"),
    ("tool.commitizen", "major_version_zero", "yes"),
    ("tool.commitizen", "customize", "x"),
    ("tool.commitizen", "customize", {"schema_pattern": 3, "bump_pattern": [],
                                      "bump_map": {"feat": 3, "x": []}}),
    ("tool.commitizen", "customize", {"bump_map": "x", "schema_pattern": "(", "bump_pattern": "["}),
    ("tool.commitizen.customize", "bump_map", [1]),
    ("tool.pubdoctor", "select", "PD1"),
    ("tool.pubdoctor", "select", [1]),
    ("tool.pubdoctor", "ignore", 3),
    ("tool.pubdoctor", "timeout", "x"),
    ("tool.pubdoctor", "timeout", [1]),
    ("tool.pubdoctor", "timeout", RawToml("inf")),
    ("tool.pubdoctor", "timeout", -1),
    ("tool.pubdoctor", "severity", 3),
    ("tool.pubdoctor", "fail-on", "fatal"),
    ("tool.pubdoctor", "offline", "yes"),
    ("tool.pubdoctor", "index-url", {"a": 1}),
    ("tool.pubdoctor", "remote", []),
    ("tool.pubdoctor", "commit-types", "feat"),
    ("tool.pubdoctor", "commit-types", [1, 2]),
    ("tool.pubdoctor", "commit-types", {"a": 1}),
    ("tool.pubdoctor", "publisher", 3),
    ("tool.pubdoctor", "publisher", [1, 2]),
    ("tool.pubdoctor", "publisher", "x"),
    ("tool.pubdoctor", "publisher", []),
    ("tool.pubdoctor", "publisher", {"owner": 3, "repository": "r", "workflow": "w.yml"}),
    ("tool.pubdoctor", "publisher", {"owner": "o", "repository": ["r"], "workflow": "w.yml"}),
    ("tool.pubdoctor", "publisher", {"owner": "o", "repository": "r", "workflow": "w.yml",
                                     "environment": 3, "index": [], "project": {"a": 1}}),
    ("tool.pubdoctor", "publisher", {"owner": "o", "repository": "r", "workflow": "w.yml",
                                     "extra": 1}),
    ("tool.pubdoctor.publisher", "owner", 3),
    ("tool.poetry", "name", 3),
    ("tool.poetry", "version", ["1"]),
    ("tool.poetry", "packages", "x"),
    ("tool.poetry", "dependencies", "x"),
    ("tool.poetry", "source", "x"),
    ("tool.poetry", "source", [1]),
    ("tool.poetry", "source", [{"name": 3, "url": []}]),
    ("tool.uv", "publish-url", 3),
    ("tool.uv", "index", "x"),
    ("tool.uv", "index", [{"name": 3, "url": [], "publish-url": {}}]),
    ("tool.hatch.build.targets.wheel", "packages", "x"),
]


@pytest.mark.parametrize(("table", "key", "value"), TOML_CASES,
                         ids=[f"{t}.{k}={v!r}"[:70] for t, k, v in TOML_CASES])
def test_pyproject_value_of_the_wrong_type(tmp_path: Path, table: str, key: str, value: object) -> None:
    root = write(tmp_path / "repo", {"pyproject.toml": pyproject_with(table, key, value)})
    run_all(root, ["pyproject.toml"])


def test_pyproject_value_of_the_wrong_type_in_a_git_repository(tmp_path: Path) -> None:
    """The history rules read the release tools' settings too: a tagged git repository."""
    text = PYPROJECT
    for table, key, value in [("tool.semantic_release", "tag_format", []),
                              ("tool.semantic_release", "commit_parser_options", "x"),
                              ("tool.semantic_release", "allowed_tags", "feat"),
                              ("tool.commitizen", "tag_format", 3),
                              ("tool.commitizen", "name", 3),
                              ("tool.pubdoctor", "commit-types", [1, 2])]:
        text = pyproject_with(table, key, value, text)
    root = write(tmp_path / "repo", {"pyproject.toml": text})
    _commit(root, "feat: one", tag="v1.0.0")
    _commit(root, "fix: two")
    run_all(root, ["pyproject.toml"])


# -- release-tool JSON files: broken, wrong shape, binary, huge ---------------------------------

JSON_FILES = ["release-please-config.json", ".release-please-manifest.json", ".releaserc",
              ".releaserc.json", ".releaserc.yaml", "package.json"]
JSON_CONTENTS: list[tuple[str, str | bytes]] = [
    ("invalid", "{not json"),
    ("empty", ""),
    ("list", "[1, 2, 3]"),
    ("string", '"x"'),
    ("null", "null"),
    ("number", "3"),
    ("wrong-shape", json.dumps({
        "packages": {".": 3}, "changelog-sections": "x", "include-v-in-tag": "no", "release-type": [],
        "bump-minor-pre-major": "x", "tagFormat": 3, "plugins": 3, "release": 3, "branches": 3})),
    ("wrong-shape-deeper", json.dumps({
        "packages": {".": {"changelog-sections": [1, {"type": []}, {"type": {"a": 1}}],
                           "release-type": {"a": 1}}},
        "tagFormat": ["v${version}"],
        "plugins": [["@semantic-release/commit-analyzer", {"preset": 3, "releaseRules": 3}],
                    ["@semantic-release/commit-analyzer", {"releaseRules": "x"}],
                    ["@semantic-release/commit-analyzer", {"releaseRules": [1, {"type": [], "release": {}}]}],
                    ["@semantic-release/commit-analyzer", "x"], [], [3], 3, None],
        "release": {"plugins": {"a": 1}, "tagFormat": None}})),
    ("package-release-wrong", json.dumps({"name": 3, "release": {"plugins": 3, "tagFormat": []}})),
    # beyond the recursion limit of json and YAML (whose pure-Python parser takes about a
    # second to give up: only the JSON-only files get it, to keep this file fast)
    ("deep", "[" * 1_500 + "]" * 1_500),
    ("binary", BINARY),
    ("latin-1", '{"name": "caf\xe9"}'.encode("latin-1")),
    ("huge", b'{"x": "' + b"a" * HUGE + b'"}'),
    ("yaml-not-json", "tagFormat: [\nplugins: {"),
    ("yaml-wrong-shape", "tagFormat: 3\nplugins: 3\n"),
]


@pytest.mark.parametrize("name", JSON_FILES)
@pytest.mark.parametrize(("kind", "content"), JSON_CONTENTS, ids=[k for k, _ in JSON_CONTENTS])
def test_release_tool_json_that_is_not_what_it_should_be(tmp_path: Path, name: str, kind: str,
                                                         content: str | bytes) -> None:
    root = write(tmp_path / "repo", {name: content})
    run_all(root, [name])


def test_release_tool_json_that_is_a_directory(tmp_path: Path) -> None:
    root = write(tmp_path / "repo", {})
    for name in JSON_FILES:
        (root / name).mkdir()
    run_all(root, JSON_FILES)


# -- dist/: things that are not distributions --------------------------------------------------

def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _targz(members: dict[str, bytes]) -> bytes:
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


BIG_METADATA = b"Metadata-Version: 2.1\nName: sample\nVersion: 1.0\n\n" + b"x" * (6 * 1024 * 1024)
DIST_CASES: dict[str, dict[str, str | bytes]] = {
    "empty-wheel": {"dist/sample-1.0-py3-none-any.whl": b""},
    "empty-sdist": {"dist/sample-1.0.tar.gz": b""},
    "sdist-not-gzip": {"dist/sample-1.0.tar.gz": b"PK\x03\x04 this is not gzip"},
    "sdist-gzip-not-tar": {"dist/sample-1.0.tar.gz": gzip.compress(b"not a tar at all" * 100)},
    "sdist-truncated": {"dist/sample-1.0.tar.gz": _targz({"sample-1.0/PKG-INFO": b"x" * 5000})[:200]},
    "wheel-not-zip": {"dist/sample-1.0-py3-none-any.whl": BINARY},
    "wheel-truncated": {"dist/sample-1.0-py3-none-any.whl":
                        _zip({"sample-1.0.dist-info/METADATA": b"Name: sample\n" * 100})[:60]},
    "wheel-big-metadata": {"dist/sample-1.0-py3-none-any.whl":
                           _zip({"sample-1.0.dist-info/METADATA": BIG_METADATA})},
    "sdist-big-pkg-info": {"dist/sample-1.0.tar.gz": _targz({"sample-1.0/PKG-INFO": BIG_METADATA})},
    "wheel-binary-metadata": {"dist/sample-1.0-py3-none-any.whl":
                              _zip({"sample-1.0.dist-info/METADATA": BINARY})},
    "wheel-metadata-wrong-fields": {"dist/sample-1.0-py3-none-any.whl": _zip({
        "sample-1.0.dist-info/METADATA": b"Metadata-Version: [\nName:\nVersion: not a version!\n"})},
    "sdist-pkg-info-is-dir": {"dist/sample-1.0.tar.gz": _targz({"sample-1.0/PKG-INFO/x": b"x"})},
    "odd-names": {"dist/x.whl": b"", "dist/.tar.gz": b"", "dist/-.whl": b"", "dist/a-b-c-d-e-f-g.whl": b"",
                  "dist/sample-1.0.zip": b"", "dist/sample-1.0-py3-none-any.whl.metadata": b""},
    "bad-version-names": {"dist/sample-!!-py3-none-any.whl": b"", "dist/sample-1.0+локал.tar.gz": b""},
}


@pytest.mark.parametrize("case", DIST_CASES)
def test_dist_holding_what_is_not_a_distribution(tmp_path: Path, case: str) -> None:
    files = DIST_CASES[case]
    root = write(tmp_path / "repo", dict(files))
    run_all(root, list(files))


def test_dist_with_a_directory_named_like_a_wheel(tmp_path: Path) -> None:
    root = write(tmp_path / "repo", {})
    (root / "dist" / "x.whl").mkdir(parents=True)
    (root / "dist" / "sample-1.0-py3-none-any.whl").mkdir()
    (root / "dist" / "sample-1.0.tar.gz").mkdir()
    run_all(root, ["dist"])


def test_dist_that_is_a_file_or_a_dangling_link(tmp_path: Path) -> None:
    root = write(tmp_path / "repo", {"dist": b"not a folder"})
    run_all(root, ["dist"])
    (root / "dist").unlink()
    (root / "dist").mkdir()
    (root / "dist" / "sample-1.0-py3-none-any.whl").symlink_to(root / "nowhere.whl")
    (root / "dist" / "loop.tar.gz").symlink_to(root / "dist" / "loop.tar.gz")
    run_all(root, ["dist"])


# -- git states ---------------------------------------------------------------------------------

def _commit(root: Path, message: str, tag: str | None = None) -> None:
    if not (root / ".git").exists():
        git(root, "init", "-q", "-b", "main")
    (root / "CHANGES").write_text(message + "\n" + (root / "CHANGES").read_text()
                                  if (root / "CHANGES").exists() else message + "\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, "--no-gpg-sign")
    if tag:
        git(root, "tag", tag)


def test_git_file_pointing_nowhere(tmp_path: Path) -> None:
    root = write(tmp_path / "repo", {".git": "gitdir: /nonexistent/worktree/.git\n"})
    run_all(root, [".git", str(root)])


def test_git_file_that_is_binary(tmp_path: Path) -> None:
    root = write(tmp_path / "repo", {".git": BINARY})
    run_all(root, [".git", str(root)])


def test_git_directory_that_is_empty(tmp_path: Path) -> None:
    root = write(tmp_path / "repo", {})
    (root / ".git").mkdir()
    run_all(root, [".git", str(root)])


@pytest.mark.parametrize("release_tool", ["semantic_release", "commitizen", "none"])
def test_git_tags_that_are_not_versions_or_not_on_commits(tmp_path: Path, release_tool: str) -> None:
    text = PYPROJECT + (f"\n[tool.{release_tool}]\n" if release_tool != "none" else "")
    root = write(tmp_path / "repo", {"pyproject.toml": text})
    _commit(root, "feat: one", tag="not-a-version")
    git(root, "tag", "v1.0.0")
    git(root, "tag", "-a", "-m", "annotated", "vx.y.z")
    tree = git(root, "rev-parse", "HEAD^{tree}").strip()
    blob = git(root, "rev-parse", "HEAD:CHANGES").strip()
    git(root, "tag", "v2.0.0", tree)          # a tag on a tree
    git(root, "tag", "v3.0.0", blob)          # a tag on a blob
    git(root, "tag", "-a", "-m", "on a tree", "v4.0.0", tree)
    git(root, "tag", "v9999999999999999999999.0.0")
    git(root, "tag", "v1.0.0-rc.1+build")
    _commit(root, "fix: two")
    _commit(root, "not conventional at all")
    run_all(root, [str(root)])


def test_git_repository_without_commits(tmp_path: Path) -> None:
    root = write(tmp_path / "repo", {"pyproject.toml": PYPROJECT + "\n[tool.semantic_release]\n"})
    git(root, "init", "-q", "-b", "main")
    run_all(root, [str(root)])


def test_git_remote_with_odd_urls(tmp_path: Path) -> None:
    root = write(tmp_path / "repo", {})
    _commit(root, "feat: one", tag="v1.0.0")
    git(root, "remote", "add", "origin", "::::not a url")
    git(root, "remote", "add", "upstream", "https://github.com/")
    git(root, "remote", "add", "other", "git@github.com:only-owner")
    run_all(root, [str(root)])


# -- scripts a run: step calls ------------------------------------------------------------------

SCRIPT_CASES: dict[str, bytes] = {
    "binary": BINARY,
    "huge": b"echo hi\n" * (HUGE // 8),
    "latin-1": "echo caf\xe9\n".encode("latin-1"),
    "only-nul": b"\x00" * 100,
}


@pytest.mark.parametrize("target", ["Makefile", "scripts/publish.sh"])
@pytest.mark.parametrize("case", SCRIPT_CASES)
def test_called_script_that_is_not_text(tmp_path: Path, target: str, case: str) -> None:
    root = write(tmp_path / "repo", {target: SCRIPT_CASES[case]})
    run_all(root, [target])


def test_called_script_that_is_a_directory_or_a_loop(tmp_path: Path) -> None:
    root = write(tmp_path / "repo", {"Makefile": None, "scripts/publish.sh": None})
    (root / "Makefile").mkdir()
    (root / "scripts").mkdir()
    (root / "scripts" / "publish.sh").symlink_to(root / "scripts" / "publish.sh")
    run_all(root, ["Makefile", "scripts/publish.sh"])


# -- hypothesis: random wrongly-typed values at the keys the rules read --------------------------

TABLE_KEYS: dict[str, list[str]] = {
    "project": ["name", "version", "dynamic", "readme", "license", "requires-python"],
    "build-system": ["requires", "build-backend"],
    "tool.hatch.version": ["source", "path"],
    "tool.pdm.version": ["source"],
    "tool.setuptools.dynamic": ["version"],
    "tool.semantic_release": ["commit_parser", "tag_format", "commit_parser_options", "allowed_tags",
                              "major_on_zero", "version_toml", "version_variables", "branches",
                              "parser_angular_allowed_types", "parser_angular_minor_types",
                              "parser_angular_default_level_bump"],
    "tool.commitizen": ["name", "tag_format", "version", "version_provider", "major_version_zero",
                        "customize"],
    "tool.pubdoctor": ["select", "ignore", "timeout", "publisher", "commit-types", "severity",
                       "fail-on", "offline", "remote", "index-url"],
    "tool.poetry": ["name", "version", "packages", "source"],
    "tool.uv": ["publish-url", "index"],
}
SCALARS = st.one_of(
    st.integers(-2, 3), st.booleans(), st.floats(allow_nan=False, allow_infinity=False, width=16),
    st.sampled_from(["", "x", "vcs", "scm", "PD1", "feat", "1.0", "v{version}", "$version", "{", "[",
                     "cz_customize", "conventional", "pyproject.toml:project.version", "é"]),
    st.builds(RawToml, st.sampled_from(["1979-05-27", "07:32:00", "1979-05-27T07:32:00Z"])),
)
VALUES = st.recursive(SCALARS, lambda children: st.one_of(
    st.lists(children, max_size=3),
    st.dictionaries(st.sampled_from(["source", "owner", "repository", "workflow", "allowed_tags",
                                     "minor_tags", "default_bump_level", "bump_map", "provider",
                                     "attr", "file", "name", "url"]), children, max_size=3)),
    max_leaves=8)
ENTRIES = st.lists(st.sampled_from(sorted(TABLE_KEYS)).flatmap(
    lambda table: st.tuples(st.just(table), st.sampled_from(TABLE_KEYS[table]), VALUES)),
    min_size=1, max_size=4, unique_by=lambda entry: (entry[0], entry[1]))


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(entries=ENTRIES)
def test_random_wrongly_typed_pyproject(tmp_path_factory: pytest.TempPathFactory,
                                        entries: list[tuple[str, str, object]]) -> None:
    text = "[build-system]\nrequires = [\"hatchling\"]\n\n[project]\nname = \"sample\"\n"
    seen = {("build-system", "requires"), ("project", "name")}
    for table, key, value in entries:
        if (table, key) in seen:
            continue
        seen.add((table, key))
        text = pyproject_with(table, key, value, text)
    root = write(tmp_path_factory.mktemp("fuzz") / "repo", {"pyproject.toml": text})
    run_all(root, ["pyproject.toml"])


# -- the files a dynamic version is read from ----------------------------------------------------

DYNAMIC = '[build-system]\nrequires = ["{backend}"]\nbuild-backend = "{backend}.build"\n\n' \
          '[project]\nname = "sample"\ndynamic = ["version"]\n'
VERSION_FILE_CASES: dict[str, tuple[str, dict[str, str | bytes]]] = {
    "hatch-path-nul": ('[tool.hatch.version]\npath = "src/\\u0000.py"\n', {}),
    "hatch-path-absolute": ('[tool.hatch.version]\npath = "/etc/hostname"\n', {}),
    "hatch-path-outside": ('[tool.hatch.version]\npath = "../../../../etc/hostname"\n', {}),
    "hatch-path-directory": ('[tool.hatch.version]\npath = "src"\n', {"src/x.py": ""}),
    "hatch-path-binary": ('[tool.hatch.version]\npath = "v.py"\n', {"v.py": BINARY}),
    "hatch-path-huge": ('[tool.hatch.version]\npath = "v.py"\n', {"v.py": b"x = 1\n" * (HUGE // 6)}),
    "hatch-path-latin-1": ('[tool.hatch.version]\npath = "v.py"\n', {"v.py": "__version__ = 'é'".encode("latin-1")}),
    "hatch-path-deep": ('[tool.hatch.version]\npath = "v.py"\n', {"v.py": "x = " + "(" * 2000 + ")" * 2000}),
    "hatch-path-not-a-version": ('[tool.hatch.version]\npath = "v.py"\n', {"v.py": "__version__ = '!!'\n"}),
    "hatch-path-list": ('[tool.hatch.version]\npath = ["v.py"]\n', {}),
    "pdm-path-nul": ('[tool.pdm.version]\nsource = "file"\npath = "\\u0000"\n', {}),
    "pdm-path-table": ('[tool.pdm.version]\nsource = "file"\npath = {a = 1}\n', {}),
    "setuptools-attr-nul": ('[tool.setuptools.dynamic]\nversion = {attr = "a\\u0000b.__version__"}\n', {}),
    "setuptools-attr-empty": ('[tool.setuptools.dynamic]\nversion = {attr = ""}\n', {}),
    "setuptools-attr-dots": ('[tool.setuptools.dynamic]\nversion = {attr = "..."}\n', {}),
    "setuptools-attr-list": ('[tool.setuptools.dynamic]\nversion = {attr = ["a"]}\n', {}),
    "setuptools-package-dir-int": ('[tool.setuptools]\npackage-dir = {"" = 3}\n'
                                   '[tool.setuptools.dynamic]\nversion = {attr = "a.__version__"}\n', {}),
    "setuptools-package-dir-list": ('[tool.setuptools]\npackage-dir = {"" = ["src"]}\n'
                                    '[tool.setuptools.dynamic]\nversion = {attr = "a.__version__"}\n', {}),
    "setuptools-package-dir-nul": ('[tool.setuptools]\npackage-dir = {"" = "\\u0000"}\n'
                                   '[tool.setuptools.dynamic]\nversion = {attr = "a.__version__"}\n', {}),
    "setuptools-file-nul": ('[tool.setuptools.dynamic]\nversion = {file = "\\u0000"}\n', {}),
    "setuptools-file-empty-list": ('[tool.setuptools.dynamic]\nversion = {file = []}\n', {}),
    "setuptools-file-table": ('[tool.setuptools.dynamic]\nversion = {file = {a = 1}}\n', {}),
    "setuptools-file-directory": ('[tool.setuptools.dynamic]\nversion = {file = "src"}\n', {"src/x": ""}),
    "setuptools-file-binary": ('[tool.setuptools.dynamic]\nversion = {file = "VERSION"}\n', {"VERSION": BINARY}),
    "setuptools-file-empty": ('[tool.setuptools.dynamic]\nversion = {file = "VERSION"}\n', {"VERSION": ""}),
    "flit-module-nul": ('[tool.flit.module]\nname = "a\\u0000"\n', {}),
    "flit-module-int": ('[tool.flit]\nmodule = 3\n', {}),
    "flit-module-name-list": ('[tool.flit.module]\nname = ["a"]\n', {}),
    "scm-options-wrong": ('[tool.setuptools_scm]\nversion_scheme = 3\nlocal_scheme = []\n', {}),
}


@pytest.mark.parametrize("case", VERSION_FILE_CASES)
@pytest.mark.parametrize("backend", ["hatchling", "flit_core", "setuptools_scm"])
def test_version_file_that_is_not_what_it_should_be(tmp_path: Path, case: str, backend: str) -> None:
    table, files = VERSION_FILE_CASES[case]
    pyproject = DYNAMIC.format(backend=backend) + table
    root = write(tmp_path / "repo", {"pyproject.toml": pyproject, **files})
    if backend == "setuptools_scm":  # the version comes from git tags
        _commit(root, "feat: one", tag="v1.0.0")
    run_all(root, ["pyproject.toml", *files])


# -- pyproject.toml itself unreadable ------------------------------------------------------------

PYPROJECT_FILES: dict[str, str | bytes] = {
    "invalid": "[project\nname = ",
    "binary": BINARY,
    "latin-1": '[project]\nname = "caf\xe9"\n'.encode("latin-1"),
    "huge": b"# x\n" * (HUGE // 4),
    "deep": "x = " + "[" * 1_500 + "]" * 1_500 + "\n",
    "empty": "",
    "bom": "\ufeff[project]\nname = \"sample\"\n",
}


@pytest.mark.parametrize("case", PYPROJECT_FILES)
def test_pyproject_that_cannot_be_read(tmp_path: Path, case: str) -> None:
    root = write(tmp_path / "repo", {"pyproject.toml": PYPROJECT_FILES[case]})
    run_all(root, ["pyproject.toml"])


def test_pyproject_and_workflows_that_are_directories_or_files(tmp_path: Path) -> None:
    root = write(tmp_path / "repo", {"pyproject.toml": None, ".github/workflows/release.yml": None,
                                     ".github/workflows": b"not a folder"})
    (root / "pyproject.toml").mkdir()
    run_all(root, ["pyproject.toml", ".github/workflows"])


# -- local actions and called workflows: not YAML, the wrong shape, not files -------------------

LOCAL_CALLER = """\
on: push
jobs:
  call:
    uses: ./.github/workflows/called.yml
  publish:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - uses: ./.github/actions/pub
      - uses: ./.github/actions/missing
      - uses: ./
      - uses: ./../../etc
      - uses: pypa/gh-action-pypi-publish@release/v1
"""
LOCAL_CONTENTS: dict[str, str | bytes] = {
    "binary": BINARY, "list": "- 1\n- 2\n", "scalar": "3\n", "runs-wrong": "runs: 3\n",
    "steps-wrong": "runs:\n  using: composite\n  steps: 3\n",
    "steps-odd": "runs:\n  using: composite\n  steps: [1, {uses: 3}, {run: []}, {uses: ./.github/actions/pub}]\n",
    "huge": b"# x\n" * (HUGE // 4), "badyaml": "runs: [\n", "empty": "",
}


@pytest.mark.parametrize("target", [".github/actions/pub/action.yml", ".github/workflows/called.yml",
                                    "action.yml"])
@pytest.mark.parametrize("case", LOCAL_CONTENTS)
def test_local_action_or_called_workflow_that_is_not_what_it_should_be(tmp_path: Path, target: str,
                                                                       case: str) -> None:
    root = write(tmp_path / "repo", {".github/workflows/release.yml": LOCAL_CALLER,
                                     target: LOCAL_CONTENTS[case]})
    run_all(root, [target])


def test_local_action_that_is_a_directory_or_a_loop(tmp_path: Path) -> None:
    root = write(tmp_path / "repo", {".github/workflows/release.yml": LOCAL_CALLER})
    (root / ".github/actions/pub/action.yml").mkdir(parents=True)
    (root / "action.yml").symlink_to(root / "action.yml")
    run_all(root, [".github"])


# -- hypothesis: random JSON shapes in the release tools' files ----------------------------------

JSON_KEYS = ["packages", ".", "changelog-sections", "type", "hidden", "include-v-in-tag", "release-type",
             "bump-minor-pre-major", "tagFormat", "plugins", "preset", "releaseRules", "release",
             "branches", "name", "version"]
JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2, 3), st.floats(allow_nan=False, width=16),
                         st.sampled_from(["", "x", "feat", "python", "v${version}", "${version}",
                                          "conventionalcommits", "@semantic-release/commit-analyzer",
                                          "minor", "{"]))
JSON_VALUES = st.recursive(JSON_SCALARS, lambda children: st.one_of(
    st.lists(children, max_size=3), st.dictionaries(st.sampled_from(JSON_KEYS), children, max_size=4)),
    max_leaves=12)


@settings(max_examples=20, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=st.sampled_from(JSON_FILES), document=st.dictionaries(st.sampled_from(JSON_KEYS), JSON_VALUES,
                                                                   max_size=5))
def test_random_release_tool_json(tmp_path_factory: pytest.TempPathFactory, name: str, document: dict) -> None:
    root = write(tmp_path_factory.mktemp("fuzz") / "repo", {name: json.dumps(document)})
    run_all(root, [name])


# -- more git states: shallow, detached, bare, linked worktree, broken refs ----------------------

RELEASED = PYPROJECT + "\n[tool.semantic_release]\n[tool.commitizen]\n"


def _released(tmp_path: Path) -> Path:
    root = write(tmp_path / "origin", {"pyproject.toml": RELEASED})
    _commit(root, "feat: one", tag="v1.0.0")
    _commit(root, "fix: two", tag="v1.0.1")
    _commit(root, "nonsense")
    return root


def test_git_shallow_clone_without_the_tags(tmp_path: Path) -> None:
    origin = _released(tmp_path)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))
    run_all(clone, [str(clone)])


def test_git_detached_head_and_bare_repository(tmp_path: Path) -> None:
    origin = _released(tmp_path)
    git(origin, "checkout", "-q", "--detach", "HEAD~1")
    run_all(origin, [str(origin)])
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(origin), str(bare))
    run_all(bare, [str(bare)])


def test_git_subfolder_and_linked_worktree(tmp_path: Path) -> None:
    origin = _released(tmp_path)
    sub = write(origin / "pkg", {"pyproject.toml": RELEASED})
    run_all(sub, [str(sub)])
    wt = tmp_path / "wt"
    git(origin, "worktree", "add", "-q", str(wt), "v1.0.0")
    run_all(wt, [str(wt)])


def test_git_tags_naming_missing_objects_and_broken_packed_refs(tmp_path: Path) -> None:
    origin = _released(tmp_path)
    (origin / ".git" / "refs" / "tags" / "v9.0.0").write_text("0" * 40 + "\n")
    (origin / ".git" / "refs" / "tags" / "v8.0.0").write_text("garbage\n")
    (origin / ".git" / "packed-refs").write_text("nonsense line\n")
    run_all(origin, [str(origin), ".git"])


def test_git_unborn_orphan_branch(tmp_path: Path) -> None:
    origin = _released(tmp_path)
    git(origin, "checkout", "-q", "--orphan", "empty")
    run_all(origin, [str(origin)])
