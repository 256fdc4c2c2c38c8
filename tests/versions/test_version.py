"""The version source: static, from a file read with ast, and from git tags in real repositories."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import git

from pubdoctor.context import SourceUnavailable
from pubdoctor.sources.pyproject import load_project
from pubdoctor.sources.version import load_version, next_patch, scm_version, tag_version
from packaging.version import Version

SCM = """
[build-system]
requires = ["setuptools>=64", "setuptools-scm>=8"]
build-backend = "setuptools.build_meta"

[project]
name = "demo"
dynamic = ["version"]
"""


def version_of(root: Path):
    return load_version(load_project(root), root)


def commit(root: Path, message: str = "feat: change") -> None:
    (root / "change.txt").write_text(message + str(len(list(root.iterdir()))), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, "--no-gpg-sign")


def sha(root: Path) -> str:
    return git(root, "rev-parse", "--short", "HEAD").strip()


# -- static and file versions -----------------------------------------------------------------

def test_static_project_version(write_repo) -> None:
    root = write_repo({"pyproject.toml": '[project]\nname = "demo"\n\nversion = "1.2.3"\n'})
    found = version_of(root)
    assert (found.text, found.origin, found.source) == ("1.2.3", "static", "[project].version")
    assert (found.location.line, found.location.col) == (4, 1)


def test_poetry_version(write_repo) -> None:
    root = write_repo({"pyproject.toml": '[tool.poetry]\nname = "demo"\nversion = "0.3.0"\n'})
    found = version_of(root)
    assert (found.text, found.source, found.location.line) == ("0.3.0", "[tool.poetry].version", 3)


def test_hatch_version_path_read_without_importing(write_repo) -> None:
    root = write_repo({
        "pyproject.toml": """
            [build-system]
            requires = ["hatchling"]
            build-backend = "hatchling.build"
            [project]
            name = "demo"
            dynamic = ["version"]
            [tool.hatch.version]
            path = "src/demo/__about__.py"
        """,
        # importing this module would fail: pubdoctor must only parse it
        "src/demo/__about__.py": 'import not_installed_anywhere\n\n__version__: str = "2.0.0"\n',
    })
    found = version_of(root)
    assert (found.text, found.origin) == ("2.0.0", "file")
    assert (found.location.path, found.location.line) == ("src/demo/__about__.py", 3)


def test_setuptools_attr(write_repo) -> None:
    root = write_repo({
        "pyproject.toml": """
            [project]
            name = "demo"
            dynamic = ["version"]
            [tool.setuptools.dynamic]
            version = {attr = "demo.version.VERSION_TEXT"}
        """,
        "demo/__init__.py": "",
        "demo/version.py": 'VERSION_TEXT = "3.1.0"\n',
    })
    assert version_of(root).text == "3.1.0"


def test_setuptools_file(write_repo) -> None:
    root = write_repo({
        "pyproject.toml": """
            [project]
            name = "demo"
            dynamic = ["version"]
            [tool.setuptools.dynamic]
            version = {file = "VERSION"}
        """,
        "VERSION": "4.0.1\n",
    })
    assert version_of(root).text == "4.0.1"


def test_flit_module_version(write_repo) -> None:
    root = write_repo({
        "pyproject.toml": """
            [build-system]
            requires = ["flit_core>=3.4"]
            build-backend = "flit_core.buildapi"
            [project]
            name = "demo-tool"
            dynamic = ["version", "description"]
        """,
        "src/demo_tool/__init__.py": '"""Demo."""\n__version__ = "0.9.0"\n',
    })
    assert version_of(root).text == "0.9.0"


def test_pdm_file_source(write_repo) -> None:
    root = write_repo({
        "pyproject.toml": """
            [project]
            name = "demo"
            dynamic = ["version"]
            [tool.pdm.version]
            source = "file"
            path = "demo.py"
        """,
        "demo.py": "__version__ = '5.0.0'\n",
    })
    assert version_of(root).text == "5.0.0"


@pytest.mark.parametrize("module", ['__version__ = get_version()\n', 'from ._v import __version__\n',
                                    'def broken(:\n'])
def test_version_that_is_not_a_literal_is_unknown(write_repo, module: str) -> None:
    root = write_repo({
        "pyproject.toml": '[project]\nname = "demo"\ndynamic = ["version"]\n'
                          '[tool.hatch.version]\npath = "demo/__init__.py"\n',
        "demo/__init__.py": module,
    })
    with pytest.raises(SourceUnavailable, match="no literal"):
        version_of(root)


def test_invalid_pep440_version_is_a_warning(write_repo) -> None:
    root = write_repo({"pyproject.toml": '[project]\nname = "demo"\nversion = "1.0-beta_x!"\n'})
    with pytest.raises(SourceUnavailable) as raised:
        version_of(root)
    assert raised.value.level == "warning" and "not a valid PEP 440" in str(raised.value)


def test_unknown_dynamic_version_is_a_note(write_repo) -> None:
    root = write_repo({"pyproject.toml": '[project]\nname = "demo"\ndynamic = ["version"]\n'})
    with pytest.raises(SourceUnavailable) as raised:
        version_of(root)
    assert raised.value.level == "note"


# -- versions from git tags, in real repositories ---------------------------------------------

def test_exactly_on_a_tag(write_repo) -> None:
    root = write_repo({"pyproject.toml": SCM}, init_git=True)
    git(root, "tag", "v1.2.0")
    found = version_of(root)
    assert (found.text, found.origin, found.tool, found.exact) == ("1.2.0", "vcs", "setuptools-scm", True)
    assert "git tag `v1.2.0`" in found.source


def test_commits_after_a_tag_give_next_patch_dev_and_node(write_repo) -> None:
    root = write_repo({"pyproject.toml": SCM}, init_git=True)
    git(root, "tag", "v1.2.0")
    commit(root)
    commit(root)
    found = version_of(root)
    assert found.text == f"1.2.1.dev2+g{sha(root)}"
    assert Version(found.text).local == f"g{sha(root)}"


def test_dirty_tree_adds_the_date(write_repo) -> None:
    root = write_repo({"pyproject.toml": SCM}, init_git=True)
    git(root, "tag", "1.2.0")
    (root / "pyproject.toml").write_text(SCM + "\n# edited\n", encoding="utf-8")
    def today() -> str:
        return datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d")

    before = today()
    found = version_of(root).text
    # the run may cross midnight UTC: the date is the one of its start or of its end
    assert found in {f"1.2.1.dev0+g{sha(root)}.d{day}" for day in (before, today())}


def test_no_tag_counts_commits_from_zero(write_repo) -> None:
    root = write_repo({"pyproject.toml": SCM}, init_git=True)
    commit(root)
    assert version_of(root).text == f"0.1.dev2+g{sha(root)}"


def test_tags_without_digits_are_not_matched(write_repo) -> None:
    root = write_repo({"pyproject.toml": SCM}, init_git=True)
    git(root, "tag", "v2.0.0")
    commit(root)
    git(root, "tag", "latest")
    assert version_of(root).text.startswith("2.0.1.dev1+g")


def test_hatch_vcs_no_local_version(write_repo) -> None:
    root = write_repo({"pyproject.toml": """
        [build-system]
        requires = ["hatchling", "hatch-vcs"]
        build-backend = "hatchling.build"
        [project]
        name = "demo"
        dynamic = ["version"]
        [tool.hatch.version]
        source = "vcs"
        raw-options = { local_scheme = "no-local-version" }
    """}, init_git=True)
    git(root, "tag", "v0.4.0")
    commit(root)
    found = version_of(root)
    assert (found.text, found.tool) == ("0.4.1.dev1", "hatch-vcs")


def test_not_a_git_repository(write_repo) -> None:
    root = write_repo({"pyproject.toml": SCM})
    with pytest.raises(SourceUnavailable, match="not a git repository"):
        version_of(root)


def test_tag_that_is_not_a_version(write_repo) -> None:
    root = write_repo({"pyproject.toml": SCM}, init_git=True)
    git(root, "tag", "release-2x")
    with pytest.raises(SourceUnavailable, match="not a PEP 440 version"):
        version_of(root)


# -- the arithmetic, on packaging's Version -----------------------------------------------------

@pytest.mark.parametrize("tag, distance, expected", [
    ("1.2.3", 0, "1.2.3"),
    ("1.2.3", 4, "1.2.4.dev4+gabc1234"),
    ("1.0rc1", 1, "1.0rc2.dev1+gabc1234"),
    ("1.0.post1", 2, "1.0.post2.dev2+gabc1234"),
    ("2.0.0.dev0", 3, "2.0.0.dev3+gabc1234"),
    ("1!2.0", 1, "1!2.1.dev1+gabc1234"),
])
def test_guess_next_dev(tag: str, distance: int, expected: str) -> None:
    assert scm_version(Version(tag), distance, "gabc1234", False) == expected


def test_schemes() -> None:
    day = datetime.date(2024, 5, 6)
    assert scm_version(Version("1.0"), 3, "gabc", False, "post-release") == "1.0.post3+gabc"
    assert scm_version(Version("1.0"), 3, "gabc", True, local_scheme="no-local-version", today=day) == "1.1.dev3"
    assert scm_version(Version("1.0"), 0, "gabc", True, today=day) == "1.1.dev0+gabc.d20240506"


@pytest.mark.parametrize("tag, expected", [("v1.2.0", "1.2.0"), ("demo-1.2.0", "1.2.0"),
                                           ("release/1.2", "1.2"), ("nope", None)])
def test_tag_version(tag: str, expected: str | None) -> None:
    found = tag_version(tag)
    assert (str(found) if found else None) == expected


def test_next_patch() -> None:
    assert str(next_patch(Version("1.2.3"))) == "1.2.4"
    assert str(next_patch(Version("1.0b2"))) == "1.0b3"


def test_uv_workspace_root_without_build_system_is_not_published(write_repo) -> None:
    root = write_repo({"pyproject.toml": """
        [project]
        name = "monorepo.workspace"
        version = "0.1+private"
        [tool.uv.workspace]
        members = ["pkg-a", "pkg-b"]
    """})
    with pytest.raises(SourceUnavailable, match="root of a uv workspace"):
        version_of(root)


@pytest.mark.parametrize("pyproject, env, disabled", [
    (SCM + '[tool.setuptools_scm]\nlocal_scheme = "no-local-version"\n', {}, True),
    (SCM + '[tool.setuptools_scm]\nlocal_scheme = "node-and-date"\n', {}, False),
    (SCM, {"SETUPTOOLS_SCM_PRETEND_VERSION": "1.0"}, True),
    (SCM, {"SETUPTOOLS_SCM_OVERRIDES_FOR_DEMO": '{local_scheme="no-local-version"}'}, True),
    ('[build-system]\nrequires = ["setuptools", "versioningit"]\n[project]\nname = "d"\ndynamic = ["version"]\n'
     '[tool.versioningit.format]\ndistance = "{next_version}.dev{distance}"\n', {}, True),
    ('[build-system]\nrequires = ["setuptools", "versioningit"]\n[project]\nname = "d"\ndynamic = ["version"]\n',
     {}, False),
    ('[tool.poetry]\nname = "d"\nversion = "0.0.0"\n[tool.poetry-dynamic-versioning]\nenable = true\n'
     'metadata = false\n', {}, True),
    ('[project]\nname = "d"\nversion = "1.0"\n', {}, False),  # not a VCS version at all
])
def test_local_label_disabled(pyproject: str, env: dict, disabled: bool, tmp_path: Path) -> None:
    from pubdoctor.sources.version import local_label_disabled

    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    assert local_label_disabled(load_project(tmp_path), env) is disabled


def test_poetry_dynamic_versioning_placeholder_is_not_the_version(write_repo) -> None:
    root = write_repo({"pyproject.toml": '[tool.poetry]\nname = "d"\nversion = "0.0.0"\n'
                                         '[tool.poetry-dynamic-versioning]\nenable = true\n'}, init_git=True)
    git(root, "tag", "v3.0.0")
    found = version_of(root)
    assert (found.text, found.origin, found.tool) == ("3.0.0", "vcs", "poetry-dynamic-versioning")


def test_version_file_outside_the_repository_is_not_read(write_repo, tmp_path: Path) -> None:
    (tmp_path / "elsewhere.py").write_text('__version__ = "9.9.9"\n', encoding="utf-8")
    root = write_repo({"pyproject.toml": '[project]\nname = "demo"\ndynamic = ["version"]\n'
                                         '[tool.hatch.version]\npath = "../elsewhere.py"\n'})
    with pytest.raises(SourceUnavailable, match="outside the repository"):
        version_of(root)


MATURIN = '[build-system]\nrequires = ["maturin>=1,<2"]\nbuild-backend = "maturin"\n\n[project]\nname = "demo"\ndynamic = ["version"]\n'


def test_maturin_takes_the_version_from_cargo(write_repo) -> None:
    """maturin fills a dynamic version from the crate's Cargo.toml (semver pre-releases become
    PEP 440 ones), or from the workspace's `[workspace.package]` with `version.workspace = true`."""
    root = write_repo({"pyproject.toml": MATURIN,
                       "Cargo.toml": '[package]\nname = "demo"\n# the crate\nversion = "2.27.1"\n'})
    found = version_of(root)
    assert (found.text, found.origin) == ("2.27.1", "file")
    assert (found.location.path, found.location.line) == ("Cargo.toml", 4)
    root = write_repo({
        "pyproject.toml": MATURIN + '\n[tool.maturin]\nmanifest-path = "crates/py/Cargo.toml"\n',
        "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\n\n[workspace.package]\nversion = "1.0.0-alpha.1"\n',
        "crates/py/Cargo.toml": '[package]\nname = "demo"\nversion.workspace = true\n'})
    found = version_of(root)
    assert found.version == Version("1.0.0a1")
    assert (found.location.path, found.location.line) == ("Cargo.toml", 5)


