"""The git history the release tools see: release tags, and the commits since the last one.

git is run through `pubdoctor.sources.gitcli` (plumbing commands made safe against the
repository's configuration), never gitpython. Only the commits since the last release tag
are read (``git log TAG..HEAD``, one process for all of them), never the whole history: a
repository with 10,000 commits since its last tag is read as fast as git can print them.
The tags are listed first (one ``for-each-ref``, each annotated tag peeled to its commit):
which of them bounds the log depends on their versions, so no one git command gives both. (One
``git log --decorate-refs=refs/tags/`` could, by reading the whole history with the tags on it:
93 ms on 10,000 commits and 99 tags, against 8.6 ms for the two commands that read 50 commits.)
The rules ask for the history only when they need it (`pubdoctor.rules.history`): a check
with no release tool and no static version to compare starts neither process.

A tag is a release tag when it matches one of the release tool's tag formats (PSR's and
commitizen's ``tag_format``, semantic-release's ``tagFormat``, release-please's
``include-v-in-tag``), else ``v{version}`` or ``{version}``, the version part being a
valid version for `packaging.version.Version`. The last release is the highest release
version among the tags reachable from HEAD (for python-semantic-release, the highest that is
not a pre-release: it reads the commits since the latest full release).
"""

from __future__ import annotations

import fnmatch
from dataclasses import field
from typing import Any

from pubdoctor.context import SourceUnavailable
from pubdoctor.records import record
from pubdoctor.sources.gitcli import LOG_OPTIONS, Git, refused_for_owner, what_git_said

DEFAULT_TAG_FORMATS = ("v{version}", "{version}")


@record(frozen=True)
class Commit:
    sha: str
    message: str
    parents: int = 1

    @property
    def short(self) -> str:
        return self.sha[:7]

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0].strip()

    @property
    def is_merge(self) -> bool:
        return self.parents > 1


@record(frozen=True)
class Tag:
    name: str
    sha: str  # the commit it points at (peeled)
    version: Any = None  # a packaging Version when it is a release tag


@record
class History:
    """What the rules need from git; ``commits`` are the commits since ``last_release``."""

    root: str
    repository: bool = True  # False: not a git repository (or a shallow one), read as no history
    top_level: bool = True  # False when the checked folder is a subfolder of the repository
    head: str | None = None
    branch: str | None = None
    detached: bool = False
    shallow: bool = False
    tags: list[Tag] = field(default_factory=list)
    release_tags: list[Tag] = field(default_factory=list)
    last_release: Tag | None = None
    commits: list[Commit] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """No commit at all (a repository just initialised)."""
        return self.head is None

    @property
    def head_is_release(self) -> bool:
        return self.last_release is not None and self.last_release.sha == self.head


def tag_version(name: str, formats: tuple[str, ...] = DEFAULT_TAG_FORMATS) -> Any:
    """The version in tag ``name`` if it matches one of ``formats`` (``{version}`` placeholder,
    ``*`` allowed before it), else None. Versions are parsed by `packaging.version`.
    """
    from packaging.version import InvalidVersion, Version

    for template in formats:
        before, _, after = template.partition("{version}")
        if not name.endswith(after):
            continue
        core = name[:len(name) - len(after)] if after else name
        if "*" not in before:
            if not core.startswith(before):
                continue
            candidates = [core[len(before):]]
        else:
            candidates = [core[i:] for i in range(len(core)) if fnmatch.fnmatchcase(core[:i], before)]
        for candidate in candidates:
            if not candidate or not candidate[0].isdigit():
                continue
            try:
                return Version(candidate)
            except InvalidVersion:
                continue
    return None


def _release_tools(context: Any) -> list[Any]:
    try:
        return list(context.get("release_tools"))
    except SourceUnavailable:
        return []


def _tag_formats(tools: list[Any]) -> tuple[str, ...]:
    formats: list[str] = []
    for tool in tools:
        for item in tool.tag_formats:
            if item not in formats:
                formats.append(item)
    return tuple(formats) or DEFAULT_TAG_FORMATS


