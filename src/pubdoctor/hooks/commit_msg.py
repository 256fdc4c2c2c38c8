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
reads pyproject.toml with tomllib only (``python -X importtime`` shows it).
"""

from __future__ import annotations

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


def clean(text: str, comment: str = "#") -> str:
    """The message as git stores it: ``git commit``'s default ``strip`` cleanup."""
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
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


def _read_toml(path: str) -> dict:
    """pyproject.toml of the repository (hooks run at its top level); {} when absent or bad."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return {}
    if not any(key in data for key in (b"semantic_release", b"commitizen", b"commit-types")):
        return {}  # nothing configures commit types: skip loading tomllib (6 ms)
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}


def _example(subject: str, types: tuple[str, ...] | None) -> str:
    """A conventional version of ``subject``, keeping the user's words and type if it can."""
    prefix = re.match(r"\W*(\w+)\s*!?\s*(\(.*?\))?!?\s*:\s*", subject)
    words = subject[prefix.end():] if prefix else subject
    words = words.strip() or "describe the change"
    words = words[0].lower() + words[1:]
    kind = "fix" if types is None or "fix" in types else types[0]
    if prefix and (types is None or prefix.group(1).lower() in types):
        kind = prefix.group(1).lower()
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
    types, source = configured_types(_read_toml("pyproject.toml"))
    problem = check_message(clean(raw), types, source)
    if problem is None:
        return 0
    print(f"pubdoctor-commit-msg: {problem}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
