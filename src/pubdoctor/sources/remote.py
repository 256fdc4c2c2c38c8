"""The GitHub repository a checkout belongs to, from its git remote (``origin`` by default).

The index sees ``repository_owner`` and ``repository`` in the OIDC token, and GitHub fills
them from the repository the workflow runs in. Locally the closest witness is the remote the
user pushes to, so this source reads its URL and parses the owner and name from it.

Why ``git`` in a subprocess rather than gitpython: two plumbing calls (``rev-parse`` and
``config --get-regexp``, each shared with the other sources) take a few ms together, while importing
gitpython and opening the repository takes about 90 ms (``benchmarks/remote_source.py``), and
nothing else here needs a repository object. The ``git`` binary is also what gitpython drives;
it honours worktrees, ``includeIf`` and ``insteadOf`` exactly as the user's own ``git push``.

Every URL form git accepts for a GitHub repository is read: ``https://[user@]host/owner/repo
[.git][/]``, ``ssh://[user@]host[:port]/owner/repo[.git]``, ``git://host/owner/repo``, the
scp-like ``[user@]host:owner/repo[.git]``, on github.com or a GitHub Enterprise host.
Owner and name are compared case-insensitively, as PyPI compares them.
"""

from __future__ import annotations

import re
from pathlib import Path
from dataclasses import field
from typing import Any
from urllib.parse import urlsplit

from pubdoctor.lazyregex import lazy_compile
from pubdoctor.records import record
from pubdoctor.sources.gitcli import Git, refused_for_owner, what_git_said

#: Hosts that are known not to be GitHub: their remotes name no GitHub repository.
OTHER_FORGES = ("gitlab.com", "bitbucket.org", "codeberg.org", "gitea.com", "sr.ht",
                "git.sr.ht", "dev.azure.com", "ssh.dev.azure.com", "vs-ssh.visualstudio.com")

_SCP_LIKE = lazy_compile(r"^(?:(?P<user>[^@/\s]+)@)?(?P<host>[^:/\s]+):(?P<path>[^/].*)$")
_NAME = lazy_compile(r"^[A-Za-z0-9_.-]+$")


@record(kw_only=True)
class RemoteUrl:
    """A remote URL split into host, owner and repository name (``.git`` removed)."""

    host: str
    owner: str
    name: str

    @property
    def slug(self) -> str:
        return f"{self.owner}/{self.name}"


@record(kw_only=True)
class Repository:
    """The GitHub repository of the checkout, as the OIDC token will name it."""

    remote: str
    url: str  # shown to the user, credentials removed
    host: str
    owner: str
    name: str
    #: every other remote whose URL names a GitHub-shaped repository (``upstream`` of a fork)
    others: dict[str, RemoteUrl] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return f"{self.owner}/{self.name}"

    def same(self, owner: str, name: str) -> bool:
        """Whether ``owner/name`` is this repository (GitHub names are case-insensitive)."""
        return owner.lower() == self.owner.lower() and name.lower() == self.name.lower()

    def other_matching(self, owner: str, name: str) -> str | None:
        """The name of another remote that points at ``owner/name`` (a fork's ``upstream``)."""
        for remote, url in self.others.items():
            if url.owner.lower() == owner.lower() and url.name.lower() == name.lower():
                return remote
        return None


def redact(url: str) -> str:
    """The URL without a password or token (``https://user:tok@host`` -> ``https://user@host``)."""
    return re.sub(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)([^/@:]+):[^/@]*@", r"\1\2@", url)


def _split_path(path: str) -> tuple[str, str] | None:
    parts = [p for p in path.strip().strip("/").split("/") if p]
    if len(parts) != 2:
        return None
    owner, name = parts
    if name.lower().endswith(".git"):
        name = name[:-4]
    if not owner or not name or not _NAME.match(owner) or not _NAME.match(name):
        return None
    return owner, name


def parse_remote_url(url: str) -> RemoteUrl | None:
    """``host``, ``owner`` and ``name`` of a GitHub-shaped remote URL, or None.

    None for a local path, a ``file://`` URL, or a path that is not exactly ``owner/repo``.
    """
    url = url.strip()
    if not url:
        return None
    if "://" in url:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("https", "http", "ssh", "git", "git+ssh", "ssh+git"):
            return None
        host = (parts.hostname or "").lower()
        split = _split_path(parts.path)
    else:
        match = _SCP_LIKE.match(url)
        # ``C:\path`` and ``./path`` are local paths, not scp-like URLs
        if match is None or len(match.group("host")) == 1 or url.startswith((".", "/", "~")):
            return None
        host = match.group("host").lower()
        split = _split_path(match.group("path"))
    if not host or split is None:
        return None
    return RemoteUrl(host=host, owner=split[0], name=split[1])