def test_maturin_without_a_cargo_version_is_unknown(write_repo) -> None:
    root = write_repo({"pyproject.toml": MATURIN, "Cargo.toml": '[package]\nname = "demo"\n'})
    with pytest.raises(SourceUnavailable) as raised:
        version_of(root)
    assert raised.value.level == "note" and "Cargo.toml" in str(raised.value)
    root = write_repo({"pyproject.toml": MATURIN, "Cargo.toml": "[package\n"})

@pytest.mark.parametrize("metadata", ['metadata = "x"', 'metadata.version = "x"',
                                      'metadata.version = {provider = 3}'])
def test_scikit_build_metadata_of_the_wrong_type_is_no_vcs_tool(write_repo, metadata: str) -> None:
    root = write_repo({"pyproject.toml": f'[project]\nname = "a"\ndynamic = ["version"]\n'
                                         f'[tool.scikit-build]\n{metadata}\n'})
    assert load_project(root).vcs_version_tool is None


def test_reading_the_version_from_git_never_rewrites_the_index(write_repo) -> None:
    """``git status`` refreshes a stale index and writes it back; pubdoctor must not."""
    import os

    root = write_repo({"pyproject.toml": SCM}, init_git=True)
    git(root, "tag", "v1.0.0")
    index = root / ".git" / "index"
    later = index.stat().st_mtime + 10
    os.utime(root / "pyproject.toml", (later, later))  # same content, a new stat: the index is stale
    before = (index.read_bytes(), index.stat().st_mtime_ns, (root / ".git").stat().st_mtime_ns)
    assert version_of(root).text == "1.0.0"
    assert (index.read_bytes(), index.stat().st_mtime_ns, (root / ".git").stat().st_mtime_ns) == before


