"""The version that will be published, found the way the build backend finds it.

- Static: ``[project].version`` or ``[tool.poetry].version``.
- From a file, read with `ast`, never by importing the package (importing runs the user's
  code and needs its dependencies): hatch's ``[tool.hatch.version] path``, setuptools'
  ``attr:`` / ``file:`` in ``[tool.setuptools.dynamic]``, flit's module ``__version__``,
  pdm's ``source = "file"``.
- From git tags (setuptools-scm, hatch-vcs, pdm-backend's ``scm``, versioningit,
  poetry-dynamic-versioning...): ``git describe --tags --long`` (and ``git status``
  for uncommitted changes) and setuptools-scm's default scheme (``guess-next-dev`` and ``node-and-date``). The other
  plugins number untagged commits a little differently; they agree on what matters here:
  a tagged commit gives the tag's version, any other commit a version with a ``+local`` label
  unless the local part is switched off.

Versions are `packaging.version.Version`; a version that cannot be found is a
`SourceUnavailable` note, so the rules that need it are skipped and say why.
"""

from __future__ import annotations

import ast
import datetime
from pathlib import Path
from typing import Any, Literal

from packaging.version import InvalidVersion, Version

from pubdoctor.files import read_text
from pubdoctor.errors import InputError
from pubdoctor.findings import Location
from pubdoctor.records import record
from pubdoctor.sources.gitcli import Git, refused_for_owner, what_git_said
from pubdoctor.sources.pyproject import Project

Origin = Literal["static", "file", "vcs"]
#: setuptools-scm's default ``--match``: tags that contain a digit.
#: without ``--dirty``, which refreshes the index and writes it back (ignoring
#: ``GIT_OPTIONAL_LOCKS``): `_dirty` asks ``git status``, which honours it
DESCRIBE = ("git", "describe", "--tags", "--long", "--match", "*[0-9]*")


@record(kw_only=True)
class ProjectVersion:
    """The version a build of the checked tree would get, and where it comes from."""

    text: str
    origin: Origin
    source: str  # e.g. "[project].version", "src/demo/__init__.py (__version__)", "git tag v1.2.0"
    location: Location
    tool: str | None = None  # the VCS plugin, for origin "vcs"
    tag: str | None = None
    distance: int = 0
    dirty: bool = False
    node: str | None = None

    @property
    def version(self) -> Version:
        return Version(self.text)

    @property
    def exact(self) -> bool:
        """A VCS version built exactly at a tag from a clean tree."""
        return self.origin == "vcs" and self.distance == 0 and not self.dirty and self.tag is not None


def next_patch(version: Version) -> Version:
    """The smallest sensible bump: ``1.2.3`` -> ``1.2.4``, ``1.0rc1`` -> ``1.0rc2``."""
    return Version(_guess_next(version))


def _guess_next(version: Version) -> str:
    """setuptools-scm's ``guess_next_version``, on a parsed `Version` instead of a regex."""
    epoch = f"{version.epoch}!" if version.epoch else ""
    release = ".".join(str(p) for p in version.release)
    if version.dev is not None and version.dev == 0 and version.post is None:
        # 1.2.0.dev0 is a "development starts here" tag: the next version is 1.2.0 itself
        pre = f"{version.pre[0]}{version.pre[1]}" if version.pre else ""
        return f"{epoch}{release}{pre}"
    if version.post is not None:
        pre = f"{version.pre[0]}{version.pre[1]}" if version.pre else ""
        return f"{epoch}{release}{pre}.post{version.post + 1}"
    if version.pre is not None:
        return f"{epoch}{release}{version.pre[0]}{version.pre[1] + 1}"
    parts = list(version.release)
    parts[-1] += 1
    return epoch + ".".join(str(p) for p in parts)


def tag_version(tag: str) -> Version | None:
    """The version a tag names: ``v1.2.0``, ``1.2.0``, ``demo-1.2.0`` (setuptools-scm's tag_regex)."""
    for candidate in (tag, tag.rsplit("-", 1)[-1], tag.split("/")[-1]):
        try:
            return Version(candidate)
        except InvalidVersion:
            continue
    return None


