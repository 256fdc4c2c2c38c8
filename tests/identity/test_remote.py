"""The `repository` source: the GitHub owner and name from a real git remote, in every URL form."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import git
from identity_helpers import make_repo
from pubdoctor.context import SourceUnavailable
from pubdoctor.sources.remote import load_repository, parse_remote_url, redact

FORMS = [
    ("https://github.com/octo-org/demo", "github.com", "octo-org", "demo"),
    ("https://github.com/octo-org/demo.git", "github.com", "octo-org", "demo"),
    ("https://github.com/octo-org/demo/", "github.com", "octo-org", "demo"),
    ("https://github.com/octo-org/demo.git/", "github.com", "octo-org", "demo"),
    ("https://someone@github.com/Octo-Org/Demo.git", "github.com", "Octo-Org", "Demo"),
    ("http://github.com/octo-org/demo.git", "github.com", "octo-org", "demo"),
    ("ssh://git@github.com/octo-org/demo.git", "github.com", "octo-org", "demo"),
    ("ssh://git@ssh.github.com:443/octo-org/demo.git", "ssh.github.com", "octo-org", "demo"),
    ("git@github.com:octo-org/demo.git", "github.com", "octo-org", "demo"),
    ("git@github.com:octo-org/demo", "github.com", "octo-org", "demo"),
    ("github.com:octo-org/demo.git", "github.com", "octo-org", "demo"),
    ("org-123@github.com:octo-org/demo.git", "github.com", "octo-org", "demo"),
    ("git://github.com/octo-org/demo.git", "github.com", "octo-org", "demo"),
    ("https://github.example.com/octo-org/demo.git", "github.example.com", "octo-org", "demo"),
    ("git@ghe.internal.example:team/my.pkg.git", "ghe.internal.example", "team", "my.pkg"),
    ("https://GitHub.com/octo-org/demo.git", "github.com", "octo-org", "demo"),
]


@pytest.mark.parametrize(("url", "host", "owner", "name"), FORMS)
def test_url_forms(url: str, host: str, owner: str, name: str) -> None:
    parsed = parse_remote_url(url)
    assert parsed is not None
    assert (parsed.host, parsed.owner, parsed.name) == (host, owner, name)


@pytest.mark.parametrize("url", ["/srv/git/demo.git", "./demo", "../demo.git", "file:///srv/git/demo.git",
                                 "C:\\repos\\demo", "https://github.com/octo-org",
                                 "https://gitlab.com/group/sub/demo.git", ""])
def test_not_a_github_repository(url: str) -> None:
    assert parse_remote_url(url) is None


@pytest.mark.parametrize(("url", "host", "owner", "name"), FORMS[:12:3] + FORMS[13:15])
def test_real_repository_with_origin(tmp_path: Path, url: str, host: str, owner: str, name: str) -> None:
    root = make_repo(tmp_path / "repo", {"README.md": "demo\n"}, remote=url)
    repository = load_repository(root)
    assert (repository.host, repository.owner, repository.name) == (host, owner, name)
    assert repository.same(owner.upper(), name.lower())


def test_other_remote_by_name(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {}, remote="git@github.com:me/demo.git")
    git(root, "remote", "add", "upstream", "https://github.com/octo-org/demo.git")
    assert load_repository(root, "upstream").slug == "octo-org/demo"
    fork = load_repository(root)
    assert fork.slug == "me/demo"
    assert fork.other_matching("OCTO-ORG", "demo") == "upstream"


def test_credentials_never_shown(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {}, remote="https://me:ghp_secret123@github.com/octo-org/demo.git")
    repository = load_repository(root)
    assert "ghp_secret123" not in repository.url and repository.slug == "octo-org/demo"
    assert redact("https://x-access-token:abc@github.com/o/r") == "https://x-access-token@github.com/o/r"


def test_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailable, match="is not a git repository"):
        load_repository(tmp_path)


def test_no_such_remote(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {}, remote="https://github.com/octo-org/demo.git", name="upstream")
    with pytest.raises(SourceUnavailable, match=r"no remote `origin` \(remotes: upstream; choose one with --remote\)"):
        load_repository(root)
    root2 = make_repo(tmp_path / "bare", {}, remote=None)
    with pytest.raises(SourceUnavailable, match="no remote `origin`"):
        load_repository(root2)


def test_local_path_remote(tmp_path: Path) -> None:
    """A clone of a local repository (as CI makes) names no GitHub repository."""
    origin = make_repo(tmp_path / "origin", {"a.txt": "a\n"}, remote=None)
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "feat: a", "--no-gpg-sign")
    git(tmp_path, "clone", "-q", str(origin), "clone")
    with pytest.raises(SourceUnavailable, match="does not name a repository"):
        load_repository(tmp_path / "clone")


def test_other_forge(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {}, remote="git@gitlab.com:group/demo.git")
    with pytest.raises(SourceUnavailable, match="gitlab.com, not GitHub"):
        load_repository(root)


def test_subfolder_of_a_repository(tmp_path: Path) -> None:
    """A folder inside another repository (an example project) is not named by its remote."""
    root = make_repo(tmp_path / "repo", {"examples/demo/pyproject.toml": "[project]\nname='x'\n"})
    with pytest.raises(SourceUnavailable, match="not at its top"):
        load_repository(root / "examples" / "demo")


def test_insteadof_rewrite_is_applied(tmp_path: Path) -> None:
    """``url.<base>.insteadOf`` aliases are expanded as ``git push`` expands them."""
    root = make_repo(tmp_path / "repo", {}, remote="gh:octo-org/demo")
    git(root, "config", "url.https://github.com/.insteadOf", "gh:")
    repository = load_repository(root)
    assert (repository.host, repository.slug) == ("github.com", "octo-org/demo")


#: ``url.<base>.insteadOf`` settings (base, value) and remote URLs: git's own `remote get-url`
#: is the judge of what each remote's URL becomes
REWRITES = [
    ([("https://github.com/", "gh:")], ["gh:octo-org/demo", "gh:", "xgh:octo-org/demo"]),
    # of two that match, the longer wins, whatever the order they were set in
    ([("https://github.com/", "git@github.com:"), ("ssh://git@ssh.github.com:443/", "git@github.com:octo")],
     ["git@github.com:octo-org/demo.git", "git@github.com:other/demo.git"]),
    ([("ssh://git@ssh.github.com:443/", "git@github.com:octo"), ("https://github.com/", "git@github.com:")],
     ["git@github.com:octo-org/demo.git", "git@github.com:other/demo.git"]),
    # a base with dots and upper case in it (the subsection keeps its case)
    ([("https://GHE.corp.example/Team.A/", "work:")], ["work:demo.git", "Work:demo.git"]),
    # two values for one base
    ([("https://github.com/", "gh:"), ("https://github.com/", "hub:")], ["hub:o/r", "gh:o/r"]),
    ([], ["https://github.com/octo-org/demo.git"]),
]


@pytest.mark.parametrize("settings,remotes", REWRITES)
def test_remote_urls_are_git_s_own(tmp_path: Path, settings: list[tuple[str, str]],
                                   remotes: list[str]) -> None:
    """`remote_urls` reads the remotes and the rewrites in one `git config` and applies the
    rewrites as `git remote get-url` does."""
    from pubdoctor.sources.remote import remote_urls

    root = make_repo(tmp_path / "repo", {})
    git(root, "remote", "remove", "origin")
    for base, value in settings:
        git(root, "config", "--add", f"url.{base}.insteadOf", value)
    for index, url in enumerate(remotes):
        git(root, "remote", "add", f"r{index}.x", url)
    git(root, "config", "--add", "remote.r0.x.url", "https://second.example/ignored.git")
    expected = {f"r{i}.x": git(root, "remote", "get-url", f"r{i}.x").strip() for i in range(len(remotes))}
    assert remote_urls(root) == expected


from hypothesis import given, strategies as st  # noqa: E402

NAMES = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,30}", fullmatch=True).filter(
    lambda n: not n.lower().endswith(".git") and n not in (".", ".."))
HOSTS = st.sampled_from(["github.com", "GitHub.com", "github.example.com", "ghe.corp.example"])


@given(owner=NAMES, name=NAMES, host=HOSTS, suffix=st.sampled_from(["", ".git", "/", ".git/"]),
       form=st.sampled_from(["https://{h}/{o}/{n}", "https://user@{h}/{o}/{n}", "ssh://git@{h}/{o}/{n}",
                             "ssh://git@{h}:2222/{o}/{n}", "git@{h}:{o}/{n}", "git://{h}/{o}/{n}"]))
def test_every_form_gives_back_owner_and_name(owner: str, name: str, host: str, suffix: str, form: str) -> None:
    if form.startswith("git@") and suffix.endswith("/"):
        suffix = suffix.rstrip("/")
    parsed = parse_remote_url(form.format(h=host, o=owner, n=name) + suffix)
    assert parsed is not None
    assert (parsed.host, parsed.owner, parsed.name) == (host.lower(), owner, name)
