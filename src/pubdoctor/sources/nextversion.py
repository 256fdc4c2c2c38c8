"""What each release tool will decide: its last release, the commits it reads, its next version.

One model per tool, written from the tool's own algorithm (its sources and documented
defaults), not from its output on a few repositories; ``tests/releasetools/`` compares the
models with the real python-semantic-release and commitizen on real repositories.

- python-semantic-release v8 to v10: tags read through ``tag_format`` as
  SemVer (``1.2.3``, ``1.2.3-rc.1``), the branch's group of ``branches`` (``match``,
  ``prerelease``, ``prerelease_token``), the commits since the latest full release (or the
  latest pre-release of the same token on a pre-release branch), ``allow_zero_version``
  (true before v10, false since: a ``0.x`` history then releases ``1.0.0`` even without a
  bumping commit), ``major_on_zero``, and its ``next_version`` / ``_increment_version``.
  v7 (an action or install pinned to 7): the current version from the files (or the tags with
  ``version_source = "tag"``), the commits since its tag back to its release commit,
  ``patch_without_tag``, ``major_on_zero``; no pre-releases.
- commitizen: the current version from its ``version_provider`` (``commitizen``'s
  ``version``, ``pep621``, ``uv``, ``poetry``, ``scm``), the tag of that version through
  ``tag_format`` and ``legacy_tag_formats`` (none found: the whole history, as ``--yes``
  accepts a first tag), ``bump_pattern`` and ``bump_map`` (``bump_map_major_version_zero``
  with ``major_version_zero``) over every line of every commit, and its PEP 440 bump.
- release-please: the manifest's version and its tag (``include-v-in-tag``), else the
  commits since ``bootstrap-sha`` (never before it); ``feat`` minor, breaking major
  (``bump-minor-pre-major``, ``bump-patch-for-minor-pre-major`` under 1.0), any other
  visible changelog type a patch; ``initial-version`` (1.0.0 by default) for a first release.
- semantic-release (npm): ``tagFormat``, the highest release tag on the branch, 1.0.0 first.

A repository pubdoctor cannot read the same way (a shallow clone, a version provider or a
parser it does not know, a package of a release-please monorepo) gives an *unknown*
prediction, which the rules treat as "say less". A detached HEAD or a branch outside
python-semantic-release's release groups is read as the release branch would read it.
"""

from __future__ import annotations

import re
from dataclasses import field
from string import Template
from typing import Any

from pubdoctor.lazyregex import lazy_compile
from pubdoctor.records import record
from pubdoctor.sources.history import Commit, History, Tag
from pubdoctor.sources.releasetools import CZ, NPM_SR, PSR, RELEASE_PLEASE, ReleaseTool

_LEVELS = {None: 0, "prerelease": 1, "patch": 2, "minor": 3, "major": 4}
_NAMES = {v: k for k, v in _LEVELS.items()}


@record
class Prediction:
    """What one release tool will make of the repository as it is."""

    tool: ReleaseTool
    known: bool = True
    last_tag: str | None = None  # the last release as the tool sees it
    last_version: str | None = None  # its version, as the tool writes it
    commits: list[Commit] = field(default_factory=list)  # what it reads, newest first
    baseline: str = ""  # "since v1.2.0", "since bootstrap-sha 1a2b3c4", "in the whole history"
    next_version: str | None = None  # None: no release
    reason: str = ""  # why no release, or why the prediction is unknown

    @property
    def releases(self) -> bool:
        return self.known and self.next_version is not None

    @property
    def printed(self) -> str | None:
        """What the tool prints as its next version (the current one when it makes no release)."""
        return self.next_version or self.last_version

    def __str__(self) -> str:
        if not self.known:
            return f"{self.tool.name}: unknown ({self.reason})"
        if self.next_version is None:
            return f"{self.tool.name}: no release ({self.reason})"
        count = len(self.commits)
        commits = f"{count} commit{'s' if count != 1 else ''}"
        return f"{self.tool.name}: {self.next_version} ({commits} {self.baseline})"