def _scm_options(project: Project, tool: str) -> dict[str, Any]:
    """The setuptools-scm options in force for ``tool`` (version_scheme, local_scheme)."""
    if tool == "hatch-vcs":
        version = project.tool("hatch").get("version", {})
        raw = version.get("raw-options", {}) if isinstance(version, dict) else {}
        return raw if isinstance(raw, dict) else {}
    if tool == "setuptools-scm":
        for key in ("setuptools_scm", "setuptools-scm"):
            table = project.tool(key)
            if table:
                return table
    return {}


def vcs_tool(project: Project) -> str | None:
    """`Project.vcs_version_tool`, plus poetry-dynamic-versioning over a placeholder version.

    With poetry-dynamic-versioning enabled, ``[tool.poetry].version`` (often ``0.0.0``) is only
    a placeholder that the plugin replaces at build time.
    """
    if project.tool("poetry-dynamic-versioning").get("enable") is True:
        return "poetry-dynamic-versioning"
    return project.vcs_version_tool


def local_label_disabled(project: Project, env: dict[str, Any] | None = None) -> bool:
    """Whether the VCS plugin is told to drop the ``+local`` part of untagged versions.

    ``local_scheme = "no-local-version"`` (setuptools-scm, hatch-vcs), a versioningit
    ``distance`` format without ``+``, poetry-dynamic-versioning's ``metadata = false``, or
    ``SETUPTOOLS_SCM_PRETEND_VERSION``/``..._OVERRIDES_...`` set in the workflow's environment.
    """
    tool = vcs_tool(project)
    if tool is None:
        return False
    for key in env or {}:
        if str(key).startswith(("SETUPTOOLS_SCM_PRETEND_VERSION", "SETUPTOOLS_SCM_OVERRIDES")):
            return True
    if tool in ("setuptools-scm", "hatch-vcs"):
        return _scm_options(project, tool).get("local_scheme") == "no-local-version"
    if tool == "versioningit":
        fmt = project.tool("versioningit").get("format", {})
        distance = fmt.get("distance") if isinstance(fmt, dict) else None
        return isinstance(distance, str) and "+" not in distance
    if tool == "poetry-dynamic-versioning":
        return project.tool("poetry-dynamic-versioning").get("metadata") is False
    if tool == "pdm-backend":  # a version_format function decides; assume it knows
        pdm = project.tool("pdm").get("version", {})
        return isinstance(pdm, dict) and "version_format" in pdm
    if tool == "setuptools-git-versioning":
        template = project.tool("setuptools-git-versioning").get("dev_template")
        return isinstance(template, str) and "+" not in template
    return False


def _describe(git: Git) -> tuple[str | None, int, str | None, bool]:
    """``(tag, distance, node, dirty)`` of HEAD, as setuptools-scm reads it from git.

    No tag at all: setuptools-scm starts from ``0.0`` with the number of commits as the
    distance, so that case is reproduced too. Raises `SourceUnavailable` outside a repository.
    """
    from pubdoctor.context import SourceUnavailable

    try:
        result = git(*DESCRIBE[1:])
    except FileNotFoundError:
        raise SourceUnavailable("git is not installed: the version (from git tags) is unknown, so "
                                "the version rules were skipped") from None
    if result.returncode == 0:
        out = result.stdout.strip()
        try:
            tag, distance, node = out.rsplit("-", 2)
            return tag, int(distance), node, _dirty(git)
        except ValueError:
            raise SourceUnavailable(f"cannot read `git describe` output {out!r}: the version "
                                    "(from git tags) is unknown") from None
    inside = git("rev-parse", "--is-inside-work-tree")
    if refused_for_owner(inside):
        raise SourceUnavailable(f"git refuses to read the repository ({what_git_said(inside)}): "
                                "the version comes from git tags, so it is unknown and the "
                                "version rules were skipped", "warning")
    if inside.returncode != 0:
        raise SourceUnavailable("not a git repository: the version comes from git tags, so it is "
                                "unknown and the version rules were skipped")
    count = git("rev-list", "--count", "HEAD")
    if count.returncode != 0:  # no commit yet
        return None, 0, None, True
    sha = git("rev-parse", "--short", "HEAD").stdout.strip()
    return None, int(count.stdout.strip()), f"g{sha}", _dirty(git)


def _dirty(git: Git) -> bool:
    """Whether tracked files have uncommitted changes (what ``describe --dirty`` tells)."""
    # ``status`` compares stat-changed files by content: through `Git`'s ``worktree`` mode,
    # which empties the repository's filter drivers first, so no clean filter runs.
    return bool(git("status", "--porcelain", "--untracked-files=no", worktree=True).stdout.strip())


