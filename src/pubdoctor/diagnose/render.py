"""Printing a diagnosis: text for people, JSON for scripts. Every log text goes through `mask`,
and in text output through `printable` too."""

from __future__ import annotations

import json
from typing import Any

import click

from pubdoctor.diagnose.crosscheck import CrossCheck
from pubdoctor.diagnose.decide import Diagnosis
from pubdoctor.diagnose.masking import mask, mask_lines
from pubdoctor.diagnose.scanner import Line
from pubdoctor.report.terminal import json_printable, printable

PUBLISHER_FIELDS = (("owner", "owner"), ("repository", "repository name"),
                    ("workflow", "workflow name"), ("environment", "environment name"))


def _shown(text: object) -> str:
    """A string from the log or the repository as text output shows it: secrets masked,
    control characters escaped (a log line's ESC must not drive the reader's terminal)."""
    return printable(mask(str(text)))


def _masked_texts(lines: list[Line]) -> list[str]:
    """The lines' texts masked together: a token wrapped onto the next line of the log is
    masked on both."""
    chained = [i > 0 and line.part == lines[i - 1].part and line.number == lines[i - 1].number + 1
               for i, line in enumerate(lines)]
    return mask_lines([line.text for line in lines], chained)


def _where(line: Line) -> str:
    # a log archive's entry names are the log's too: a token may stand in one
    return f"{mask(line.part)}:{line.number}" if line.part else str(line.number)


def _rule(diagnosis: Diagnosis) -> str | None:
    return diagnosis.cause.rules[0] if diagnosis.cause.rules else None


def render_text(diagnosis: Diagnosis, check: CrossCheck | None, color: bool, source: str) -> str:
    def style(text: str, **kwargs: Any) -> str:
        return click.style(text, **kwargs) if color else text

    cause = diagnosis.cause
    out: list[str] = []
    head_colour = "yellow" if not diagnosis.known else "red"
    out.append(f"{style('cause', bold=True)}: {style(cause.id, fg=head_colour, bold=True)}: {cause.summary}")
    if diagnosis.detail:
        out.append(f"  ({_shown(diagnosis.detail)})")
    step = diagnosis.primary.step if diagnosis.primary is not None else None
    if step is not None and diagnosis.known:
        where = f"{mask(step.part)}:{step.number}" if step.part else f"line {step.number}"
        out.append(f"{style('step', bold=True)}: {_shown(step.text)} ({where})")
    if cause.rules:
        label = "rule" if len(cause.rules) == 1 else "rules"
        out.append(f"{style(label, bold=True)}: {', '.join(cause.rules)}")
    lines = diagnosis.evidence if diagnosis.known else diagnosis.error_lines
    if lines:
        label = "evidence" if diagnosis.known else "lines that look like errors"
        out.append(f"{style(label, bold=True)} ({_shown(source)}):")
        width = max(len(_where(line)) for line in lines)
        for line, text in zip(lines, _masked_texts(lines)):
            out.append(f"  {style(_where(line).rjust(width), fg='cyan')} | {printable(text)}")
    claims = diagnosis.claims
    if claims is not None and cause.id in ("publisher-mismatch", "reusable-workflow", "pending-publisher",
                                           "unknown"):
        printed_by = "the action" if claims.form == "action" else "uv"
        out.append(f"{style('claims', bold=True)} (line {claims.line}, {printed_by}): "
                   "the trusted publisher on the index must say")
        publisher = claims.publisher()
        for key, label in PUBLISHER_FIELDS:
            out.append(f"  {label + ':':<18} {_shown(publisher[key])}")
        if claims.reusable:
            out.append(f"  (the job ran in the reusable workflow `{claims.workflow}`, called from "
                       f"`{claims.caller_workflow}`; the index matches `{claims.workflow}`)")
    for note in diagnosis.notes:
        out.append(f"{style('note', fg='blue', bold=True)}: {_shown(note)}")
    out.append(f"{style('fix', fg='green', bold=True)}: {_shown(diagnosis.fix)}")
    if diagnosis.also:
        out.append(f"{style('then', bold=True)}: later in the log, following from it: {', '.join(diagnosis.also)}")
    if check is not None:
        out.extend(_render_check(check, style))
    return "\n".join(out)


def _render_check(check: CrossCheck, style: Any) -> list[str]:
    out: list[str] = []
    label = style("repository", bold=True)
    if check.status == "still-present":
        out.append(f"{label} ({_shown(check.root)}): {style('still present', fg='red', bold=True)}")
    elif check.status == "not-found":
        ran = f" ({', '.join(check.rules_run)} found nothing)" if check.rules_run else ""
        out.append(f"{label} ({_shown(check.root)}): {style('not found in the repository as it is now', fg='green')}{ran}")
    else:
        why = ("no rule for this cause in this version of pubdoctor" if not check.notes
               else "see the notes below")
        out.append(f"{label} ({_shown(check.root)}): not checked ({why})")
    for finding in check.findings:
        out.append(f"  still present: {_shown(finding.location)}: {finding.code} [{finding.name}] {_shown(finding.message)}")
        if finding.fix:
            out.append(f"    fix: {_shown(finding.fix)}")
    for present, message in check.checks:
        out.append(f"  {'still present' if present else 'changed'}: {_shown(message)}")
    for note in check.notes:
        out.append(f"  note: {_shown(note)}")
    return out


def render_json(diagnosis: Diagnosis, check: CrossCheck | None, source: str) -> str:
    lines = diagnosis.evidence if diagnosis.known else diagnosis.error_lines

    masked = dict(zip(map(id, lines), _masked_texts(lines)))

    def line_json(line: Line) -> dict[str, Any]:
        item: dict[str, Any] = {"line": line.number, "text": masked.get(id(line)) or mask(line.text)}
        if line.part:
            item["file"] = mask(line.part)
        return item

    claims = diagnosis.claims
    scan = diagnosis.scan
    step = diagnosis.primary.step if diagnosis.primary is not None and diagnosis.known else None
    data: dict[str, Any] = {
        "log": mask(source),
        "cause": diagnosis.cause.id,
        "summary": diagnosis.cause.summary,
        "detail": mask(diagnosis.detail) or None,
        "rule": _rule(diagnosis),
        "rules": list(diagnosis.cause.rules),
        "step": None if step is None else {**line_json(step), "text": mask(step.text)},
        "evidence": [line_json(line) for line in lines],
        "fix": mask(diagnosis.fix),
        "claims": None if claims is None else _mask_json(claims.as_json()),
        "facts": {k: mask(v) for k, v in diagnosis.facts.items()},
        "also": diagnosis.also,
        "notes": [mask(n) for n in diagnosis.notes],
        "lines_read": scan.lines if scan else 0,
        "repository": None if check is None else _mask_json(check.as_json()),
    }
    return json_printable(json.dumps(data, indent=2, ensure_ascii=False))


def _mask_json(value: Any) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {k: _mask_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_json(v) for v in value]
    return value