def remote_urls(root: Path, git: Git | None = None) -> dict[str, str]:
    """Every remote of the repository at ``root`` (in config order) and its URL as git uses it.

    One ``git config`` (`Git.settings`, shared with the filter drivers) reads both the
    ``remote.<name>.url`` settings and the ``url.<base>.insteadOf`` rewrites, which are then applied as git documents them (a URL
    that starts with an ``insteadOf`` value starts with its ``<base>`` instead; of several
    that match, the longest wins): what ``git remote get-url`` prints, in one process.
    """
    urls: dict[str, str] = {}
    rewrites: dict[str, str] = {}
    for _, key, value in (git or Git(root)).settings():
        if key.startswith("url.") and key.endswith(".insteadof"):
            rewrites.setdefault(value, key[len("url."):-len(".insteadof")])
        elif key.startswith("remote.") and key.endswith(".url"):
            urls.setdefault(key[len("remote."):-len(".url")], value.strip())
    return {name: rewrite_url(url, rewrites) for name, url in urls.items()}


def rewrite_url(url: str, rewrites: dict[str, str]) -> str:
    """``url`` with the longest ``insteadOf`` prefix it starts with (``rewrites``: value ->
    base) replaced by its base."""
    matching = [prefix for prefix in rewrites if prefix and url.startswith(prefix)]
    if not matching:
        return url
    longest = max(matching, key=len)
    return rewrites[longest] + url[len(longest):]


def load_repository(root: Path, remote: str = "origin", git: Git | None = None) -> Repository:
    """The repository named by ``remote``; raises `SourceUnavailable` saying why it cannot be."""
    from pubdoctor.context import SourceUnavailable

    git = git or Git(root)
    skipped = "the rules comparing the declared owner and repository with it were skipped"
    try:
        top = git("rev-parse", "--show-toplevel")
    except FileNotFoundError:
        raise SourceUnavailable(f"git is not installed, so the GitHub repository is unknown; {skipped}") from None
    except OSError as exc:  # `Git` turns a timeout into `SourceUnavailable` itself
        raise SourceUnavailable(f"cannot run git ({exc}); {skipped}") from None
    if refused_for_owner(top):
        raise SourceUnavailable(f"git refuses to read {root} ({what_git_said(top)}), so its GitHub "
                                f"owner and name are unknown; {skipped}", "warning")
    if top.returncode != 0:
        raise SourceUnavailable(f"{root} is not a git repository, so its GitHub owner and name are "
                                f"unknown; {skipped}")
    if Path(top.stdout.strip()).resolve() != root.resolve():
        raise SourceUnavailable(f"{root} is inside the git repository at {top.stdout.strip()}, not "
                                f"at its top, so that repository's remote does not name it; {skipped}")
    urls = remote_urls(root, git)
    if remote not in urls:
        known = f" (remotes: {', '.join(sorted(urls))}; choose one with --remote)" if urls else ""
        raise SourceUnavailable(f"the git repository has no remote `{remote}`{known}, so its GitHub "
                                f"owner and name are unknown; {skipped}")
    url = urls[remote]
    parsed = parse_remote_url(url)
    if parsed is None:
        raise SourceUnavailable(f"the remote `{remote}` ({redact(url)}) does not name a repository "
                                f"as `owner/name` on a host; {skipped}")
    if parsed.host in OTHER_FORGES or parsed.host.endswith(tuple("." + h for h in OTHER_FORGES)):
        raise SourceUnavailable(f"the remote `{remote}` points at {parsed.host}, not GitHub; "
                                f"{skipped}")
    others = {name: p for name, value in urls.items() if name != remote
              and (p := parse_remote_url(value)) is not None}
    return Repository(remote=remote, url=redact(url), host=parsed.host, owner=parsed.owner,
                      name=parsed.name, others=others)


def load_repository_for(context: Any) -> Repository:
    """Context loader: the repository named by ``--remote`` / ``[tool.pubdoctor] remote``."""
    # the workflows' root: a monorepo's package is named by its repository's remote
    return load_repository(context.workflows_root, context.settings.remote or "origin",
                           context.get("git"))