def scm_version(tag: Version | None, distance: int, node: str | None, dirty: bool,
                version_scheme: str = "guess-next-dev", local_scheme: str = "node-and-date",
                today: datetime.date | None = None) -> str:
    """setuptools-scm's version for a describe result (its default schemes and a few others)."""
    base = tag or Version("0.0")
    exact = distance == 0 and not dirty and tag is not None
    if exact:
        main = str(base)
    elif version_scheme == "post-release":
        main = f"{base}.post{distance}"
    elif version_scheme == "no-guess-dev":
        main = f"{base}.post1.dev{distance}"
    else:  # guess-next-dev, and our stand-in for the schemes we do not model
        main = f"{_guess_next(base)}.dev{distance}"
    date = (today or datetime.datetime.now(datetime.timezone.utc).date()).strftime("%Y%m%d")
    if local_scheme == "no-local-version" or exact:
        local = ""
    elif local_scheme == "dirty-tag":
        local = "+dirty" if dirty else ""
    elif node is None:
        local = f"+d{date}" if dirty else ""
    else:
        local = f"+{node}.d{date}" if dirty else f"+{node}"
    return main + local


def _vcs_version(project: Project, git: Git, tool: str) -> ProjectVersion:
    from pubdoctor.context import SourceUnavailable

    tag, distance, node, dirty = _describe(git)
    parsed = tag_version(tag) if tag else None
    if tag is not None and parsed is None:
        raise SourceUnavailable(f"the last git tag `{tag}` is not a PEP 440 version, so the version "
                                f"{tool} derives from it is unknown and the version rules were skipped")
    options = _scm_options(project, tool)
    text = scm_version(parsed, distance, node, dirty,
                       str(options.get("version_scheme", "guess-next-dev")),
                       str(options.get("local_scheme", "node-and-date")))
    if tag is None:
        source = f"{tool}: no git tag yet, {distance} commit(s)"
    elif distance == 0:
        source = f"{tool}: git tag `{tag}`" + (" with uncommitted changes" if dirty else "")
    else:
        source = f"{tool}: {distance} commit(s) after git tag `{tag}`" + (
            " with uncommitted changes" if dirty else "")
    location = project.locate("project", "dynamic") if project.exists else Location()
    return ProjectVersion(text=text, origin="vcs", source=source, location=location, tool=tool,
                          tag=tag, distance=distance, dirty=dirty, node=node)


def _literal_assignment(path: Path, root: Path, names: tuple[str, ...]) -> tuple[str, Location] | None:
    """The string assigned to one of ``names`` at the top level of a Python file, and where."""
    from pubdoctor.files import display_path

    shown = display_path(path, root)
    try:
        tree = ast.parse(read_text(path, shown), filename=shown)
    except (InputError, SyntaxError, ValueError, RecursionError):
        return None
    for node in tree.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        for target in targets:
            if isinstance(target, ast.Name) and target.id in names \
                    and isinstance(value, ast.Constant) and isinstance(value.value, str):
                return value.value.strip(), Location(path=shown, line=node.lineno,
                                                     col=node.col_offset + 1)
    return None


def _is_file(path: Path) -> bool:
    """`Path.is_file`, and False for a name the system refuses (too long, a NUL in it)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _module_file(root: Path, dotted: str, package_dirs: dict[str, str] | None = None) -> Path | None:
    """The source file of a module named ``a.b.c`` in a flat or ``src/`` layout."""
    parts = dotted.split(".")
    bases = [root, root / "src"]
    for prefix, folder in (package_dirs or {}).items():
        if prefix == "" and isinstance(folder, str):  # setuptools refuses any other type
            bases.insert(0, root / folder)
    for base in bases:
        for candidate in (base.joinpath(*parts, "__init__.py"), base.joinpath(*parts[:-1], parts[-1] + ".py")):
            if _is_file(candidate):
                return candidate
    return None


def _configured_path(root: Path, value: object, what: str) -> Path:
    """The file a backend's ``path`` setting names; `SourceUnavailable` when it names none."""
    from pubdoctor.context import SourceUnavailable

    if not isinstance(value, str) or "\0" in value:
        raise SourceUnavailable(f"{what} must be a string naming a file: the version is unknown "
                                "(and the build backend will refuse it too)")
    return root / value


