"""Release tools that decide the version from commit messages, and how each reads them.

Detected from ``[tool.semantic_release]`` and ``[tool.commitizen]`` in pyproject.toml,
``release-please-config.json`` / ``.release-please-manifest.json``, ``.releaserc*`` (and
``release`` in package.json) for semantic-release on npm, and from workflow steps (the
python-semantic-release action or ``semantic-release version``, ``cz bump`` or the
commitizen action, the release-please action, ``npx semantic-release``).

Each `ReleaseTool` carries the settings that change how commits are read (PSR's parser and
its tags, commitizen's rule name and patterns, release-please's changelog sections,
semantic-release's preset) and answers two questions about a message: does the tool
understand it, and which bump does it give. The rules never need to know which tool it is.

The module imports only the standard library; the commit-msg hook reads the configured
types through `pubdoctor.committypes`, which this module shares.
"""

from __future__ import annotations

import re
import shlex
import sys
from dataclasses import field
from pathlib import Path
from typing import Any

from pubdoctor.committypes import CZ_TYPES, PSR_ALLOWED, PSR_MINOR, PSR_PATCH, psr_allowed
from pubdoctor.committypes import strings as _strings
from pubdoctor.conventional import NotConventional, parse, try_parse
from pubdoctor.lazyregex import lazy_compile
from pubdoctor.records import record

PSR = "python-semantic-release"
CZ = "commitizen"
RELEASE_PLEASE = "release-please"
NPM_SR = "semantic-release"

PSR_PARSERS = {"conventional", "angular", "semantic_release.history.angular_parser",
               "semantic_release.commit_parser.angular", "semantic_release.commit_parser.conventional"}
_PSR_BREAKING = lazy_compile(r"BREAKING[ -]CHANGE:\s?(.*)")

# commitizen, cz_conventional_commits (commitizen/cz/conventional_commits).
CZ_SCHEMA = (r"(?s)(build|ci|docs|feat|fix|perf|refactor|style|test|chore|revert|bump)"
             r"(\(\S+\))?!?:( [^\n\r]+)((\n\n.*)|(\s*))?$")
CZ_BUMP_PATTERN = r"^((BREAKING[\-\ ]CHANGE|\w+)(\(.+\))?!?):"
CZ_BUMP_MAP = {r"^.+!$": "major", r"^BREAKING[\-\ ]CHANGE": "major", r"^feat": "minor",
               r"^fix": "patch", r"^refactor": "patch", r"^perf": "patch"}
#: commitizen's tag_format may spell the version out: ``$major.$minor.$patch``, then
#: ``$prerelease`` and ``$devrelease`` (``ver$major.$minor.$patch.$prerelease`` tags ``ver1.2.3.a0``).
_CZ_PARTS = lazy_compile(r"\$\{?major\}?\.\$\{?minor\}?\.\$\{?patch\}?(?:[.-]?\$\{?(?:prerelease|devrelease)\}?)*")
#: The type of a commitizen message, for the summaries (its rules may name any word a type).
_CZ_TYPE = lazy_compile(r"([A-Za-z][\w-]*)(?:\([^)\n]*\))?!?:")
#: ``cz check`` lets these through untouched (its ``--allowed-prefixes`` default).
CZ_ALLOWED_PREFIXES = ("Merge", "Revert", "Pull request", "fixup!", "squash!")

# release-please: the default changelog sections; hidden types make no release.
RP_VISIBLE = ("feat", "fix", "perf", "revert", "deps")

# semantic-release (npm): @semantic-release/commit-analyzer default release rules.
SR_RULES = {"feat": "minor", "fix": "patch", "perf": "patch", "revert": "patch"}
_SR_ANGULAR = lazy_compile(r"(\w*)(?:\((.*)\))?: (.*)")
_SR_CONVENTIONAL = lazy_compile(r"(\w*)(?:\((.*)\))?!?: (.*)")

@record
class Verdict:
    """What a tool makes of one commit message."""

    understood: bool
    bump: str | None = None  # "patch", "minor", "major" or None
    reason: str = ""
    type: str | None = None