class GitView:
    """The tags and commits the models ask about, read through the run's `Git` once each."""

    def __init__(self, history: History, git: Any) -> None:
        self.history = history
        self.git = git
        self._contains: dict[str, bool] = {}

    @property
    def tags(self) -> list[Tag]:
        return self.history.tags

    def contains(self, tag: Tag) -> bool:
        """Whether HEAD contains the commit of ``tag`` (one ``git merge-base --is-ancestor``,
        asked only for the tags a model looks at, highest first: usually one)."""
        if tag.sha == self.history.head:
            return True
        last = self.history.last_release
        if last is not None and tag.sha == last.sha:
            return True
        if tag.sha not in self._contains:
            result = self.git("merge-base", "--is-ancestor", tag.sha, "HEAD")
            if result.returncode not in (0, 1):
                raise _Unknown(f"git could not tell whether HEAD contains {tag.name}")
            self._contains[tag.sha] = result.returncode == 0
        return self._contains[tag.sha]

    def commits(self, since: str | None = None) -> list[Commit]:
        """The commits from HEAD back to ``since`` (excluded; None: the whole history)."""
        last = self.history.last_release
        read = not self.history.commits or bool(self.history.commits[0].message)
        if read and (since is None and last is None or
                     since is not None and last is not None and since == last.sha):
            return list(self.history.commits)  # the history source read these already
        if since is not None and since == self.history.head:
            return []
        revisions = f"{since}..HEAD" if since else "HEAD"
        result = self.git("log", "-z", "--format=%H %P%x00%B", revisions, "--")
        if result.returncode != 0:
            raise _Unknown(f"git could not read the commits of {revisions}")
        fields = result.stdout.split("\0")
        found = []
        for header, message in zip(fields[0::2], fields[1::2]):
            shas = header.strip("\n").split()
            if shas:
                found.append(Commit(sha=shas[0], message=message.strip("\n"), parents=len(shas) - 1))
        return found

    def resolve(self, rev: str) -> str | None:
        result = self.git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
        return result.stdout.strip() or None if result.returncode == 0 else None


class _Unknown(Exception):
    """The model cannot tell what the tool does here; the message says why."""


def predict(tool: ReleaseTool, history: History, git: Any, project: Any = None) -> Prediction:
    """The prediction for ``tool`` on the repository ``history`` describes."""
    if not history.repository:
        return Prediction(tool, known=False, reason="not a git repository")
    if history.shallow:
        return Prediction(tool, known=False, reason="a shallow clone: the history is incomplete")
    if history.head is None:
        return Prediction(tool, known=False, reason="no commit yet")
    if not tool.modelled:
        return Prediction(tool, known=False, reason=f"its parser `{tool.parser}` is not modelled")
    view = GitView(history, git)
    try:
        if tool.name == PSR:
            return _psr(tool, view, project)
        if tool.name == CZ:
            return _cz(tool, view, project)
        if tool.name == RELEASE_PLEASE:
            return _release_please(tool, view)
        if tool.name == NPM_SR:
            return _semantic_release(tool, view)
    except _Unknown as exc:
        return Prediction(tool, known=False, reason=str(exc))
    return Prediction(tool, known=False, reason="not modelled")


def _bool(value: Any, default: bool) -> bool:
    return value if isinstance(value, bool) else default


def _none_bumps(commits: list[Commit], baseline: str) -> str:
    count = len(commits)
    if not count:
        return f"no commit {baseline}"
    return f"none of the {count} commit{'s' if count != 1 else ''} {baseline} bumps the version"


# --- python-semantic-release -----------------------------------------------------------------

_SEMVER = lazy_compile(
    r"(?P<major>0|[1-9]\d*)\.(?P<minor>0|[1-9]\d*)\.(?P<patch>0|[1-9]\d*)"
    r"(?:-(?P<pre>(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+(?P<build>[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?")


