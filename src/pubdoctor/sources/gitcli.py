"""``git`` plumbing in a subprocess, each answer read once per run, never running the repository's code.

The repository, version and history sources all ask git about the same checkout; the
``git`` source of the context is one `Git` for the checked folder that remembers what git
answered, so a question two sources ask (the URL of the remote, say) costs one process.

pubdoctor runs on repositories it did not write (a fork's pull request, a downloaded
archive). A repository's ``.git/config`` (or a file it includes) can name programs that git
starts on its own: ``core.fsmonitor`` on every command that reads the index, a clean
``filter`` for a file ``.gitattributes`` routes through it, ``gpg.program`` when
``log.showSignature`` is set, a pager, an external diff or textconv, hooks. Every git
command is therefore run with those settings overridden on the command line (which wins
over every configuration file), the filter drivers the repository's own configuration
defines emptied when a command reads the work tree, and no ``GIT_*`` variable of the
environment but those that choose the user's own configuration: the variables a hook
inherits (``GIT_DIR``, ``GIT_INDEX_FILE``, ``GIT_CONFIG_PARAMETERS``...) would point git at
another repository or bring settings in. The user's global configuration is still read: it
is theirs, and holds their ``safe.directory`` and ``url.<base>.insteadOf`` rules.

Outside any repository no git process starts, and `subprocess` is not even imported (unless a
dependency brought it: click does on Python 3.10): a
folder that is no checkout (an unpacked archive, a pre-commit run's temporary copy) pays
nothing for git.

Output is read as UTF-8 in the C locale, git never prompts, and it never refreshes the index
on disk (``GIT_OPTIONAL_LOCKS=0``): a run reads the repository, never writes. Every command
has a timeout; one that does not finish makes the source that asked unavailable, with a note.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import subprocess

TIMEOUT = 10.0

#: ``GIT_*`` variables kept from the environment: they choose the user's own configuration
#: (or where git stops looking for a repository), never the repository's
KEPT_VARIABLES = frozenset({"GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM",
                            "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM"})

#: settings that would make git start a program named by the repository, each overridden
SAFE_CONFIG = (
    "core.fsmonitor=false",  # a hook program run by every command that reads the index
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "log.showSignature=false",  # else gpg.program runs, and its output joins the commit header
    "gpg.program=false", "gpg.ssh.program=false", "gpg.x509.program=false",
    "gpg.ssh.defaultKeyCommand=false",
    "diff.external=false",
    "color.ui=false",
    "i18n.logOutputEncoding=UTF-8",
    # a bare repository planted in the checked folder is not picked up as the repository
    "safe.bareRepository=explicit",
)

#: options of ``git log`` that keep it from running a diff driver or a signature check
LOG_OPTIONS = ("--no-show-signature", "--no-ext-diff", "--no-textconv", "--no-color")


def git_environment() -> dict[str, str]:
    """The environment of every git process: the user's, without the ``GIT_*`` that would
    steer git, plus the C locale, no prompt, no pager and no index write."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("GIT_") or k in KEPT_VARIABLES}
    env.update(GIT_TERMINAL_PROMPT="0", LC_ALL="C", GIT_PAGER="cat", PAGER="cat",
               # ``git status`` refreshes the index as a side effect and writes it back when a
               # file's stat changed: git skips every operation that needs an optional lock.
               GIT_OPTIONAL_LOCKS="0")
    return env


def git_command(root: Path, *args: str) -> list[str]:
    """The command line of ``git ARGS`` in ``root``, with every unsafe setting overridden."""
    command = ["git", "--no-pager", "-C", str(root)]
    for setting in SAFE_CONFIG:
        command += ["-c", setting]
    return [*command, *args]