def load_history(root: Any, formats: tuple[str, ...] = DEFAULT_TAG_FORMATS,
                 messages: bool = True, git_cli: Git | None = None,
                 final_only: bool = False) -> History:
    """Read the history of the repository holding ``root``; `SourceUnavailable` if there is none.

    With ``messages=False`` the commits since the release are listed without their messages
    (an empty ``message``): enough to count them, and much less to read on a long history.
    With ``final_only`` the last release is the last one that is not a pre-release: python-
    semantic-release reads the commits since the latest full release (its algorithm, step 3),
    so a feature released only as ``1.2.0-rc.1`` still makes ``1.2.0``.

    git is run through `Git` (its plumbing, each command made safe against the repository's
    configuration), never through a library that starts git with the repository's settings.
    """
    from pathlib import Path

    cli = git_cli or Git(Path(root))
    try:
        top = cli("rev-parse", "--show-toplevel")
    except FileNotFoundError:
        raise SourceUnavailable("git is not installed: the history rules were skipped",
                                "warning") from None
    except OSError as exc:  # `Git` turns a timeout into `SourceUnavailable` itself
        raise SourceUnavailable(f"cannot run git ({exc}): the history rules were skipped",
                                "warning") from None
    if top.returncode != 0:
        if refused_for_owner(top):
            raise SourceUnavailable(f"git refuses to read {root} ({what_git_said(top)}): the "
                                    "history rules were skipped", "warning")
        if "must be run in a work tree" in top.stderr:
            raise SourceUnavailable(f"{root} is a bare repository: the history rules were skipped")
        if "not a git repository" in top.stderr or not Path(root).is_dir():
            raise SourceUnavailable(f"{root} is not in a git repository: the history rules "
                                    "(PD301, PD302, PD304) were skipped")
        raise SourceUnavailable(f"git could not read the history ({what_git_said(top)}): "
                                "the history rules were skipped", "warning")
    try:
        return _read(cli, str(root), top.stdout.strip(), formats, messages, final_only)
    except _GitFailed as exc:
        raise SourceUnavailable(f"git could not read the history ({exc}): "
                                "the history rules were skipped", "warning") from None


class _GitFailed(Exception):
    """A git command that should have answered failed; the message is what git said."""


def _ask(cli: Git, *args: str) -> str:
    """The output of ``git ARGS``; `_GitFailed` with git's reason if it fails."""
    result = cli(*args)
    if result.returncode != 0:
        raise _GitFailed(what_git_said(result))
    return result.stdout


def _read(cli: Git, root: str, top: str, formats: tuple[str, ...], messages: bool,
          final_only: bool = False) -> History:
    from pathlib import Path

    history = History(root=root)
    try:
        history.top_level = Path(top).resolve() == Path(root).resolve()
    except (OSError, TypeError):
        pass
    history.shallow = _ask(cli, "rev-parse", "--is-shallow-repository").strip() == "true"
    head = cli("rev-parse", "-q", "--verify", "HEAD^{commit}")
    if head.returncode != 0 or not head.stdout.strip():
        return history  # no commits yet (or a HEAD git cannot read)
    history.head = head.stdout.strip()
    branch = cli("symbolic-ref", "-q", "HEAD")
    history.detached = branch.returncode != 0
    if not history.detached:
        history.branch = branch.stdout.strip().removeprefix("refs/heads/")

    refs = _ask(cli, "for-each-ref", "--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)",
                "refs/tags")
    for line in refs.splitlines():
        name, obj, peeled = (line.split("\x00") + ["", ""])[:3]
        history.tags.append(Tag(name=name, sha=peeled or obj, version=tag_version(name, formats)))
    history.release_tags = [t for t in history.tags if t.version is not None]
    # The highest release tag that HEAD contains. One `git log TAG..HEAD --boundary` both lists
    # the commits since the tag and tells whether the tag is an ancestor (it is then the
    # boundary): no `git tag --merged`, which walks the whole history, in the common case.
    ordered = sorted(history.release_tags, key=lambda t: t.version, reverse=True)
    if final_only:
        ordered = [t for t in ordered if not t.version.is_prerelease]
    if ordered and _since(cli, history, ordered[0], messages):
        return history
    if len(ordered) > 1:
        # The highest tag is on another branch (a newer major on main, say): ask git once
        # which tags HEAD contains, then read the commits since the best of them.
        reachable = set(_ask(cli, "tag", "--merged", "HEAD").splitlines())
        for tag in ordered[1:]:
            if tag.name in reachable and _since(cli, history, tag, messages):
                return history
    if history.shallow:
        raise SourceUnavailable(
            f"{root} is a shallow clone without a release tag in it, so the commits since the "
            "last release cannot be told: the history rules were skipped (`git fetch "
            "--unshallow --tags` gives them the whole history)")
    history.commits, _ = _log(cli, "HEAD", messages)
    return history


