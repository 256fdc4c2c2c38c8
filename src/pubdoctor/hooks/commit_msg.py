"""``pubdoctor-commit-msg``: a commit-msg hook that refuses messages a release tool cannot read.

Git (or pre-commit, with ``stages: [commit-msg]``) runs it with the path of the message file.
The message is cleaned as git cleans it (comment lines and everything below the scissors
line dropped, trailing blank lines removed), then:

- merge and revert messages as git writes them, and ``fixup!``/``squash!``/``amend!``
  commits, are accepted untouched;
- anything else must be a Conventional Commit (1.0.0), with a type the project configured
  (``[tool.pubdoctor] commit-types``, else ``[tool.semantic_release]``'s or
  ``[tool.commitizen]``'s types) when it configured any.

A refused message gets the rule of the specification it breaks and a good example.

Start-up counts: this runs on every commit. It imports no pydantic, gitpython or click, and
reads pyproject.toml with tomllib only, and only when it configures commit types; the answer
is cached per file content (``python -X importtime`` and ``benchmarks/commit_msg_hook.py``
show it).
"""

from __future__ import annotations

import os
import re
import sys

from pubdoctor.committypes import configured_types
from pubdoctor.conventional import SPEC_URL, NotConventional, parse

SCISSORS = "------------------------ >8 ------------------------"
#: First lines that git (or GitHub, GitLab) writes itself: merges, and the autosquash markers.
GIT_WRITTEN = ("Merge branch ", "Merge branches ", "Merge remote-tracking branch", "Merge tag ",
               "Merge tags ", "Merge commit ", "Merge pull request ", "fixup! ", "squash! ", "amend! ")


def written_by_git(subject: str) -> bool:
    """A merge, revert (``Revert "..."``, ``Reapply "..."``) or fixup subject as git writes it."""
    if subject.startswith(GIT_WRITTEN):
        return True
    return subject.startswith(('Revert "', 'Reapply "')) and subject.endswith('"')


_GIT_COMMENTS = (" Please enter the commit message", " " + SCISSORS)


def comment_char(text: str) -> str:
    """The comment character git used in this message file (``core.commentChar``).

    Read from the lines git writes itself (its instructions, the scissors line), so that no
    `git config` process is started; ``#`` when there are none (``git commit -m``).
    """
    for line in text.split("\n"):
        for marker in _GIT_COMMENTS:
            position = line.find(marker)
            if 0 < position <= 4 and not line[:position].isspace():
                return line[:position]
    return "#"


def clean(text: str, comment: str | None = None) -> str:
    """The message as git stores it: ``git commit``'s default ``strip`` cleanup."""
    text = text.replace("\r\n", "\n")
    comment = comment or comment_char(text)
    lines: list[str] = []
    for line in text.split("\n"):
        if line.startswith(comment) and line[len(comment):].strip() == SCISSORS:
            break
        if line.startswith(comment):
            continue
        lines.append(line.rstrip())
    cleaned: list[str] = []
    for line in lines:
        if not line and (not cleaned or not cleaned[-1]):
            continue  # leading blank lines, and runs of blank lines, collapse
        cleaned.append(line)
    return "\n".join(cleaned).strip("\n")


_CONFIG_KEYS = (b"semantic_release", b"commitizen", b"commit-types")
_CACHE_LINES = 64


def _cache_path() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "pubdoctor", "commit-types.tsv")


def _cache_get(key: str) -> tuple[tuple[str, ...] | None, str] | None:
    try:
        with open(_cache_path(), encoding="utf-8") as handle:
            for line in handle:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 3 and parts[0] == key:
                    return (None if parts[2] == "*" else tuple(parts[2].split(","))), parts[1]
    except (OSError, UnicodeDecodeError):
        pass
    return None


def _cache_put(key: str, types: tuple[str, ...] | None, source: str) -> None:
    """Remember the types of one pyproject.toml content (never written into the repository)."""
    path = _cache_path()
    line = f"{key}\t{source}\t{'*' if types is None else ','.join(types)}\n"
    if "\t" in source or (types and any("," in t or "\t" in t or "\n" in t for t in types)):
        return
    try:
        with open(path, encoding="utf-8") as handle:
            kept = [old for old in handle.readlines()[-_CACHE_LINES:] if not old.startswith(key + "\t")]
    except (OSError, UnicodeDecodeError):
        kept = []
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = f"{path}.{os.getpid()}"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.writelines([*kept, line])
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only home: just no cache