@record
class ReleaseTool:
    """One release tool and the settings that change how it reads commit messages."""

    name: str
    found_in: str
    location: Any = None  # a pubdoctor.findings.Location, set by the loader
    tag_formats: tuple[str, ...] = ("v{version}", "{version}")
    parser: str = "conventional"
    allowed_types: tuple[str, ...] | None = None  # None: any type
    minor_types: tuple[str, ...] = ("feat",)
    patch_types: tuple[str, ...] = ("fix",)
    default_bump: str | None = None
    bang: bool = True
    case_sensitive: bool = True
    schema_pattern: str | None = None
    bump_pattern: str | None = None
    bump_map: dict[str, str] = field(default_factory=dict)
    release_type: str | None = None
    bumps_version: bool = True
    major_on_zero: bool = True
    in_workflow: bool = False
    squash_commits: bool = False  # PSR's parse_squash_commits: read commits listed in the body
    #: Each package reads only the commits touching its folder and has its own tags
    #: (release-please's ``packages`` other than ``.``): one tag's history cannot tell its bump.
    path_scoped: bool = False
    #: The tool's own settings as configured (PSR's and commitizen's table, release-please's
    #: merged config and package, semantic-release's options): what `nextversion` reads.
    config: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    #: The major version of the tool the workflow runs (an action ref ``@v9.x``, a pinned
    #: ``pip install python-semantic-release==8.*``), None when unknown (the latest).
    major: int | None = None
    #: release-please's manifest (package path -> version), and where it was read.
    manifest: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _verdicts: dict[str, Verdict] = field(default_factory=dict, repr=False, compare=False)
    _pattern: Any = field(default=None, repr=False, compare=False)

    @property
    def modelled(self) -> bool:
        """Whether pubdoctor knows how this tool (with this parser) reads commits."""
        return self.parser in ("conventional", "cz_conventional_commits", "cz_customize",
                               "release-please", "angular-preset", "conventionalcommits-preset") and (
            self.parser != "cz_customize" or bool(self.schema_pattern or self.bump_pattern))

    @property
    def example_types(self) -> str:
        types = self.allowed_types or ("feat", "fix", "docs", "chore")
        return ", ".join(types)

    def judge(self, message: str) -> Verdict:
        """Does the tool understand ``message``, and which bump does it give?

        Remembered per message: several rules ask about the same commits.
        """
        verdict = self._verdicts.get(message)
        if verdict is None:
            verdict = self._verdicts[message] = self._judge(message)
        return verdict

    def _judge(self, message: str) -> Verdict:
        subject = message.split("\n", 1)[0]
        if self.name == CZ:
            return self._judge_cz(message, subject)
        if self.name == NPM_SR:
            return self._judge_npm(message, subject)
        if self.name == PSR:
            return self._judge_psr(message)
        try:
            commit = parse(message)
        except NotConventional as exc:
            return Verdict(False, reason=f"{exc.problem} (Conventional Commits rule {exc.rule})")
        kind = commit.type if self.case_sensitive else commit.type.lower()
        if self.allowed_types is not None and kind not in self.allowed_types:
            return Verdict(False, reason=self._why_not(message), type=commit.type)
        if commit.breaking:
            return Verdict(True, "major", type=kind)
        if kind in self.minor_types:
            return Verdict(True, "minor", type=kind)
        if kind in self.patch_types:
            return Verdict(True, "patch", type=kind)
        if self.name == RELEASE_PLEASE and commit.footer("Release-As") is not None:
            return Verdict(True, "patch", type=kind)
        return Verdict(True, self.default_bump, type=kind)

    def _judge_psr(self, message: str) -> Verdict:
        """python-semantic-release's conventional parser: its own header pattern, which is
        laxer than the specification (``:\\s+``, any scope, no blank line needed) but takes
        only the allowed tags, as written."""
        if self._pattern is None:
            tags = "|".join(re.escape(t) for t in self.allowed_types or PSR_ALLOWED)
            self._pattern = re.compile(
                rf"(?P<type>{tags})(?:\((?P<scope>[^\n]+)\))?(?P<bang>!)?:\s+(?P<subject>[^\n]+)")
        match = self._pattern.match(message)
        if match is None:
            squashed = self._judge_squashed(message) if self.squash_commits else None
            if squashed is not None:
                return squashed
            return Verdict(False, reason=self._why_not(message))
        kind = match.group("type")
        paragraphs = message.split("\n\n")[1:]
        if match.group("bang") or any(_PSR_BREAKING.match(p.strip()) for p in paragraphs):
            return Verdict(True, "major", type=kind)
        if kind in self.minor_types:
            return Verdict(True, "minor", type=kind)
        if kind in self.patch_types:
            return Verdict(True, "patch", type=kind)
        return Verdict(True, self.default_bump, type=kind)

    def _why_not(self, message: str) -> str:
        """Why a message is not read: the rule of the specification it breaks, else its type."""
        if message.startswith('Revert "'):
            return ("it is git's default revert message (`Revert \"...\"`), which has no "
                    "`type:` prefix (`fix: revert ...` releases the revert)")
        try:
            commit = parse(message)
        except NotConventional as exc:
            return f"{exc.problem} (Conventional Commits rule {exc.rule})"
        types = self.allowed_types or ()
        case = ""
        if commit.type not in types and commit.type.lower() in types:
            case = f" ({self.name} compares types case-sensitively)"
        return f"type `{commit.type}` is not one of {self.name}'s types ({', '.join(types)}){case}"

    def _judge_squashed(self, message: str) -> Verdict | None:
        """PSR's ``parse_squash_commits``: a squash merge whose body lists conventional commits
        (``* feat: x`` as GitHub writes them, or ``git merge --squash``'s indented messages)."""
        verdicts = []
        for paragraph in message.split("\n\n")[1:]:
            line = re.sub(r"^(?:[\t ]*[*-][\t ]+|[\t ]+)", "", paragraph.strip("\n"))
            first = line.split("\n", 1)[0]
            if len(first.partition(":")[2].split()) < 2:
                continue  # PSR wants more than one word, to tell commits from footers
            verdict = self._judge(first)
            if verdict.understood:
                verdicts.append(verdict)
        if not verdicts:
            return None
        return Verdict(True, strongest([v.bump for v in verdicts]), type=verdicts[0].type)

    def _judge_cz(self, message: str, subject: str) -> Verdict:
        if self.schema_pattern and not subject.startswith(CZ_ALLOWED_PREFIXES):
            try:
                ok = re.match(self.schema_pattern, message.strip()) is not None
            except re.error:
                ok = True
            if not ok:
                reason = "it does not match commitizen's schema_pattern"
                if self.parser == "cz_conventional_commits":
                    commit = try_parse(message)
                    if commit is None:
                        try:
                            parse(message)
                        except NotConventional as exc:
                            reason = f"{exc.problem} (Conventional Commits rule {exc.rule})"
                    else:
                        reason = (f"type `{commit.type}` is not one of commitizen's types "
                                  f"({', '.join(CZ_TYPES)})")
                return Verdict(False, reason=reason)
        bump: str | None = None
        try:
            pattern = re.compile(self.bump_pattern or CZ_BUMP_PATTERN)
        except re.error:
            return Verdict(True)
        for line in message.split("\n"):
            found = pattern.search(line)
            if not found:
                continue
            keyword = found.group(1)
            for rule, level in self.bump_map.items():
                try:
                    if re.match(rule, keyword):
                        bump = _max_bump(bump, level.lower())
                        break
                except re.error:
                    continue
        kind = _CZ_TYPE.match(subject)
        return Verdict(True, bump, type=kind.group(1) if kind else None)

    def _judge_npm(self, message: str, subject: str) -> Verdict:
        if subject.startswith(("Revert ", "revert:")) and "This reverts commit" in message:
            return Verdict(True, SR_RULES["revert"], type="revert")
        pattern = _SR_CONVENTIONAL if self.bang else _SR_ANGULAR
        match = pattern.fullmatch(subject)
        if match is None or not match.group(1):
            reason = "the first line is not `type(scope): subject`"
            if not self.bang and re.match(r"\w+(\(.*\))?!: ", subject):
                reason = ("the `!` is not understood by semantic-release's default `angular` "
                          "preset (use `preset: conventionalcommits`, or a BREAKING CHANGE footer)")
            return Verdict(False, reason=reason)
        kind = match.group(1)
        keywords = ("BREAKING CHANGE", "BREAKING CHANGES") + (("BREAKING-CHANGE",) if self.bang else ())
        body_lines = message.split("\n")[1:]
        if any(line.startswith(keywords) for line in body_lines) or (
                self.bang and re.match(r"\w+(\(.*\))?!: ", subject)):
            return Verdict(True, "major", type=kind)
        bump = self.bump_map.get(kind, SR_RULES.get(kind))
        return Verdict(True, None if bump in (None, "none") else bump, type=kind)

    def next_versions(self, current: Any) -> dict[str, str]:
        """What each bump would release after ``current`` (a packaging Version)."""
        major, minor, patch = (list(current.release) + [0, 0, 0])[:3]
        versions = {"patch": f"{major}.{minor}.{patch + 1}", "minor": f"{major}.{minor + 1}.0",
                    "major": f"{major + 1}.0.0"}
        if major == 0 and not self.major_on_zero:
            versions["major"] = versions["minor"]
        return versions