@record(frozen=True)
class SemVer:
    """python-semantic-release's Version: ``major.minor.patch[-token.revision]``."""

    major: int
    minor: int
    patch: int
    token: str = "rc"
    revision: int | None = None

    @classmethod
    def parse(cls, text: str) -> SemVer | None:
        match = _SEMVER.fullmatch(text)
        if match is None:
            return None
        token, revision = "rc", None
        if match.group("pre"):
            pre = re.match(r"(?P<token>[a-zA-Z0-9-\.]+)\.(?P<revision>\d+)", match.group("pre"))
            if pre is None:
                return None  # PSR skips such a tag (NotImplementedError)
            token, revision = pre.group("token"), int(pre.group("revision"))
        return cls(int(match.group("major")), int(match.group("minor")), int(match.group("patch")),
                   token, revision or None)

    @property
    def is_prerelease(self) -> bool:
        return self.revision is not None

    def key(self) -> tuple[Any, ...]:
        # SemVer precedence: a pre-release sorts below its release
        return (self.major, self.minor, self.patch, not self.is_prerelease, self.token, self.revision or 0)

    def __str__(self) -> str:
        pre = f"-{self.token}.{self.revision}" if self.revision else ""
        return f"{self.major}.{self.minor}.{self.patch}{pre}"

    def final(self) -> SemVer:
        return SemVer(self.major, self.minor, self.patch, self.token)

    def to_prerelease(self, token: str | None = None, revision: int | None = None) -> SemVer:
        return SemVer(self.major, self.minor, self.patch, token or self.token,
                      (revision or self.revision) or 1)

    def bump(self, level: int) -> SemVer:
        revision = 1 if self.is_prerelease else None
        if level == 4:
            return SemVer(self.major + 1, 0, 0, self.token, revision)
        if level == 3:
            return SemVer(self.major, self.minor + 1, 0, self.token, revision)
        if level == 2:
            return SemVer(self.major, self.minor, self.patch + 1, self.token, revision)
        if level == 1:
            return SemVer(self.major, self.minor, self.patch, self.token,
                          1 if not self.is_prerelease else (self.revision or 0) + 1)
        return self

    def diff(self, other: SemVer) -> int:
        """``self - other`` as PSR's LevelBump."""
        if self.major != other.major:
            return 4
        if self.minor != other.minor:
            return 3
        if self.patch != other.patch:
            return 2
        if self.is_prerelease ^ other.is_prerelease:
            return max(self.final().diff(other.final()), 1)
        if self.revision != other.revision:
            return 1
        return 0


def psr_tag_pattern(tag_format: str) -> re.Pattern[str]:
    """PSR's ``VersionTranslator._invert_tag_format_to_re``."""
    return re.compile(re.escape(tag_format).replace(re.escape("{version}"), r"(?P<version>.+)"))


def _psr_branch(config: dict[str, Any], branch: str | None) -> dict[str, Any]:
    """The options of the first group of ``branches`` whose ``match`` matches the branch.

    A detached HEAD (a CI checkout of a pull request) or a branch of no group (a feature
    branch) is read as the release branch will read the same commits once merged: with the
    group that matches ``main`` or ``master``, else the first group. python-semantic-release
    itself makes no release there; the workflow runs it on the release branch.
    """
    groups = config.get("branches")
    if not isinstance(groups, dict) or not groups:
        groups = {"main": {"match": "(main|master)"}}
    tables = [options if isinstance(options, dict) else {} for options in groups.values()]

    def matches(options: dict[str, Any], name: str) -> bool:
        pattern = str(options.get("match", "(main|master)"))
        try:
            return re.match(".*" if pattern == "*" else pattern, name) is not None
        except re.error:
            raise _Unknown(f"branch pattern {pattern!r} is not a valid regular expression") from None

    for name in ([branch] if branch else []) + ["main", "master"]:
        for options in tables:
            if matches(options, name):
                return options
    return tables[0]