def project_types(path: str = "pyproject.toml") -> tuple[tuple[str, ...] | None, str]:
    """The commit types the project at the current directory configured (hooks run at the top
    of the repository), and where from; ``(None, "")`` when it configures none.

    Parsing TOML costs the hook a third of its start-up (tomllib imports typing), so the
    answer is kept in the user's cache, keyed by the file's content (its length and CRC-32)
    and the pubdoctor version: an edited pyproject.toml is always read again.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None, ""
    if not any(key in data for key in _CONFIG_KEYS):
        return None, ""
    import zlib

    from pubdoctor import __version__

    key = f"{__version__}:{len(data)}:{zlib.crc32(data):08x}"
    cached = _cache_get(key)
    if cached is not None:
        return cached
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None, ""
    types, source = configured_types(parsed)
    _cache_put(key, types, source)
    return types, source


#: a type as people misspell it -> the Conventional Commits type they meant
_NEAR_MISSES = {
    "feature": "feat", "features": "feat", "feats": "feat", "new": "feat",
    "bugfix": "fix", "bug": "fix", "fixes": "fix", "fixed": "fix", "hotfix": "fix",
    "doc": "docs", "documentation": "docs", "tests": "test", "testing": "test",
    "refactoring": "refactor", "performance": "perf", "chores": "chore", "styles": "style",
}
#: words that make the kind of change clear; the first group that matches wins, and
#: documentation comes first ("Fix a typo in the README" changes no code)
_CLEAR: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = (
    # (type, first words, words anywhere)
    ("docs", frozenset({"document", "documents", "documented", "docs", "doc"}),
     frozenset({"readme", "readme.md", "docs", "documentation", "docstring", "docstrings",
                "changelog"})),
    ("test", frozenset({"test", "tests", "testing"}), frozenset({"tests", "test", "testing"})),
    ("feat", frozenset({"add", "adds", "added", "adding", "introduce", "introduces",
                        "introduced", "introducing", "implement", "implements", "implemented",
                        "support", "supports", "create", "creates", "created", "allow",
                        "allows", "enable", "enables"}), frozenset()),
    ("fix", frozenset({"fix", "fixes", "fixed", "fixing", "repair", "repairs", "repaired",
                       "resolve", "resolves", "resolved", "correct", "corrects", "corrected"}),
     frozenset()),
    ("refactor", frozenset({"refactor", "refactors", "refactored", "restructure", "simplify",
                            "simplifies", "reorganize", "reorganise"}), frozenset()),
    ("perf", frozenset({"optimize", "optimise", "optimizes", "optimises", "speed"}), frozenset()),
)


def _clear_type(words: str) -> str | None:
    """The type the words make clear (``feat`` for "add ..."), or None when they do not."""
    tokens = re.findall(r"[a-z0-9][a-z0-9.]*", words.lower())
    if not tokens:
        return None
    for kind, first, anywhere in _CLEAR:
        if tokens[0] in first or anywhere.intersection(tokens):
            return kind
    return None


def _allowed(kind: str | None, types: tuple[str, ...] | None) -> str | None:
    """``kind`` as the project writes it, or None when the project does not allow it."""
    if kind is None or types is None:
        return kind
    return next((t for t in types if t == kind), None) or next(
        (t for t in types if t.lower() == kind), None)


def _example(subject: str, types: tuple[str, ...] | None) -> str:
    """A conventional version of ``subject``, keeping the user's words and type if it can.

    The type is the user's when it is one (``Docs`` -> ``docs``) or a near miss of one
    (``feature`` -> ``feat``), else the one the words make clear (``feat`` for "add",
    ``docs`` for the README), else none at all: a guessed ``fix`` would make a patch release
    out of a feature or a documentation change. Then the template says to choose one.
    """
    prefix = re.match(r"\W*(\w+)\s*!?\s*(\(.*?\))?!?\s*:\s*", subject)
    words = subject[prefix.end():] if prefix else subject
    words = words.strip() or "describe the change"
    first = words.split()[0]
    if not (len(first) > 1 and first.isupper()):  # keep an acronym (WIP, README)
        words = words[0].lower() + words[1:]
    kind = None
    if prefix:
        given = prefix.group(1).lower()
        kind = _allowed(_NEAR_MISSES.get(given, given), types)
    if kind is None:
        kind = _allowed(_clear_type(words), types)
    if kind is None:
        choices = (", ".join(types[:6]) + (", ..." if len(types) > 6 else "") if types
                   else "feat, fix, docs, refactor, test, chore, ...")
        return f"<type>: {words} (choose the type: {choices})"
    return f"{kind}: {words}"


def check_message(message: str, types: tuple[str, ...] | None, source: str = "") -> str | None:
    """None when ``message`` is acceptable, else the explanation to print."""
    if not message or written_by_git(message.split("\n", 1)[0]):
        return None  # empty: git itself aborts the commit
    subject = message.split("\n", 1)[0]
    try:
        commit = parse(message)
    except NotConventional as exc:
        return (f"the message is not a Conventional Commit: {exc.problem}.\n"
                f"  rule {exc.rule}: {exc.rule_text}\n"
                f"  a good one: {_example(subject, types)}\n"
                f"  {SPEC_URL}")
    if types is not None and commit.type not in types:
        same = [t for t in types if t.lower() == commit.type.lower()]
        hint = f" (types are compared as written: use `{same[0]}`)" if same else ""
        return (f"type `{commit.type}` is not one of the types configured in {source}: "
                f"{', '.join(types)}{hint}.\n"
                f"  a good one: {_example(subject, types)}")
    return None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: pubdoctor-commit-msg MESSAGE_FILE (git passes .git/COMMIT_EDITMSG)",
              file=sys.stderr)
        return 2
    try:
        with open(args[0], encoding="utf-8", errors="replace") as handle:
            raw = handle.read()
    except OSError as exc:
        print(f"pubdoctor-commit-msg: cannot read {args[0]}: {exc.strerror}", file=sys.stderr)
        return 2
    types, source = project_types()
    problem = check_message(clean(raw), types, source)
    if problem is None:
        return 0
    print(f"pubdoctor-commit-msg: {problem}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