def _from_file(project: Project, root: Path) -> ProjectVersion | None:
    """A dynamic version kept in a file, when the backend's configuration names one."""
    from pubdoctor.context import SourceUnavailable
    from pubdoctor.files import display_path

    backend = project.build_backend or ""
    hatch = project.tool("hatch").get("version", {})
    pdm = project.tool("pdm").get("version", {})
    setuptools_dynamic = project.tool("setuptools").get("dynamic", {})
    attr_names: tuple[str, ...] = ("__version__", "VERSION")
    target: Path | None = None
    what = ""
    if isinstance(hatch, dict) and hatch.get("path") and hatch.get("source", "regex") in ("regex", "code"):
        what = "[tool.hatch.version] path"
        target = _configured_path(root, hatch["path"], what)
    elif isinstance(pdm, dict) and pdm.get("source") == "file" and pdm.get("path"):
        what = "[tool.pdm.version] path"
        target = _configured_path(root, pdm["path"], what)
    elif isinstance(setuptools_dynamic, dict) and isinstance(setuptools_dynamic.get("version"), dict):
        spec = setuptools_dynamic["version"]
        if "attr" in spec:
            dotted = str(spec["attr"])
            module, _, attr = dotted.rpartition(".")
            dirs = project.tool("setuptools").get("package-dir", {})
            target = _module_file(root, module, dirs if isinstance(dirs, dict) else None)
            attr_names, what = (attr,), f"[tool.setuptools.dynamic] version attr `{dotted}`"
            if target is None:
                raise SourceUnavailable(f"cannot find the module of `{dotted}` named by "
                                        "[tool.setuptools.dynamic]: the version is unknown")
        elif "file" in spec:
            files = spec["file"] if isinstance(spec["file"], list) else [spec["file"]]
            if not files:
                return None
            if not isinstance(files[0], str) or "\0" in files[0]:
                raise SourceUnavailable(f"the version file {files[0]!r} named by [tool.setuptools.dynamic] "
                                        "is not a path: the version is unknown")
            path = root / files[0]
            shown = display_path(path, root)
            if not path.resolve().is_relative_to(root.resolve()):
                raise SourceUnavailable(f"the version file {shown} named by [tool.setuptools.dynamic] is "
                                        "outside the repository: pubdoctor does not read it")
            try:
                text = read_text(path, shown).strip()
            except InputError as exc:
                raise SourceUnavailable(f"the version file named by [tool.setuptools.dynamic]: {exc}") from None
            return ProjectVersion(text=text, origin="file", source=f"{shown} ([tool.setuptools.dynamic])",
                                  location=Location(path=shown, line=1, col=1))
    elif backend == "maturin":
        return _from_cargo(project, root)
    elif "flit" in backend:
        module = project.tool("flit").get("module", {})
        name = module.get("name") if isinstance(module, dict) else None
        name = name or (project.name or "").replace("-", "_").replace(".", "_")
        target, what = _module_file(root, str(name)), f"flit's module `{name}`"
    if target is None and not what:
        return None
    if target is None or not _is_file(target):
        raise SourceUnavailable(f"the version file named by {what} does not exist: the version is unknown")
    if not target.resolve().is_relative_to(root.resolve()):
        raise SourceUnavailable(f"the version file named by {what} is outside the repository: "
                                "pubdoctor does not read it")
    found = _literal_assignment(target, root, attr_names)
    if found is None:
        raise SourceUnavailable(f"no literal `{attr_names[0]} = \"...\"` in {display_path(target, root)} "
                                f"(named by {what}): the version is unknown, so the version rules were skipped")
    text, location = found
    return ProjectVersion(text=text, origin="file", source=f"{location.path} ({attr_names[0]})",
                          location=location)