def _psr7(tool: ReleaseTool, view: GitView, project: Any) -> Prediction:
    """python-semantic-release 7: the current version from the files (``version_source =
    "commit"``, its default) or from the tags (``"tag"``), the commits since that version's tag
    (stopping at its release commit), ``patch_without_tag`` and ``major_on_zero``."""
    config = tool.config
    tag_format = config.get("tag_format", "v{version}")
    if not isinstance(tag_format, str) or "{version}" not in tag_format:
        raise _Unknown("its `tag_format` has no `{version}`")
    pattern = psr_tag_pattern(tag_format)
    if config.get("version_source") in ("tag", "tag_only"):
        found = [(SemVer.parse(m.group("version")), t) for t in view.tags
                 if (m := pattern.match(t.name)) is not None]
        finals = sorted(((v, t) for v, t in found if v is not None and not v.is_prerelease),
                        key=lambda item: item[0].key(), reverse=True)
        current = finals[0][0] if finals else SemVer(0, 0, 0)
    else:
        text = getattr(project, "static_version", None)
        parsed = SemVer.parse(text) if isinstance(text, str) else None
        if parsed is None:
            raise _Unknown("python-semantic-release 7 reads the current version from files "
                           "pubdoctor does not read here")
        current = parsed
    name = tag_format.format(version=str(current))
    tag = next((t for t in view.tags if t.name == name), None)
    commits = view.commits(tag.sha if tag else None)
    release_commit = f"{current}\n\nAutomatically generated by python-semantic-release"
    for index, item in enumerate(commits):
        if item.message.strip() == release_commit:
            commits = commits[:index]
            break
    baseline = f"since {tag.name}" if tag else f"in the whole history (no tag {name})"
    prediction = Prediction(tool, last_tag=tag.name if tag else None, last_version=str(current),
                            commits=commits, baseline=baseline)
    level = max((_LEVELS[tool.judge(c.message).bump] for c in commits), default=0)
    if level == 0 and config.get("patch_without_tag") is True and commits:
        level = 2
    if level == 0:
        prediction.reason = _none_bumps(commits, baseline)
        return prediction
    if current.major == 0 and level == 4 and config.get("major_on_zero") is False:
        level = 3
    prediction.next_version = str(current.final().bump(level))
    return prediction


def _psr(tool: ReleaseTool, view: GitView, project: Any = None) -> Prediction:
    config = tool.config
    major = tool.major or 10
    if major < 8:
        return _psr7(tool, view, project)
    allow_zero = _bool(config.get("allow_zero_version"), major < 10)
    major_on_zero = _bool(config.get("major_on_zero"), True)
    tag_format = config.get("tag_format", "v{version}")
    if not isinstance(tag_format, str) or "{version}" not in tag_format:
        raise _Unknown("its `tag_format` has no `{version}`")
    options = _psr_branch(config, view.history.branch)
    prerelease = _bool(options.get("prerelease"), False)
    token = str(options.get("prerelease_token", "rc"))
    pattern = psr_tag_pattern(tag_format)
    candidates: list[tuple[SemVer, Tag]] = []
    for item in view.tags:
        match = pattern.match(item.name)
        parsed = SemVer.parse(match.group("version")) if match else None
        if parsed is not None:
            candidates.append((parsed, item))
    candidates.sort(key=lambda item: item[0].key(), reverse=True)
    initial = SemVer(0, 0, 0, token)
    # the tags of the branch's history, highest first: asked of git one by one, lazily
    full: tuple[SemVer, Tag | None] = next(
        ((v, t) for v, t in candidates if not v.is_prerelease and view.contains(t)), (initial, None))
    latest = full
    if prerelease:
        latest = next(((v, t) for v, t in candidates if v.is_prerelease and v.token == token
                       and v.key() >= full[0].key() and view.contains(t)), full)
    version, tag = latest
    commits = view.commits(tag.sha if tag else None)
    baseline = f"since {tag.name}" if tag else "in the whole history (no release tag yet)"
    level = max((_LEVELS[tool.judge(c.message).bump] for c in commits if not c.is_merge), default=0)
    prediction = Prediction(tool, last_tag=tag.name if tag else None,
                            last_version=str(version), commits=commits, baseline=baseline)
    if level == 0 and (version.major != 0 or allow_zero):
        prediction.reason = _none_bumps([c for c in commits if not c.is_merge], baseline)
        return prediction
    prediction.next_version = str(_psr_increment(version, full[0], level, prerelease, token,
                                                 major_on_zero, allow_zero))
    if level == 0:
        prediction.reason = ("`allow_zero_version` is false: a 0.x version is released as 1.0.0 "
                             "whatever the commits")
    return prediction


