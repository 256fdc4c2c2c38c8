"""Run the fixable rules, apply their fixes to the workflows' text, repeat until nothing changes.

One pass fixes what it can without two edits touching the same place; a fix that would
(two fixes adding a ``permissions`` block to the same job) waits for the next pass, which
sees the first one's result. Every pass re-reads the edited text with the real rules, so a
fix is kept only when the YAML still parses; a finding that survives its own fix is not
fixed again. The files are only written by the caller (``--fix``), never here.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from pubdoctor.errors import InputError
from pubdoctor.findings import Finding
from pubdoctor.fix.target import Edits, Fixer, FixInput
from pubdoctor.fix.text import CannotPlace, Edit, apply_edits, overlaps
from pubdoctor.records import record

if TYPE_CHECKING:
    from pubdoctor.context import Context
    from pubdoctor.sources.workflows import Workflows

MAX_PASSES = 8
_BOM = b"\xef\xbb\xbf"


def _fixers() -> dict[str, Fixer]:
    from pubdoctor.fix import action, permissions, steps

    return {
        "PD101": permissions.fix_missing_id_token,
        "PD102": permissions.fix_id_token_too_wide,
        "PD104": action.fix_outdated_action,
        "PD107": steps.fix_unchecked_upload,
        "PD303": steps.fix_shallow_checkout,
        "PD305": permissions.fix_missing_contents_write,
    }


FIXABLE = ("PD101", "PD102", "PD104", "PD107", "PD303", "PD305")


@record
class Refusal:
    """A finding that was not fixed, and why."""

    finding: Finding
    reason: str


@record
class FixResult:
    """The workflows before and after, what was fixed and what was not."""

    original: dict[str, str]
    fixed: dict[str, str]
    applied: list[Finding] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    #: files that began with a UTF-8 byte order mark (kept when written)
    bom: set[str] = field(default_factory=set)

    @property
    def changed(self) -> list[str]:
        return [path for path in self.fixed if self.fixed[path] != self.original[path]]

    def diff(self) -> str:
        """A unified diff of every changed file (``a/`` and ``b/`` paths, as git writes them)."""
        out: list[str] = []
        for path in self.changed:
            out.extend(difflib.unified_diff(
                self.original[path].splitlines(keepends=True),
                self.fixed[path].splitlines(keepends=True),
                fromfile=f"a/{path}", tofile=f"b/{path}"))
            if out and not out[-1].endswith(("\n", "\r")):
                out[-1] += "\n\\ No newline at end of file\n"
        return "".join(out)

    def write(self, root: Path) -> None:
        for path in self.changed:
            data = self.fixed[path].encode("utf-8")
            (root / path).write_bytes(_BOM + data if path in self.bom else data)


def read_workflow_texts(root: Path) -> tuple[dict[str, str], set[str]]:
    """The text of every workflow file that can be read (the others are not fixed)."""
    from pubdoctor.files import display_path, is_loop_or_broken, read_text
    from pubdoctor.sources.workflows import workflow_paths

    texts: dict[str, str] = {}
    bom: set[str] = set()
    for file in workflow_paths(root):
        shown = display_path(file, root)
        if is_loop_or_broken(file) or file.is_symlink():
            continue  # a link's target may be outside the repository, or shared
        try:
            texts[shown] = read_text(file, shown)
        except InputError:
            continue
        if file.read_bytes().startswith(_BOM):
            bom.add(shown)
    return texts, bom


def fix(new_context: Callable[[], Context]) -> FixResult:
    """Fix what the selected fixable rules find in the workflows of ``new_context()``'s root.

    ``new_context`` builds a fresh context (settings, sources) for each pass.
    """
    from pubdoctor.engine import run_rules, selected_rules
    from pubdoctor.sources.workflows import load_workflows

    fixers = _fixers()
    first = new_context()
    root = first.workflows_root  # where the workflows are (a monorepo package's are its repository's)
    original, bom = read_workflow_texts(root)
    result = FixResult(original=original, fixed=dict(original), bom=bom)
    rules = [r for r in selected_rules(first) if r.code in fixers]
    if not rules or not original:
        return result
    refused: dict[tuple[str, str, str], Refusal] = {}
    # Findings are told apart by rule, file and message (a fix moves the lines below it). A
    # fix that leaves as many findings with its key as before did not work: the pass that
    # made it is undone without it, and it is not tried again.
    previous: Counter[tuple[str, str, str]] = Counter()
    last: list[tuple[tuple[str, str, str], Finding, Edits]] = []
    before_last: dict[str, str] = result.fixed
    context = first
    for number in range(MAX_PASSES + 1):
        texts = result.fixed
        workflows = load_workflows(root, texts=texts)
        _provide(context, workflows, texts)
        report = run_rules(context, rules)
        counts = Counter((f.code, f.location.path, f.message) for f in report.findings)
        tried = Counter(key for key, _, _ in last)
        stuck = {key for key, n in tried.items() if counts[key] > previous[key] - n}
        if stuck:
            for key, finding, _ in last:
                if key in stuck:
                    refused[key] = Refusal(finding, "the fix did not remove the finding")
                    result.applied.remove(finding)
            kept = [edits for key, _, edits in last if key not in stuck]
            result.fixed = _apply(before_last, kept)
            last = [item for item in last if item[0] not in stuck]
            context = new_context()
            continue
        if number == MAX_PASSES:
            final = report.findings  # the last pass only checks the one before
            break
        previous, last, before_last = counts, [], texts
        fix_input = FixInput(workflows=workflows, texts=texts)
        accepted: dict[str, list[Edit]] = {}
        for finding in report.findings:
            key = (finding.code, finding.location.path, finding.message)
            if key in refused:
                continue
            try:
                edits = fixers[finding.code](finding, fix_input)
            except CannotPlace as exc:
                refused[key] = Refusal(finding, str(exc))
                continue
            except (KeyError, IndexError, TypeError, ValueError, InputError) as exc:
                refused[key] = Refusal(finding, f"the file's layout is not one pubdoctor can edit "
                                                f"safely ({type(exc).__name__})")
                continue
            if any(overlaps(a, b) for path, new in edits.items() for a in new
                   for b in accepted.get(path, [])):
                continue  # the next pass, on the result of this one
            for path, new in edits.items():
                accepted.setdefault(path, []).extend(new)
            last.append((key, finding, edits))
            result.applied.append(finding)
        if not accepted:
            final = report.findings  # this pass read the text as it stays
            break
        for key, finding, reason in _unparseable(texts, last):
            refused[key] = Refusal(finding, reason)
            result.applied.remove(finding)
        last = [item for item in last if item[0] not in refused]
        result.fixed = _apply(texts, [edits for _, _, edits in last])
        context = new_context()
    else:
        final = _final(new_context, result, rules)
    remaining = {(f.code, f.location.path, f.message) for f in final}
    result.refused = [r for key, r in refused.items() if key in remaining]
    return result


def _apply(texts: dict[str, str], fixes: list[Edits]) -> dict[str, str]:
    merged: dict[str, list[Edit]] = {}
    for edits in fixes:
        for path, new in edits.items():
            merged.setdefault(path, []).extend(new)
    return {path: apply_edits(text, merged.get(path, [])) for path, text in texts.items()}


def _final(new_context: Callable[[], Context], result: FixResult, rules: list) -> list[Finding]:
    from pubdoctor.engine import run_rules
    from pubdoctor.sources.workflows import load_workflows

    context = new_context()
    _provide(context, load_workflows(context.workflows_root, texts=result.fixed), result.fixed)
    return run_rules(context, rules).findings


def _provide(context: Context, workflows: Workflows, texts: dict[str, str]) -> None:
    """The workflows and their suppression comments as the edited text has them."""
    from pubdoctor.suppressions import load_suppressions

    context.provide("workflows", workflows)
    context.provide("suppressions", load_suppressions(
        context.root, list(texts), context.settings.per_file_ignores, texts))


def _unparseable(texts: dict[str, str], fixes: list[tuple[tuple[str, str, str], Finding, Edits]]
                 ) -> list[tuple[tuple[str, str, str], Finding, str]]:
    """The fixes whose result would not parse (a guard: the edits are built to parse). Each
    edited file is parsed once with all its fixes; only a file that fails is tried fix by fix."""
    from pubdoctor.sources.yamlfile import parse_yaml

    def error(path: str, edits: list[Edit]) -> str | None:
        try:
            parse_yaml(apply_edits(texts[path], edits), path, round_trip=True)
        except InputError as exc:
            return exc.message
        return None

    bad = []
    for path in {path for _, _, edits in fixes for path in edits}:
        if error(path, [e for _, _, edits in fixes for e in edits.get(path, [])]) is None:
            continue
        for key, finding, edits in fixes:
            message = error(path, edits[path]) if path in edits else None
            if message is not None:
                bad.append((key, finding, f"the edited file would not parse ({message})"))
    return bad