def _since(cli: Git, history: History, tag: Tag, messages: bool) -> bool:
    """Read the commits since ``tag`` into ``history`` if HEAD contains the tag."""
    if tag.sha == history.head:
        history.last_release, history.commits = tag, []
        return True
    try:
        commits, boundary = _log(cli, f"{tag.sha}..HEAD", messages)
    except _GitFailed:
        return False  # a tag of something that is not a commit
    if tag.sha not in boundary:
        return False
    history.last_release, history.commits = tag, commits
    return True


def _log(cli: Git, revisions: str, messages: bool = True) -> tuple[list[Commit], set[str]]:
    """The commits of ``revisions`` (newest first) and the boundary commits' shas.

    NUL-separated (``-z`` between commits, ``%x00`` between a commit's header and message):
    a commit message cannot hold a NUL, while any other separator may appear in one. No
    signature is shown (``--no-show-signature``): gpg's lines would join the header.
    """
    body = "%B" if messages else ""
    raw = _ask(cli, "log", *LOG_OPTIONS, "-z", "--boundary", f"--format=%m%H %P%x00{body}",
               revisions, "--")
    fields = raw.split("\0")
    commits: list[Commit] = []
    boundary: set[str] = set()
    for header, message in zip(fields[0::2], fields[1::2]):
        header = header.lstrip("\n")
        shas = header[1:].split()
        if not shas:
            continue
        if header[0] == "-":
            boundary.add(shas[0])
        else:
            commits.append(Commit(sha=shas[0], message=message.strip("\n"), parents=len(shas) - 1))
    return commits, boundary


def _work_tree(git_cli: Git) -> str:
    """Where the folder is, as one ``git rev-parse`` says: ``top``, ``sub``, ``none`` or ``unknown``.

    ``none`` (not in a work tree) and ``sub`` (inside one, not at its top) let a run without a
    release tool skip the history; ``unknown`` (git missing or failing) lets `load_history`
    find out and say what is wrong.
    """
    from pathlib import Path

    try:
        top = git_cli("rev-parse", "--show-toplevel")
    except OSError:
        return "unknown"
    if top.returncode != 0:
        return "none" if "not a git repository" in (top.stderr or "") else "unknown"
    if not top.stdout.strip():
        return "unknown"
    return "top" if Path(top.stdout.strip()).resolve() == git_cli.root.resolve() else "sub"


def load_history_for(context: Any) -> History:
    """Context loader: the history of the checked repository, read with the tools' tag formats.

    The commit messages are read only when a release tool that reads them is configured:
    without one, no rule looks at them. Without a release tool, a folder that is not a git
    repository (or a shallow clone without the tag) is read as an empty history, quietly:
    only PD304 could use it, and it needs a tag that is not there anyway. Nor does PD304 read
    the history of a package in a subfolder of its repository (the tags may be another
    package's). In both cases one ``git rev-parse`` answers.
    """
    tools = _release_tools(context)
    messages = any(tool.modelled for tool in tools)
    git_cli = context.get("git")
    where = "unknown" if tools else _work_tree(git_cli)
    if where == "sub":
        return History(root=str(context.root), top_level=False)
    if where == "none":
        return History(root=str(context.root), repository=False)
    try:
        return load_history(context.root, _tag_formats(tools), messages,
                            git_cli, final_only=any(tool.name == "python-semantic-release"
                                                    for tool in tools if tool.modelled))
    except SourceUnavailable as exc:
        if tools or exc.level != "note":
            raise
        return History(root=str(context.root), repository=False)