def _max_bump(a: str | None, b: str | None) -> str | None:
    order = {None: -1, "patch": 0, "minor": 1, "major": 2}
    return a if order.get(a, -1) >= order.get(b, -1) else b


def strongest(bumps: list[str | None]) -> str | None:
    result: str | None = None
    for bump in bumps:
        result = _max_bump(result, bump)
    return result


def _psr_level(value: Any) -> str | None:
    """PSR's ``default_bump_level`` (0 no release, 1 prerelease, 2 patch, 3 minor, 4 major)."""
    names = {2: "patch", 3: "minor", 4: "major", "patch": "patch", "minor": "minor", "major": "major"}
    if isinstance(value, str):
        return names.get(value.lower())
    # bool is an int (True == 1): neither is a level PSR accepts; lists and tables are not either.
    return names.get(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _format_from(template: str, placeholders: tuple[str, ...]) -> str | None:
    """A tag template with ``{version}`` as the only placeholder, or None when it has others."""
    result = template
    for placeholder in placeholders:
        result = result.replace(placeholder, "{version}")
    if "{version}" not in result or re.search(r"\$\{?\w|\{(?!version\})", result):
        return None
    return result


def _psr(table: dict[str, Any]) -> ReleaseTool:
    parser = str(table.get("commit_parser", "conventional"))
    options = table.get("commit_parser_options")
    options = options if isinstance(options, dict) else {}
    # v7 kept the parser's settings at the top level, as comma-separated strings.
    allowed = psr_allowed(table)
    minor = _strings(options.get("minor_tags", table.get("parser_angular_minor_types")), PSR_MINOR)
    patch = _strings(options.get("patch_tags", table.get("parser_angular_patch_types")), PSR_PATCH)
    default = _psr_level(options.get("default_bump_level", table.get("parser_angular_default_level_bump")))
    template = table.get("tag_format", "v{version}")
    tag_format = _format_from(str(template), ("{version}",)) if isinstance(template, str) else None
    return ReleaseTool(
        name=PSR, found_in="pyproject.toml [tool.semantic_release]",
        tag_formats=(tag_format,) if tag_format else ("v{version}", "{version}"),
        parser="conventional" if parser in PSR_PARSERS else parser,
        allowed_types=allowed, minor_types=minor, patch_types=patch, default_bump=default,
        case_sensitive=True, major_on_zero=table.get("major_on_zero", True) is not False,
        squash_commits=options.get("parse_squash_commits", True) is not False,
        config=table,
    )


def _cz(table: dict[str, Any]) -> ReleaseTool:
    name = str(table.get("name", "cz_conventional_commits"))
    template = table.get("tag_format") or "$version"
    tag_format = _format_from(_CZ_PARTS.sub("$version", template), ("${version}", "$version")) \
        if isinstance(template, str) else None
    formats: tuple[str, ...] = (tag_format,) if tag_format else ("v{version}", "{version}")
    legacy = table.get("legacy_tag_formats")  # older formats it still reads as releases
    for item in legacy if isinstance(legacy, list) else []:
        found = _format_from(_CZ_PARTS.sub("$version", item), ("${version}", "$version")) \
            if isinstance(item, str) else None
        if found and found not in formats:
            formats += (found,)
    tool = ReleaseTool(name=CZ, found_in="pyproject.toml [tool.commitizen]", tag_formats=formats,
                       parser=name, case_sensitive=True, config=table)
    if name == "cz_conventional_commits":
        tool.schema_pattern, tool.bump_pattern = CZ_SCHEMA, CZ_BUMP_PATTERN
        tool.bump_map = dict(CZ_BUMP_MAP)
        tool.allowed_types = CZ_TYPES
    elif name == "cz_customize":
        custom = table.get("customize")
        custom = custom if isinstance(custom, dict) else {}
        for key in ("schema_pattern", "bump_pattern"):
            if isinstance(custom.get(key), str):
                setattr(tool, key, custom[key])
        bump_map = custom.get("bump_map")
        if isinstance(bump_map, dict):
            tool.bump_map = {str(k): str(v).lower() for k, v in bump_map.items()}
    if table.get("major_version_zero") is True:
        tool.major_on_zero = False
    return tool


def tools_from_pyproject(data: dict[str, Any]) -> list[ReleaseTool]:
    """The tools configured in a parsed pyproject.toml."""
    tools = data.get("tool")
    tools = tools if isinstance(tools, dict) else {}
    found: list[ReleaseTool] = []
    psr = tools.get("semantic_release")
    if isinstance(psr, dict):
        found.append(_psr(psr))
    cz = tools.get("commitizen")
    if isinstance(cz, dict):
        found.append(_cz(cz))
    return found


#: commitizen's other configuration files, in the order it reads them after pyproject.toml
#: (commitizen/defaults.py CONFIG_FILES); TOML files keep the ``[tool.commitizen]`` table.
_CZ_FILES = (".cz.toml", ".cz.json", "cz.json", ".cz.yaml", "cz.yaml", "cz.toml")


def _cz_file(root: Path) -> tuple[str, dict[str, Any]] | None:
    """The first commitizen configuration file beside pyproject.toml and its settings."""
    for name in _CZ_FILES:
        path = root / name
        if not path.is_file():
            continue
        data: Any = None
        try:
            from pubdoctor.files import read_text

            text = read_text(path, name)  # a regular file of bounded size
            if name.endswith(".toml"):
                if sys.version_info >= (3, 11):
                    import tomllib
                else:  # pragma: no cover
                    import tomli as tomllib
                data = tomllib.loads(text).get("tool", {}).get("commitizen")
            elif name.endswith(".json"):
                data = _read_json(path)
                data = data.get("commitizen") if isinstance(data, dict) else None
            else:
                from ruamel.yaml import YAML

                from pubdoctor.sources.yamlfile import check_limits

                check_limits(text, name)  # an alias bomb is unreadable, not a hang
                data = YAML(typ="safe", pure=True).load(text)
                data = data.get("commitizen") if isinstance(data, dict) else None
        except Exception:  # noqa: BLE001 - a file commitizen cannot read either is skipped
            data = None
        if isinstance(data, dict):
            return name, data
    return None


#: ``semantic-release -c FILE`` / ``--config FILE``: PSR reads that file instead of pyproject.toml.
_PSR_CONFIG = lazy_compile(r"(?:^|\s)(?:-c|--config)(?:=|\s+)(['\"]?)([^\s'\"]+)\1")


def _psr_config_file(root: Path, run: str | None) -> tuple[str, dict[str, Any]] | None:
    """The configuration file a ``semantic-release --config FILE`` step names, and its settings
    (``[tool.semantic_release]``, else ``[semantic_release]``; a JSON file's ``semantic_release``)."""
    for line in (run or "").splitlines():
        if "semantic-release" not in line and "semantic_release" not in line:
            continue
        match = _PSR_CONFIG.search(line)
        if match is None:
            continue
        name = match.group(2)
        path = root / name
        try:
            if not path.is_file() or not path.resolve().is_relative_to(root.resolve()):
                return None
            if name.endswith(".json"):
                data = _read_json(path)
                table = data.get("semantic_release") if isinstance(data, dict) else None
            else:
                if sys.version_info >= (3, 11):
                    import tomllib
                else:  # pragma: no cover
                    import tomli as tomllib
                data = tomllib.loads(path.read_text(encoding="utf-8"))
                tool = data.get("tool")
                table = tool.get("semantic_release") if isinstance(tool, dict) else None
                table = table if isinstance(table, dict) else data.get("semantic_release")
        except Exception:  # noqa: BLE001 - a file PSR cannot read either: its defaults
            return None
        return (name, table) if isinstance(table, dict) else None
    return None


def _read_json(path: Path) -> Any:
    """The parsed JSON of ``path``, or None when it cannot be read or parsed.

    An unreadable config is treated as an unknown one. `read_text` bounds the size and
    refuses binary files; nesting deeper than Python's recursion limit is refused by `json`
    with a `RecursionError`, which is not a `ValueError`.
    """
    import json

    from pubdoctor.errors import InputError
    from pubdoctor.files import read_text

    try:
        return json.loads(read_text(path, path.name))
    except (InputError, ValueError, RecursionError):
        return None


def _inside(root: Path, name: Any, default: str) -> Path:
    """``root / name`` when ``name`` is a plain relative path inside ``root``, else the default."""
    if isinstance(name, str) and name.strip() and "${{" not in name and "\0" not in name:
        path = root / name.strip()
        try:
            if path.resolve().is_relative_to(root.resolve()):
                return path
        except (OSError, ValueError):
            pass
    return root / default


def _release_please(root: Path, release_type: str | None = None, config_file: Any = None,
                    manifest_file: Any = None) -> ReleaseTool | None:
    """release-please, from its config and manifest wherever the action's ``config-file`` and
    ``manifest-file`` inputs put them (the repository's top by default)."""
    config_path = _inside(root, config_file, "release-please-config.json")
    manifest = _inside(root, manifest_file, ".release-please-manifest.json")
    if not config_path.is_file() and not manifest.is_file() and release_type is None:
        return None
    config = _read_json(config_path) if config_path.is_file() else None
    config = config if isinstance(config, dict) else {}
    packages = config.get("packages")
    package = packages.get(".") if isinstance(packages, dict) else None
    package = package if isinstance(package, dict) else {}
    merged = {**config, **package}
    visible: tuple[str, ...] = RP_VISIBLE
    sections = merged.get("changelog-sections")
    if isinstance(sections, list):
        visible = tuple(str(s.get("type")) for s in sections
                        if isinstance(s, dict) and s.get("type") and not s.get("hidden"))
    include_v = merged.get("include-v-in-tag", True) is not False
    version = "v{version}" if include_v else "{version}"
    shown = config_path.relative_to(root).as_posix()
    manifest_shown = manifest.relative_to(root).as_posix()
    found_in = shown if config_path.is_file() else (
        manifest_shown if manifest.is_file() else "workflow")
    versions = _read_json(manifest) if manifest.is_file() else None
    return ReleaseTool(
        name=RELEASE_PLEASE, found_in=found_in,
        tag_formats=(version, "*-" + version),
        parser="release-please", allowed_types=None, minor_types=("feat",),
        patch_types=visible, case_sensitive=False,
        release_type=str(merged.get("release-type") or release_type or "") or None,
        major_on_zero=not merged.get("bump-minor-pre-major", False),
        path_scoped=isinstance(packages, dict) and any(path != "." for path in packages),
        config=merged,
        manifest={str(k): str(v) for k, v in versions.items()} if isinstance(versions, dict) else {},
    )


_RELEASERC = (".releaserc", ".releaserc.json", ".releaserc.yaml", ".releaserc.yml",
              ".releaserc.js", ".releaserc.cjs", ".releaserc.mjs", "release.config.js",
              "release.config.cjs", "release.config.mjs")


def _npm_config(root: Path) -> tuple[str, Any] | None:
    for name in _RELEASERC:
        path = root / name
        if path.is_file():
            if name.endswith(("js", "cjs", "mjs")):
                return name, None
            data = _read_json(path)
            # semantic-release (cosmiconfig) reads ``.releaserc.json`` as JSON only, and the
            # others as YAML, of which JSON is a subset
            if data is None and not name.endswith(".json"):
                try:
                    from ruamel.yaml import YAML

                    from pubdoctor.files import read_text
                    from pubdoctor.sources.yamlfile import check_limits

                    text = read_text(path, name)
                    check_limits(text, name)  # an alias bomb is unreadable, not a hang
                    data = YAML(typ="safe", pure=True).load(text)
                except Exception:  # noqa: BLE001 - an unreadable config is treated as unknown
                    data = None
            return name, data
    package = _read_json(root / "package.json") if (root / "package.json").is_file() else None
    if isinstance(package, dict) and isinstance(package.get("release"), dict):
        return "package.json", package["release"]
    return None


def _semantic_release(found_in: str, config: Any) -> ReleaseTool:
    preset = "angular"
    rules: dict[str, str] = {}
    tag_template = "v${version}"
    if isinstance(config, dict):
        # semantic-release validates none of these shapes before it runs: a value of the wrong
        # type is read as the default it replaces.
        if isinstance(config.get("tagFormat"), str):
            tag_template = config["tagFormat"]
        plugins = config.get("plugins")
        for plugin in plugins if isinstance(plugins, list) else []:
            if isinstance(plugin, list) and plugin and plugin[0] == "@semantic-release/commit-analyzer":
                options = plugin[1] if len(plugin) > 1 and isinstance(plugin[1], dict) else {}
                if isinstance(options.get("preset"), str):
                    preset = options["preset"]
                release_rules = options.get("releaseRules")
                for rule in release_rules if isinstance(release_rules, list) else []:
                    if isinstance(rule, dict) and set(rule) == {"type", "release"}:
                        rules[str(rule["type"])] = str(rule["release"]) if rule["release"] else "none"
    tag_format = _format_from(tag_template, ("${version}",))
    return ReleaseTool(
        name=NPM_SR, found_in=found_in, config=config if isinstance(config, dict) else {},
        tag_formats=(tag_format,) if tag_format else ("v{version}",),
        parser="conventionalcommits-preset" if preset == "conventionalcommits" else (
            "angular-preset" if preset == "angular" else preset),
        bang=preset == "conventionalcommits", bump_map=rules, case_sensitive=True,
    )


# --- workflow steps -------------------------------------------------------------------------

_ACTIONS = {
    "python-semantic-release/python-semantic-release": PSR,
    "relekang/python-semantic-release": PSR,
    "commitizen-tools/commitizen-action": CZ,
    "googleapis/release-please-action": RELEASE_PLEASE,
    "google-github-actions/release-please-action": RELEASE_PLEASE,
    "cycjimmy/semantic-release-action": NPM_SR,
    "codfish/semantic-release-action": NPM_SR,
}
_NPM_RUNNERS = ("npx", "npm", "pnpm", "yarn", "bunx", "pnpx")


def step_tool(uses: str | None, run: str | None) -> str | None:
    """The release tool a workflow step runs, if any."""
    if uses:
        action = uses.split("@", 1)[0].lower().rstrip("/")
        return _ACTIONS.get(action)
    if not run or not _TOOL_WORDS.search(run):
        return None  # no release tool named: not worth a shell split
    for line in re.sub(r"\\\r?\n", " ", run).splitlines():
        for part in re.split(r"&&|\|\||;|\|", line):
            try:
                tokens = shlex.split(part, comments=True)
            except ValueError:
                tokens = part.split()
            found = _command_tool(tokens)
            if found:
                return found
    return None


#: A substring of every command `_command_tool` recognises.
_TOOL_WORDS = lazy_compile(r"semantic|psr|release-please|cz|commitizen")


def _command_tool(tokens: list[str]) -> str | None:
    words = [t.rsplit("/", 1)[-1] for t in tokens]
    for i, word in enumerate(words):
        rest = [w for j, w in enumerate(words[i + 1:], i + 1)  # options and -c/--config's file
                if not w.startswith("-") and words[j - 1] not in ("-c", "--config")]
        if word in ("semantic-release", "python-semantic-release", "psr", "semantic_release"):
            npm = any(w in _NPM_RUNNERS or w in ("exec", "dlx") for w in words[:i])
            if word == "semantic-release" and (npm or not rest):
                return NPM_SR
            if rest and rest[0] in ("version", "publish", "changelog"):
                return PSR
        if word in ("release-please",) and any(w in _NPM_RUNNERS for w in words[:i]):
            return RELEASE_PLEASE
        if word in ("cz", "commitizen") and "bump" in words[i + 1:]:
            return CZ
    return None


def _first_steps(workflows: Any) -> dict[str, tuple[Any, Any]]:
    """Each release tool the workflows run -> its first ``(step, job)``."""
    steps: dict[str, tuple[Any, Any]] = {}
    for workflow in getattr(workflows, "files", []):
        for job in workflow.jobs.values():
            for step in job.steps:
                name = step_tool(step.uses, step.run)
                if name and name not in steps:
                    steps[name] = (step, job)
    return steps


def detect(root: Path, pyproject: dict[str, Any], workflows: Any,
           steps: dict[str, tuple[Any, Any]] | None = None) -> list[ReleaseTool]:
    """Every release tool of the repository at ``root``, configured or run by a workflow
    (``steps``: `_first_steps` of ``workflows``, when the caller has them already)."""
    tools = {tool.name: tool for tool in tools_from_pyproject(pyproject)}
    cz_file = _cz_file(root) if CZ not in tools else None
    if cz_file is not None:
        tools[CZ] = _cz(cz_file[1])
        tools[CZ].found_in = cz_file[0]
    if steps is None:
        steps = _first_steps(workflows)
    psr_file = _psr_config_file(root, steps[PSR][0].run) if PSR in steps else None
    if psr_file is not None:
        tools[PSR] = _psr(psr_file[1])
        tools[PSR].found_in = psr_file[0]
    rp_type = None
    rp_inputs: dict[str, Any] = {}
    if RELEASE_PLEASE in steps:
        rp_inputs = steps[RELEASE_PLEASE][0].with_
        rp_type = rp_inputs.get("release-type")
    release_please = _release_please(root, str(rp_type) if rp_type else (
        "" if RELEASE_PLEASE in steps else None), rp_inputs.get("config-file"),
        rp_inputs.get("manifest-file"))
    if release_please is not None:
        tools[RELEASE_PLEASE] = release_please
    npm = _npm_config(root)
    if npm is not None or NPM_SR in steps:
        tools[NPM_SR] = _semantic_release(npm[0] if npm else "workflow", npm[1] if npm else None)
    for name, (step, _job) in steps.items():
        if name not in tools:
            if name == PSR:
                tools[name] = _psr({})
            elif name == CZ:
                tools[name] = _cz({})
            else:
                continue
            tools[name].found_in = f"{step.location.path} (no configuration: the defaults)"
        tools[name].in_workflow = True
        tools[name].major = tool_major(step.uses, step.run)
    return list(tools.values())


_PIN = lazy_compile(r"python-semantic-release\s*(?:==|~=|>=)\s*v?(\d+)|semantic-release@v?(\d+)|"
                  r"commitizen\s*(?:==|~=|>=)\s*v?(\d+)")


def tool_major(uses: str | None, run: str | None) -> int | None:
    """The major version of the tool a step runs: the action's ref (``@v9``, ``@v9.8.1``,
    ``@v10.x``) or the version a ``pip install``/``uvx``/``npx`` line pins; None for a branch
    (``@master`` runs the latest), a commit SHA, or nothing pinned."""
    if uses:
        ref = uses.partition("@")[2].strip()
        found = re.fullmatch(r"v?(\d+)(?:\.[\dx]+)*", ref)
        return int(found.group(1)) if found else None
    found = _PIN.search(run or "")
    if found:
        return int(next(g for g in found.groups() if g))
    return None


def load_release_tools_for(context: Any) -> list[ReleaseTool]:
    """Context loader: the release tools, each with the `Location` where it was found."""
    from pubdoctor.findings import Location

    project = context.get("project")
    workflows = context.get("workflows")
    steps = _first_steps(workflows)
    tools = detect(context.root, project.data, workflows, steps)
    for tool in tools:
        if tool.found_in.startswith("pyproject.toml"):
            table = "tool.semantic_release" if tool.name == PSR else "tool.commitizen"
            tool.location = project.locate(table)
        elif " " not in tool.found_in and tool.found_in != "workflow":
            tool.location = Location(path=tool.found_in, line=1, col=1)
        elif tool.name in steps:
            step = steps[tool.name][0]
            tool.location = step.key_location("uses" if step.uses else "run")
    return tools


def load_predictions_for(context: Any) -> list[Any]:
    """Context loader: what each release tool that decides the version will do next
    (`pubdoctor.sources.nextversion`, whose models are imported only when there is one)."""
    tools = [t for t in context.get("release_tools") if t.bumps_version]
    if not tools:
        return []
    from pubdoctor.sources.nextversion import predictions_for

    return predictions_for(context, tools)