def _psr_increment(latest: SemVer, full: SemVer, level: int, prerelease: bool, token: str,
                   major_on_zero: bool, allow_zero: bool) -> SemVer:
    """PSR's ``_increment_version``."""
    if latest.major == 0:
        if not allow_zero:
            level = 4
        elif not major_on_zero:
            level = min(level, 3)
    base = latest
    if latest.is_prerelease:
        if level <= latest.diff(full):
            if prerelease:
                return base.to_prerelease(token, 1 if latest.token != token else (latest.revision or 0) + 1)
            return base.final()
        base = full
    target = base.bump(level)
    return target.to_prerelease(token) if prerelease else target.final()


# --- commitizen ------------------------------------------------------------------------------

#: cz_conventional_commits' ``bump_map_major_version_zero``
CZ_BUMP_MAP_ZERO = {r"^.+!$": "minor", r"^BREAKING[\-\ ]CHANGE": "minor", r"^feat": "minor",
                    r"^fix": "patch", r"^refactor": "patch", r"^perf": "patch"}


def _cz_current(tool: ReleaseTool, view: GitView, project: Any) -> str:
    config = tool.config
    provider = config.get("version_provider") or "commitizen"
    data = getattr(project, "data", None) or {}
    if provider == "commitizen":
        value = config.get("version")
        where = "`version` in commitizen's configuration"
    elif provider in ("pep621", "uv"):
        table = data.get("project")
        value = table.get("version") if isinstance(table, dict) else None
        where = "[project].version"
    elif provider == "poetry":
        tool_table = data.get("tool")
        poetry = tool_table.get("poetry") if isinstance(tool_table, dict) else None
        value = poetry.get("version") if isinstance(poetry, dict) else None
        where = "[tool.poetry].version"
    else:
        raise _Unknown(f"its version provider `{provider}` is not modelled")
    if not isinstance(value, str) or not value.strip():
        raise _Unknown(f"no {where}: commitizen has no current version to bump")
    return value.strip()


def _cz_tag(template: str, version: Any) -> str:
    """commitizen's ``TagRules.normalize_tag``."""
    major, minor, patch = (list(version.release) + [0, 0, 0])[:3]
    pre = f"{version.pre[0]}{version.pre[1]}" if version.pre else ""
    return Template(template).safe_substitute(version=str(version), major=major, minor=minor,
                                              patch=patch, prerelease=pre)


def _cz_increment(tool: ReleaseTool, messages: list[str], zero: bool) -> str | None:
    """commitizen's ``bump.find_increment``: the bump pattern on every line of every message."""
    bump_map = tool.bump_map
    if zero:
        custom = tool.config.get("customize")
        custom_zero = custom.get("bump_map_major_version_zero") if isinstance(custom, dict) else None
        if tool.parser == "cz_conventional_commits":
            bump_map = CZ_BUMP_MAP_ZERO
        elif isinstance(custom_zero, dict):
            bump_map = {str(k): str(v).lower() for k, v in custom_zero.items()}
    try:
        pattern = re.compile(tool.bump_pattern or "")
    except re.error:
        raise _Unknown("its bump_pattern is not a valid regular expression") from None
    if not tool.bump_pattern or not bump_map:
        raise _Unknown(f"the rule `{tool.parser}` has no bump pattern or bump map")
    found = 0
    for message in messages:
        for line in message.split("\n"):
            result = pattern.search(line)
            if not result:
                continue
            keyword = result.group(1)
            level = 0
            for rule, name in bump_map.items():
                try:
                    if re.match(rule, keyword):
                        level = _LEVELS.get(name.lower(), 0)
                        break
                except re.error:
                    continue
            found = max(found, level)
    return _NAMES[found]