def _cargo_version(path: Path, table: str) -> tuple[Any, int]:
    """``version`` of ``table`` (``package`` or ``workspace.package``) in a Cargo.toml, and its line."""
    import re
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None, 0
    value: Any = data
    for key in (*table.split("."), "version"):
        value = value.get(key) if isinstance(value, dict) else None
    current, line = "", 1
    for number, raw in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*\[([^\[\]]+)\]\s*(#.*)?$", raw)
        if header:
            current = header.group(1).strip()
        elif current == table and re.match(r"\s*version\s*[.=]", raw):
            line = number
            break
    return value, line


def _from_cargo(project: Project, root: Path) -> ProjectVersion | None:
    """maturin's version: ``[package].version`` of the crate's Cargo.toml (``manifest-path``),
    or ``[workspace.package].version`` of the workspace above it with ``version.workspace = true``."""
    from pubdoctor.context import SourceUnavailable
    from pubdoctor.files import display_path

    manifest = project.tool("maturin").get("manifest-path", "Cargo.toml")
    top = root.resolve()
    path = (root / str(manifest)).resolve()
    if not path.is_file() or not path.is_relative_to(top):
        return None
    value, line = _cargo_version(path, "package")
    if isinstance(value, dict) and value.get("workspace") is True:
        for folder in path.parent.parents:
            if not folder.is_relative_to(top):
                break  # pubdoctor reads nothing outside the checked folder
            candidate = folder / "Cargo.toml"
            if candidate.is_file():
                value, line = _cargo_version(candidate, "workspace.package")
                path = candidate
                break
    if not isinstance(value, str):
        raise SourceUnavailable(f"no `version` in {display_path(path, root)} that maturin would "
                                "read: the version is unknown, so the version rules were skipped")
    shown = display_path(path, root)
    return ProjectVersion(text=value, origin="file", source=f"{shown} (Cargo version)",
                          location=Location(path=shown, line=line, col=1))


def _setup_call(tree: ast.Module) -> ast.Call | None:
    """The ``setup(...)`` (or ``setuptools.setup(...)``) call of a setup.py, wherever it is."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(
                func, ast.Attribute) else None
            if name == "setup":
                return node
    return None


def _parsed_setup_call(path: Path) -> ast.Call | None | Literal[False]:
    """The ``setup()`` call of setup.py, parsed with `ast` (never executed): None without
    setup.py or without a call, False when the file cannot be parsed."""
    if not _is_file(path):
        return None
    try:
        tree = ast.parse(read_text(path, "setup.py"), filename="setup.py")
    except (InputError, SyntaxError, ValueError, RecursionError):
        return False
    return _setup_call(tree)


def _from_setup_py(root: Path) -> ProjectVersion | None | bool:
    """``version=`` of the ``setup()`` call in setup.py, read with `ast` (never executed).

    A string literal, or a name assigned a string literal at the top of the file, gives the
    version; any other expression (a function call, an import) makes it unknown (``False``);
    no setup.py or no ``version=`` gives None, and setup.cfg decides.
    """
    path = root / "setup.py"
    call = _parsed_setup_call(path)
    if call is False:
        return False
    keyword = next((k for k in call.keywords if k.arg == "version"), None) if call else None
    if keyword is None:
        if call is not None and any(k.arg == "use_scm_version" for k in call.keywords):
            return False  # setuptools-scm from setup.py: the version comes from git tags
        return None
    value = keyword.value
    if isinstance(value, ast.Name):
        found = _literal_assignment(path, root, (value.id,))
        if found is None:
            return False
        text, location = found
        return ProjectVersion(text=text, origin="file", source=f"setup.py (`{value.id}`)",
                              location=location)
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return ProjectVersion(text=value.value.strip(), origin="file", source="setup.py (`version=`)",
                              location=Location(path="setup.py", line=value.lineno,
                                                col=value.col_offset + 1))
    return False


def setup_py_scm_options(root: Path) -> dict[str, Any] | None:
    """setuptools-scm's options when setup.py asks for it (``setup(use_scm_version=True)`` or a
    dict of literal options), read with `ast`; None when it does not, or cannot be read."""
    call = _parsed_setup_call(root / "setup.py")
    keyword = next((k for k in call.keywords if k.arg == "use_scm_version"), None) if call else None
    if keyword is None:
        return None
    try:
        value = ast.literal_eval(keyword.value)
    except (ValueError, TypeError, SyntaxError, RecursionError):
        return {}  # computed options: setuptools-scm with options pubdoctor cannot read
    if value is True:
        return {}
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else None


def _from_setup_cfg(root: Path) -> ProjectVersion | None | bool:
    """``version`` of ``[metadata]`` in setup.cfg (read with configparser): a literal, or
    setuptools' ``attr:`` (a literal in the module) and ``file:`` directives."""
    import configparser

    path = root / "setup.cfg"
    if not _is_file(path):
        return None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        text = read_text(path, "setup.cfg")
        parser.read_string(text, source="setup.cfg")
        value = parser.get("metadata", "version", fallback=None)
    except (InputError, configparser.Error):
        return False
    if value is None or not value.strip():
        return None
    value = value.strip()
    line = next((n for n, raw in enumerate(text.splitlines(), 1)
                 if raw.split("=", 1)[0].split(":", 1)[0].strip() == "version"), 1)
    location = Location(path="setup.cfg", line=line, col=1)
    if value.startswith("attr:"):
        module, _, attr = value[5:].strip().rpartition(".")
        target = _module_file(root, module) if module else None
        found = _literal_assignment(target, root, (attr,)) if target is not None else None
        if found is None:
            return False
        return ProjectVersion(text=found[0], origin="file", source=f"{found[1].path} ({attr})",
                              location=found[1])
    if value.startswith("file:"):
        name = value[5:].split(",")[0].strip()
        target = root / name
        if not name or not _is_file(target) or not target.resolve().is_relative_to(root.resolve()):
            return False
        try:
            version_text = read_text(target, name).strip()
        except InputError:
            return False
        return ProjectVersion(text=version_text, origin="file", source=f"{name} (setup.cfg `file:`)",
                              location=Location(path=name, line=1, col=1))
    return ProjectVersion(text=value, origin="file", source="setup.cfg ([metadata] version)",
                          location=location)


