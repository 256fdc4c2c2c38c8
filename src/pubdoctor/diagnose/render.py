"""Printing a diagnosis: text for people, JSON for scripts, Markdown for a run's summary page.

Every log text goes through `mask`.
"""

from __future__ import annotations

import json
import re
from typing import Any

import click

from pubdoctor.diagnose.crosscheck import CrossCheck
from pubdoctor.diagnose.decide import Diagnosis
from pubdoctor.diagnose.masking import mask
from pubdoctor.diagnose.scanner import Line

PUBLISHER_FIELDS = (("owner", "owner"), ("repository", "repository name"),
                    ("workflow", "workflow name"), ("environment", "environment name"))


def _where(line: Line) -> str:
    return f"{line.part}:{line.number}" if line.part else str(line.number)


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
        out.append(f"  ({mask(diagnosis.detail)})")
    step = diagnosis.primary.step if diagnosis.primary is not None else None
    if step is not None and diagnosis.known:
        where = f"{step.part}:{step.number}" if step.part else f"line {step.number}"
        out.append(f"{style('step', bold=True)}: {mask(step.text)} ({where})")
    if cause.rules:
        label = "rule" if len(cause.rules) == 1 else "rules"
        out.append(f"{style(label, bold=True)}: {', '.join(cause.rules)}")
    lines = diagnosis.evidence if diagnosis.known else diagnosis.error_lines
    if lines:
        label = "evidence" if diagnosis.known else "lines that look like errors"
        out.append(f"{style(label, bold=True)} ({source}):")
        width = max(len(_where(line)) for line in lines)
        for line in lines:
            out.append(f"  {style(_where(line).rjust(width), fg='cyan')} | {mask(line.text)}")
    claims = diagnosis.claims
    if claims is not None and cause.id in ("publisher-mismatch", "reusable-workflow", "pending-publisher",
                                           "unknown"):
        printed_by = "the action" if claims.form == "action" else "uv"
        heading = ("the token said (no trusted publisher of this project can match a workflow of "
                   "another repository)" if "called-repository" in diagnosis.facts
                   else "the trusted publisher on the index must say")
        out.append(f"{style('claims', bold=True)} (line {claims.line}, {printed_by}): {heading}")
        publisher = claims.publisher()
        for key, label in PUBLISHER_FIELDS:
            out.append(f"  {label + ':':<18} {mask(publisher[key])}")
        if claims.reusable and "called-repository" not in diagnosis.facts:
            out.append(f"  (the job ran in the reusable workflow `{claims.workflow}`, called from "
                       f"`{claims.caller_workflow}`; the index matches `{claims.workflow}`)")
    for note in diagnosis.notes:
        out.append(f"{style('note', fg='blue', bold=True)}: {mask(note)}")
    out.append(f"{style('fix', fg='green', bold=True)}: {mask(diagnosis.fix)}")
    if diagnosis.also:
        out.append(f"{style('then', bold=True)}: later in the log, following from it: {', '.join(diagnosis.also)}")
    if check is not None:
        out.extend(_render_check(check, style))
    return "\n".join(out)


def _render_check(check: CrossCheck, style: Any) -> list[str]:
    out: list[str] = []
    label = style("repository", bold=True)
    if check.status == "still-present":
        out.append(f"{label} ({check.root}): {style('still present', fg='red', bold=True)}")
    elif check.status == "not-found":
        ran = f" ({', '.join(check.rules_run)} found nothing)" if check.rules_run else ""
        out.append(f"{label} ({check.root}): {style('not found in the repository as it is now', fg='green')}{ran}")
    else:
        why = ("no rule for this cause in this version of pubdoctor" if not check.notes
               else "see the notes below")
        out.append(f"{label} ({check.root}): not checked ({why})")
    for finding in check.findings:
        out.append(f"  still present: {finding.location}: {finding.code} [{finding.name}] {mask(finding.message)}")
        if finding.fix:
            out.append(f"    fix: {mask(finding.fix)}")
    for present, message in check.checks:
        out.append(f"  {'still present' if present else 'changed'}: {mask(message)}")
    for note in check.notes:
        out.append(f"  note: {mask(note)}")
    return out