def _cz(tool: ReleaseTool, view: GitView, project: Any) -> Prediction:
    from packaging.version import InvalidVersion, Version

    config = tool.config
    scheme = config.get("version_scheme") or config.get("version_type") or "pep440"
    if scheme not in ("pep440", "semver", "semver2"):
        raise _Unknown(f"its version scheme `{scheme}` is not modelled")
    text = _cz_current(tool, view, project)
    try:
        current = Version(text)
    except InvalidVersion:
        raise _Unknown(f"its current version {text!r} is not a PEP 440 version") from None
    if len(current.release) < 3 or current.is_devrelease or current.is_postrelease or current.local:
        raise _Unknown(f"its current version {text} is not `major.minor.patch[pre]`")
    if scheme != "pep440" and current.is_prerelease:
        raise _Unknown("pre-releases of the semver schemes are not modelled")
    formats = [config.get("tag_format") or "$version"]
    legacy = config.get("legacy_tag_formats")
    formats += [f for f in legacy if isinstance(f, str)] if isinstance(legacy, list) else []
    names = {_cz_tag(f, current) for f in formats if isinstance(f, str)}
    tag = next((t for t in view.tags if t.name in names), None)
    commits = view.commits(tag.sha if tag else None)
    baseline = f"since {tag.name}" if tag else (
        f"in the whole history (no tag `{_cz_tag(str(formats[0]), current)}` for the current "
        f"version {current})")
    prediction = Prediction(tool, last_tag=tag.name if tag else None, last_version=str(current),
                            commits=commits, baseline=baseline)
    if not commits and not current.is_prerelease:
        prediction.reason = f"no commit {baseline}"
        return prediction
    zero = _bool(config.get("major_version_zero"), False)
    increment = _cz_increment(tool, [c.message for c in commits], zero)
    new = _cz_bump(current, increment)
    if increment is None and new == str(current):
        prediction.reason = _none_bumps(commits, baseline)
        return prediction
    prediction.next_version = new
    return prediction


def _cz_bump(current: Any, increment: str | None) -> str:
    """commitizen's ``BaseVersion.bump`` without pre-release, dev or local options."""
    major, minor, micro = (list(current.release) + [0, 0, 0])[:3]
    prerelease = current.is_prerelease
    if (not prerelease or (increment == "minor" and micro != 0)
            or (increment == "major" and (minor != 0 or micro != 0))):
        if increment == "major":
            major, minor, micro = major + 1, 0, 0
        elif increment == "minor":
            minor, micro = minor + 1, 0
        elif increment == "patch":
            micro += 1
    base = f"{major}.{minor}.{micro}"
    if not prerelease and increment is None:
        return str(current)
    return base


# --- release-please --------------------------------------------------------------------------