def _from_setuptools_files(project: Project, root: Path) -> ProjectVersion | None:
    """The version setuptools takes from setup.py, else setup.cfg, when pyproject.toml gives
    none (no file, no ``[project]`` table, or ``version`` in ``dynamic`` without a
    ``[tool.setuptools.dynamic]`` entry). setup.py's keywords win over setup.cfg."""
    from pubdoctor.context import SourceUnavailable

    backend = project.build_backend
    if backend is not None and not backend.startswith("setuptools"):
        return None
    for reader, name in ((_from_setup_py, "setup.py"), (_from_setup_cfg, "setup.cfg")):
        found = reader(root)
        if found is False:
            raise SourceUnavailable(f"the version in {name} is not a literal pubdoctor can read "
                                    "without running it: the version is unknown, so the version "
                                    "rules were skipped")
        if isinstance(found, ProjectVersion):
            return found
    return None


def load_version(project: Project, root: Path, git: Git | None = None) -> ProjectVersion:
    """The version of the project at ``root``; raises `SourceUnavailable` when it is unknown."""
    from pubdoctor.context import SourceUnavailable

    if not project.exists:
        legacy = _from_setuptools_files(project, root)
        if legacy is None:
            raise SourceUnavailable("no pyproject.toml: the version is unknown, so the version "
                                    "rules were skipped")
        return _valid(legacy)
    workspace = project.tool("uv").get("workspace")
    if isinstance(workspace, dict) and workspace.get("members") and "build-system" not in project.data:
        raise SourceUnavailable("pyproject.toml is the root of a uv workspace without a [build-system]: "
                                "what gets published are its members, so the version rules were "
                                "skipped for the root (PD401 to PD404 read the members a job builds and "
                                "uploads)")
    found: ProjectVersion | None = None
    static = project.static_version
    tool = vcs_tool(project)
    if tool == "poetry-dynamic-versioning":  # [tool.poetry].version is only a placeholder then
        found = _vcs_version(project, git or Git(root), tool)
    elif static is not None:
        table = "project" if isinstance(project.project_table.get("version"), str) else "tool.poetry"
        found = ProjectVersion(text=static, origin="static", source=f"[{table}].version",
                               location=project.locate(table, "version"))
    elif tool is not None:
        found = _vcs_version(project, git or Git(root), tool)
    else:
        found = _from_file(project, root) or _from_setuptools_files(project, root)
    if found is None:
        raise SourceUnavailable("the version is dynamic and pubdoctor cannot tell where the build "
                                "backend takes it from, so the version rules were skipped")
    return _valid(found)


def _valid(found: ProjectVersion) -> ProjectVersion:
    """``found`` if it is a PEP 440 version; else the index refuses it: `SourceUnavailable`."""
    from pubdoctor.context import SourceUnavailable

    try:
        Version(found.text)
    except InvalidVersion:
        raise SourceUnavailable(f"version {found.text!r} ({found.source}) is not a valid PEP 440 "
                                "version: the index will refuse it", "warning") from None
    return found


def load_version_for(context: Any) -> ProjectVersion:
    """Context loader: the version of the project at the checked root."""
    return load_version(context.get("project"), context.root, context.get("git"))