def render_json(diagnosis: Diagnosis, check: CrossCheck | None, source: str,
                run: dict[str, Any] | None = None) -> str:
    lines = diagnosis.evidence if diagnosis.known else diagnosis.error_lines

    def line_json(line: Line) -> dict[str, Any]:
        item: dict[str, Any] = {"line": line.number, "text": mask(line.text)}
        if line.part:
            item["file"] = line.part
        return item

    claims = diagnosis.claims
    scan = diagnosis.scan
    step = diagnosis.primary.step if diagnosis.primary is not None and diagnosis.known else None
    data: dict[str, Any] = {
        "log": source,
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
    if run is not None:
        data["run"] = run
    return json.dumps(data, indent=2, ensure_ascii=False)


def _mask_json(value: Any) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {k: _mask_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_json(v) for v in value]
    return value


def _fence(lines: list[str]) -> str:
    """A code fence longer than any run of backticks in the lines it holds."""
    longest = max((len(run) for text in lines for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _cell(text: str) -> str:
    """Text for a Markdown table cell or a line of prose: no newline, no unescaped pipe."""
    return " ".join(text.split()).replace("|", "\\|")


def render_markdown(diagnosis: Diagnosis, check: CrossCheck | None, source: str) -> str:
    """The diagnosis as GitHub-flavoured Markdown, for a job's summary page
    (``$GITHUB_STEP_SUMMARY``): the cause, the evidence, the fix, the claims, the cross-check."""
    cause = diagnosis.cause
    out: list[str] = [f"### pubdoctor diagnose: `{cause.id}`", "", _cell(cause.summary)]
    if diagnosis.detail:
        out += ["", f"*{_cell(mask(diagnosis.detail))}*"]
    step = diagnosis.primary.step if diagnosis.primary is not None and diagnosis.known else None
    facts = []
    if step is not None:
        facts.append(f"**Step:** {_cell(mask(step.text))} (line {step.number}"
                     + (f" of `{_cell(step.part)}`" if step.part else "") + ")")
    if cause.rules:
        facts.append(f"**Rules:** {', '.join(cause.rules)} (`pubdoctor rule {cause.rules[0]}`)")
    if facts:
        out += ["", *(f"- {fact}" for fact in facts)]
    lines = diagnosis.evidence if diagnosis.known else diagnosis.error_lines
    if lines:
        label = "Evidence" if diagnosis.known else "Lines that look like errors"
        shown = [f"{_where(line).rjust(max(len(_where(x)) for x in lines))} | {mask(line.text)}" for line in lines]
        fence = _fence(shown)
        out += ["", f"**{label}** ({_cell(source)}):", "", fence + "text", *shown, fence]
    claims = diagnosis.claims
    if claims is not None and cause.id in ("publisher-mismatch", "reusable-workflow", "pending-publisher",
                                           "unknown"):
        publisher = claims.publisher()
        heading = ("**The token's claims** (no trusted publisher of this project can match a workflow of "
                   "another repository):" if "called-repository" in diagnosis.facts
                   else "**The trusted publisher on the index must say** (from the token's claims in the log):")
        out += ["", heading, "",
                "| field | value |", "|---|---|"]
        out += [f"| {label} | `{_cell(mask(publisher[key]))}` |" for key, label in PUBLISHER_FIELDS]
    for note in diagnosis.notes:
        out += ["", f"> **Note:** {_cell(mask(note))}"]
    out += ["", f"**Fix:** {_cell(mask(diagnosis.fix))}"]
    if diagnosis.also:
        out += ["", f"Later in the log, following from it: {', '.join(f'`{a}`' for a in diagnosis.also)}"]
    if check is not None:
        status = {"still-present": "still present", "not-found": "not found in the repository as it is now",
                  "not-checked": "not checked"}[check.status]
        out += ["", f"**Repository** (`{_cell(check.root)}`): {status}"]
        for finding in check.findings:
            out.append(f"- `{finding.code}` [{finding.name}] {_cell(str(finding.location))}: "
                       f"{_cell(mask(finding.message))}")
        for present, message in check.checks:
            out.append(f"- {'still present' if present else 'changed'}: {_cell(mask(message))}")
        for note in check.notes:
            out.append(f"- note: {_cell(mask(note))}")
    return "\n".join(out) + "\n"