def _release_please(tool: ReleaseTool, view: GitView) -> Prediction:
    from packaging.version import InvalidVersion, Version

    if tool.path_scoped:
        raise _Unknown("each package of the monorepo reads only the commits of its folder")
    config = tool.config
    include_v = config.get("include-v-in-tag", True) is not False
    current = tool.manifest.get(".")
    tag = None
    if current:
        plain = f"v{current}" if include_v else current
        tag = next((t for t in view.tags if t.name == plain or t.name.endswith("-" + plain)), None)
    else:
        # no manifest version: release-please starts from the latest release it finds
        tag, found = _highest_tag(tool, view)
        current = str(found) if found is not None else None
    bootstrap = config.get("bootstrap-sha")
    stop = tag.sha if tag else None
    baseline = f"since {tag.name}" if tag else "in the whole history (no release yet)"
    if tag is None and isinstance(bootstrap, str) and bootstrap.strip():
        if not re.fullmatch(r"[0-9a-fA-F]{4,64}", bootstrap.strip()):
            raise _Unknown(f"its bootstrap-sha {bootstrap!r} is not a commit hash")
        stop = view.resolve(bootstrap.strip())
        if stop is None:
            raise _Unknown(f"its bootstrap-sha {bootstrap} is not a commit of this repository")
        baseline = f"since bootstrap-sha {bootstrap.strip()[:7]}"
    commits = view.commits(stop)
    prediction = Prediction(tool, last_tag=tag.name if tag else None, last_version=current,
                            commits=commits, baseline=baseline)
    verdicts = [tool.judge(c.message) for c in commits if not c.is_merge]
    level = max((_LEVELS[v.bump] for v in verdicts if v.understood), default=0)
    if level == 0:
        prediction.reason = _none_bumps([c for c in commits if not c.is_merge], baseline)
        return prediction
    if current is None:
        initial = config.get("initial-version")
        prediction.next_version = str(initial) if isinstance(initial, str) else "1.0.0"
        return prediction
    try:
        parsed = Version(current)
    except InvalidVersion:
        raise _Unknown(f"its manifest version {current!r} is not a version") from None
    major, minor, patch = (list(parsed.release) + [0, 0, 0])[:3]
    if major == 0 and level == 4 and config.get("bump-minor-pre-major") is True:
        level = 3
    if major == 0 and level == 3 and config.get("bump-patch-for-minor-pre-major") is True:
        level = 2
    prediction.next_version = {4: f"{major + 1}.0.0", 3: f"{major}.{minor + 1}.0"}.get(
        level, f"{major}.{minor}.{patch + 1}")
    return prediction


# --- semantic-release (npm) ------------------------------------------------------------------

def _highest_tag(tool: ReleaseTool, view: GitView) -> tuple[Tag | None, Any]:
    """The highest release tag (not a pre-release) that HEAD contains, and its version."""
    from pubdoctor.sources.history import tag_version

    found = [(tag_version(t.name, tool.tag_formats), t) for t in view.tags]
    found = [(v, t) for v, t in found if v is not None and not v.is_prerelease]
    found.sort(key=lambda item: item[0], reverse=True)
    return next(((t, v) for v, t in found if view.contains(t)), (None, None))


def _semantic_release(tool: ReleaseTool, view: GitView) -> Prediction:
    tag, version = _highest_tag(tool, view)
    commits = view.commits(tag.sha if tag else None)
    baseline = f"since {tag.name}" if tag else "in the whole history (no release tag yet)"
    prediction = Prediction(tool, last_tag=tag.name if tag else None,
                            last_version=str(version) if version else None,
                            commits=commits, baseline=baseline)
    level = max((_LEVELS[tool.judge(c.message).bump] for c in commits if not c.is_merge), default=0)
    if level == 0:
        prediction.reason = _none_bumps([c for c in commits if not c.is_merge], baseline)
        return prediction
    if version is None:
        prediction.next_version = "1.0.0"
        return prediction
    major, minor, patch = (list(version.release) + [0, 0, 0])[:3]
    prediction.next_version = {4: f"{major + 1}.0.0", 3: f"{major}.{minor + 1}.0"}.get(
        level, f"{major}.{minor}.{patch + 1}")
    return prediction


# --- the context source ----------------------------------------------------------------------

def predictions_for(context: Any, tools: list[ReleaseTool]) -> list[Prediction]:
    """One prediction per release tool of ``tools`` (those that decide the version)."""
    from pubdoctor.context import SourceUnavailable

    try:
        history = context.get("history")
    except SourceUnavailable as exc:
        return [Prediction(t, known=False, reason=str(exc)) for t in tools]
    project = None
    try:
        project = context.get("project")
    except SourceUnavailable:
        pass
    return [predict(tool, history, context.get("git"), project) for tool in tools]