@pytest.mark.parametrize("table", [
    '[tool.setuptools]\npackage-dir = {"" = 3}\n[tool.setuptools.dynamic]\nversion = {attr = "a.__version__"}\n',
    '[tool.setuptools]\npackage-dir = {"" = ["src"]}\n[tool.setuptools.dynamic]\nversion = {attr = "a.__version__"}\n',
    '[tool.setuptools.dynamic]\nversion = {file = "\\u0000"}\n',
    '[tool.setuptools.dynamic]\nversion = {file = {a = 1}}\n',
    '[tool.setuptools.dynamic]\nversion = {file = [3]}\n',
])
def test_setuptools_dynamic_version_of_the_wrong_type_is_unknown(write_repo, table: str) -> None:
    root = write_repo({"pyproject.toml": '[build-system]\nbuild-backend = "setuptools.build_meta"\n'
                                         '[project]\nname = "a"\ndynamic = ["version"]\n' + table})
    with pytest.raises(SourceUnavailable):
        version_of(root)


@pytest.mark.parametrize("path", ['{source = "' + "v" * 300 + '"}', '"' + "v" * 300 + '.py"'],
                         ids=["a-table", "a-name-too-long"])
def test_a_version_path_that_is_no_file_name_is_no_crash(write_repo, path: str) -> None:
    """What tests/test_fuzz_inputs.py::test_random_wrongly_typed_pyproject finds in a run
    when it happens to draw a table for ``path``: here every run."""
    from conftest import check

    root = write_repo({"pyproject.toml": '[build-system]\nrequires = ["hatchling"]\n'
                                         'build-backend = "hatchling.build"\n\n'
                                         '[project]\nname = "sample"\ndynamic = ["version"]\n\n'
                                         f'[tool.hatch.version]\npath = {path}\n'})
    result = check(root)
    assert "internal error" not in result.output
    assert result.exit_code in (0, 1, 2), result.output