def run_git(root: Path, *args: str, timeout: float | None = None,
            config: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``git -C root ARGS`` made safe; raises `FileNotFoundError` without git,
    `subprocess.TimeoutExpired` past ``timeout``.

    ``config`` adds settings through ``GIT_CONFIG_COUNT`` (git 2.31 or later), which takes any
    key: a filter driver's name may hold a ``=``, which ``-c`` would split at.
    """
    env = git_environment()
    for index, (key, value) in enumerate((config or {}).items()):
        env[f"GIT_CONFIG_KEY_{index}"], env[f"GIT_CONFIG_VALUE_{index}"] = key, value
    if config:
        env["GIT_CONFIG_COUNT"] = str(len(config))
    import subprocess

    return subprocess.run(git_command(root, *args), capture_output=True, stdin=subprocess.DEVNULL,
                          env=env, timeout=timeout or TIMEOUT, check=False, encoding="utf-8",
                          errors="replace")


class Answer:
    """What git answered one command: the fields of `subprocess.CompletedProcess` the sources
    read (its exit status, its output and its errors)."""

    __slots__ = ("args", "returncode", "stdout", "stderr")

    def __init__(self, args: list[str], returncode: int, stdout: str = "", stderr: str = "") -> None:
        self.args = args
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    def __repr__(self) -> str:
        return f"Answer(args={self.args!r}, returncode={self.returncode!r})"


def what_git_said(result: Answer | subprocess.CompletedProcess[str]) -> str:
    """git's own reason for a failure, in one line: its ``fatal:``/``error:`` lines and the
    command it suggests (``git config --global --add safe.directory ...``), not only the last
    hint line."""
    lines = [line.strip() for line in (result.stderr or "").splitlines() if line.strip()]
    kept = [line for line in lines if not line.lower().startswith(("hint:", "to add an exception"))]
    return "; ".join(kept)[:500] or f"git exited with status {result.returncode}"


def refused_for_owner(result: Answer | subprocess.CompletedProcess[str]) -> bool:
    """Whether git refused the repository because another user owns it (``safe.directory``)."""
    return "dubious ownership" in (result.stderr or "")


#: git's own answer to a command run outside any repository
NOT_A_REPOSITORY = "fatal: not a git repository (or any of the parent directories): .git\n"

#: One ``rev-parse`` that answers the questions every source asks first, a line each: the top
#: of the work tree, whether the clone is shallow, the commit HEAD names, and the branch
#: (``refs/heads/...``; ``HEAD`` when detached). It stops at the first it cannot answer (no
#: commit yet: the last two), having printed the others.
PROBE = ("rev-parse", "--show-toplevel", "--is-shallow-repository", "HEAD^{commit}",
         "--symbolic-full-name", "HEAD", "--")

#: the commands the probe answers: ``args -> (line of the probe, the exit status git gives
#: when that line is missing)``
_PROBED: dict[tuple[str, ...], int] = {
    ("rev-parse", "--show-toplevel"): 0,
    ("rev-parse", "--is-shallow-repository"): 1,
    ("rev-parse", "-q", "--verify", "HEAD^{commit}"): 2,
    ("symbolic-ref", "-q", "HEAD"): 3,
}


def outside_any_repository(root: Path) -> bool:
    """Whether git would find no repository for ``root``, told without starting git.

    git looks for a ``.git`` (a folder, or a file naming one) in the folder and each folder
    above it; a bare repository is never picked up implicitly (``safe.bareRepository`` is set
    to ``explicit`` on every command) and no ``GIT_DIR`` reaches it. So when neither the path
    nor the real path (git works in the real one) has a ``.git`` at or above it, git would
    say "not a git repository". Any doubt (an unreadable folder) answers False: git decides.
    """
    try:
        paths = {Path(os.path.abspath(root)), Path(os.path.realpath(root))}
        for path in paths:
            for folder in (path, *path.parents):
                if os.path.lexists(folder / ".git") or folder.name == ".git":
                    return False
    except (OSError, ValueError):
        return False
    return True


#: the configuration keys `Git.settings` reads, in one ``git config --get-regexp``: the remotes'
#: URLs and their ``insteadOf`` rewrites (the remote source), the filter drivers (emptied
#: before a command that reads the work tree)
SETTINGS = r"^(remote\..*\.url|url\..*\.insteadof|filter\..*)$"


class Git:
    """`run_git` for one folder, answering each command line once (a run reads, never writes).

    Outside any repository no git process starts at all: every command gets git's own
    answer there. The questions every source asks first (where the top is, whether the
    clone is shallow, HEAD and its branch) are answered together by one ``rev-parse``
    (`PROBE`).
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._answers: dict[tuple[str, ...], Answer] = {}
        self._filters: dict[str, str] | None = None
        self._settings: list[tuple[str, str, str]] | None = None
        self._outside: bool | None = None

    def outside(self) -> bool:
        """Whether there is no repository here at all (`outside_any_repository`, asked once)."""
        if self._outside is None:
            self._outside = outside_any_repository(self.root)
        return self._outside

    def __call__(self, *args: str, worktree: bool = False) -> Answer:
        """``git ARGS``; ``worktree=True`` for a command that reads files of the work tree
        (``status``): the repository's filter drivers are emptied first. A command that does
        not finish in time makes the asking source unavailable (`SourceUnavailable`)."""
        if args not in self._answers and args[:1] != ("config",) and self.outside():
            self._answers[args] = Answer(["git", *args], 128, stderr=NOT_A_REPOSITORY)
        if args not in self._answers and args in _PROBED:
            self._answers[args] = self._from_probe(args)
        if args not in self._answers:
            self._answers[args] = self._run(args, self.disabled_filters() if worktree else None)
        return self._answers[args]

    def _from_probe(self, args: tuple[str, ...]) -> Answer:
        """The answer git would give to ``args``, read from the one `PROBE` run."""
        probe = self(*PROBE)
        lines = probe.stdout.splitlines()
        line = _PROBED[args]
        if line < len(lines) and (probe.returncode == 0 or line < 2):
            value = lines[line]
            if args[0] == "symbolic-ref" and not value.startswith("refs/"):
                return Answer(["git", *args], 1)
            return Answer(["git", *args], 0, stdout=value + "\n")
        if line == 2 and "bad revision" in probe.stderr:  # no commit yet: `--verify -q` is quiet
            return Answer(["git", *args], 1)
        if probe.returncode != 0 and "bad revision" not in probe.stderr and len(lines) < 2:
            return probe  # not a repository, refused, not a work tree: every question fails alike
        return self._run(args)  # a question the probe could not answer: ask git itself

    def _run(self, args: tuple[str, ...],
             config: dict[str, str] | None = None) -> Answer:
        """`run_git`; past its timeout, the asking source is unavailable (`SourceUnavailable`),
        so a caller sees `OSError` (no git) or an answer, never a `subprocess` error."""
        import subprocess

        try:
            done = run_git(self.root, *args, config=config)
        except subprocess.TimeoutExpired:
            from pubdoctor.context import SourceUnavailable

            raise SourceUnavailable(f"`git {args[0]}` did not finish within {TIMEOUT:g} s in "
                                    f"{self.root}, so what it would tell is unknown",
                                    "warning") from None
        return Answer(done.args, done.returncode, done.stdout, done.stderr)

    def settings(self) -> list[tuple[str, str, str]]:
        """The repository's settings the sources read, as ``(scope, key, value)`` in git's
        order: the remotes' URLs, the ``url.<base>.insteadOf`` rewrites and the filter
        drivers, all from one ``git config`` (keys as git prints them: section and name in
        lower case, a subsection as written). Empty when git cannot say."""
        if self._settings is None:
            try:
                listed = self("config", "--show-scope", "--null", "--get-regexp", SETTINGS)
            except OSError:
                listed = None
            fields = listed.stdout.split("\0") if listed and listed.returncode == 0 else []
            self._settings = []
            for scope, entry in zip(fields[0::2], fields[1::2]):  # "local", "remote.o.url\nURL"
                key, _, value = entry.partition("\n")
                self._settings.append((scope, key, value))
        return self._settings

    def disabled_filters(self) -> dict[str, str]:
        """Settings emptying every filter driver the repository's configuration defines.

        A driver from the user's global or system configuration (git-lfs, say) is the user's
        own program and keeps running; one from ``.git/config`` or a file it includes is
        emptied (an empty command is no filter for git) and made not required."""
        if self._filters is None:
            self._filters = {}
            for scope, key, _ in self.settings():
                if scope in ("global", "system", "command") or not key.startswith("filter."):
                    continue
                name = key[len("filter."):].rpartition(".")[0]
                for part in ("clean", "smudge", "process"):
                    self._filters[f"filter.{name}.{part}"] = ""
                self._filters[f"filter.{name}.required"] = "false"
        return self._filters


def load_git_for(context: Any) -> Git:
    """Context loader: git for the checked folder."""
    return Git(context.root)
