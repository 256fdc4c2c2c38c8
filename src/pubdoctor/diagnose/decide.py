"""From what the scan kept to one cause: the first failure, the one the others follow from.

- A failure (``error`` pattern) that comes first in the log wins over later ones: a release
  tool that made no release comes before the publish job that found an empty ``dist/``.
- Where two causes claim the same lines, the more specific message wins (a local-version
  refusal also ends with the core-metadata link that a generic metadata refusal shows).
- A warning (``hint``) printed before a failure that it explains names the cause instead
  (the action's reusable-workflow warning comes before the refused token exchange).
- Weak signs (``fallback``: a bare ``400 Bad Request``, a bare ``403``) count only when nothing
  else matched and the index gave no reason (none indented under twine's status line, no
  ``Server says:`` text after uv's); a bare 400 counts as a local version only when an
  uploaded file had a ``+``.
- Nothing: ``unknown``, with the lines that look like errors.
"""

from __future__ import annotations

import re
from dataclasses import field

from pubdoctor.diagnose.causes import CAUSES, UNKNOWN, Cause
from pubdoctor.diagnose.claims import Claims
from pubdoctor.diagnose.scanner import Line, Match, ScanResult
from pubdoctor.records import record


@record
class Diagnosis:
    """The answer: a cause, the lines that show it, and the fix."""

    cause: Cause
    evidence: list[Line] = field(default_factory=list)
    detail: str = ""
    fix: str = ""
    claims: Claims | None = None
    claims_lines: list[Line] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)
    error_lines: list[Line] = field(default_factory=list)
    also: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    scan: ScanResult | None = None
    primary: Match | None = None

    @property
    def known(self) -> bool:
        return self.cause.id != UNKNOWN.id


def _overlaps(a: Match, b: Match) -> bool:
    return bool({line.key() for line in a.lines} & {line.key() for line in b.lines})


def _specific(matches: list[Match]) -> list[Match]:
    """Drop a match when a more specific one of another cause claims some of its lines."""
    kept = []
    for match in matches:
        if any(other.cause != match.cause and other.pattern.priority > match.pattern.priority
               and other.kind in ("error", "hint") and _overlaps(match, other) for other in matches):
            continue
        kept.append(match)
    return kept


def _merge_evidence(matches: list[Match]) -> list[Line]:
    lines: dict[tuple[int, int, int], Line] = {}
    for match in matches:
        for line in match.lines:
            lines.setdefault(line.key(), line)
    return [lines[key] for key in sorted(lines)][:16]


def decide(scan: ScanResult) -> Diagnosis:
    matches = _specific(sorted(scan.matches, key=lambda m: (m.key, -m.pattern.priority)))
    errors = [m for m in matches if m.kind == "error"]
    hints = [m for m in matches if m.kind == "hint"]
    facts = [m for m in matches if m.kind == "fact"]
    fallbacks = [m for m in matches if m.kind == "fallback"]
    primary: Match | None = errors[0] if errors else None

    if primary is not None:
        explaining = [h for h in hints if h.key <= primary.key and primary.cause in h.pattern.explains]
        if explaining:
            primary = explaining[0]
    elif hints:
        primary = hints[0]
    else:
        primary = _fallback(fallbacks, scan)

    if primary is None:
        return _unknown(scan)

    cause = CAUSES[primary.cause]
    same = [m for m in matches if m.cause == cause.id and m.kind in ("error", "hint")]
    # the first matches of this cause, near the primary one, are its evidence
    near = [m for m in same if abs(m.key[1] - primary.key[1]) <= 40 and m.key[0] == primary.key[0]]
    evidence_matches = [primary, *[m for m in near if m is not primary]]
    if primary.kind == "hint":
        # show the failure the warning explains too
        followers = [m for m in errors if m.key >= primary.key and m.cause in primary.pattern.explains]
        evidence_matches.extend(followers[:1])
    diagnosis = Diagnosis(cause=cause, scan=scan, primary=primary, claims=scan.claims,
                          claims_lines=scan.claims_lines)
    diagnosis.evidence = _merge_evidence(evidence_matches)
    details = [m.pattern for m in evidence_matches if m.pattern.detail]
    fixes = [m.pattern for m in evidence_matches if m.pattern.fix]
    for fact in facts:
        if fact.cause == cause.id:
            diagnosis.facts[fact.pattern.detail] = fact.lines[0].text
            if fact.pattern.fix:
                fixes.insert(0, fact.pattern)
            diagnosis.evidence = _merge_evidence([*evidence_matches, fact])
    diagnosis.detail = details[0].detail if details else ""
    said = next((s for s in (m.pattern.said(m.groups) for m in evidence_matches) if s), "")
    if said:
        diagnosis.detail = f"{diagnosis.detail}; {said}" if diagnosis.detail else said
    diagnosis.fix = fixes[0].fix if fixes else cause.fix
    if cause.id == "publisher-mismatch" and scan.claims is not None and scan.claims.reusable:
        # the claims prove what the action's warning says: the refusal follows from it
        diagnosis.also.insert(0, cause.id)
        cause = diagnosis.cause = CAUSES["reusable-workflow"]
        diagnosis.detail = (f"the claims show it: job_workflow_ref names `{scan.claims.workflow}`, "
                            f"workflow_ref `{scan.claims.caller_workflow}`")
        diagnosis.fix = cause.fix
        refs = [line for line in scan.claims_lines if "workflow_ref" in line.text]
        diagnosis.evidence = _merge_evidence([primary, Match(primary.pattern, refs)]) if refs \
            else diagnosis.evidence
    if cause.id == "reusable-workflow":
        _other_repository(diagnosis, scan, facts)
    if cause.id in ("publisher-mismatch", "pending-publisher") and scan.claims is None:
        diagnosis.notes.append("the log does not show the token's claims (the action prints them from "
                               "v1.8 on, uv with the refusal): `pubdoctor claims` prints what the "
                               "workflows of the repository present")
    for match in matches:
        if match.kind == "error" and match.cause != cause.id and match.key > primary.key \
                and match.cause not in diagnosis.also:
            diagnosis.also.append(match.cause)
    _upload_facts(diagnosis, scan)
    return diagnosis


#: What twine prints under ``HTTPError: 403 Forbidden`` when the index gave no reason.
_BARE = {"forbidden", "bad request"}
#: uv puts the index's reason on the status line: ``Upload failed with status code 403
#: Forbidden. Server says: 403 <reason>`` (older: ``... 403 Forbidden: 403 <reason>``).
_UV_REASON = re.compile(r"status code \d{3}[A-Za-z ]*?(?:\.\s*Server says:|:)\s*(?:\d{3}\s+)?(?P<reason>.+)")


def _fallback(fallbacks: list[Match], scan: ScanResult) -> Match | None:
    local = [name for _, name in scan.uploads if "+" in name]
    for match in fallbacks:
        if match.cause == "local-version" and not local:
            continue
        if match.pattern.bare and not _bare(match, scan):
            continue
        return match
    return None


def _repository_of(ref: str | None) -> str | None:
    """``o/r/.github/workflows/x.yml@refs/heads/main`` -> ``o/r``."""
    if not ref or ref.count("/") < 2:
        return None
    return "/".join(ref.split("@", 1)[0].split("/")[:2]).lower()


def _other_repository(diagnosis: Diagnosis, scan: ScanResult, facts: list[Match]) -> None:
    """A called workflow of another repository can never match a publisher of this project:
    say so instead of "register the called file" (PD204 says the same before a run)."""
    from pubdoctor.diagnose.causes.reusable_workflow import OTHER_REPOSITORY_FIX

    job_ref = workflow_ref = None
    claims = scan.claims
    if claims is not None:
        job_ref = claims.get("job_workflow_ref")
        workflow_ref = claims.get("workflow_ref") or claims.get("repository")
    for fact in facts:
        if fact.cause == "reusable-workflow" and fact.groups.get("job_workflow_ref"):
            job_ref = job_ref or fact.groups["job_workflow_ref"]
            workflow_ref = workflow_ref or fact.groups.get("workflow_ref")
    called, caller = _repository_of(job_ref), _repository_of(workflow_ref) or (
        workflow_ref.lower() if workflow_ref and workflow_ref.count("/") == 1 else None)
    if called and caller and called != caller:
        diagnosis.facts["called-repository"] = called
        diagnosis.detail = (f"the called workflow is in another repository: job_workflow_ref names "
                            f"`{called}`, the run is in `{caller}`")
        diagnosis.fix = OTHER_REPOSITORY_FIX


def _bare(match: Match, scan: ScanResult) -> bool:
    """Whether a status line (``403 Forbidden``, ``400 Bad Request``) came without a reason.

    The index's reason, when it gives one, is indented under the status line; a reason that no
    pattern knows is not a bare status, and guessing a cause from the status alone would be a
    confident wrong answer (say, a 2FA refusal read as a bad token)."""
    for line in match.lines:
        said = _UV_REASON.search(line.text)
        if said and said.group("reason").strip(" .").lower() not in _BARE:
            return False
        reason = scan.reasons.get((line.part_index, line.number))
        if reason is not None and reason.strip(" .").lower() not in _BARE:
            return False
    return True


def _upload_facts(diagnosis: Diagnosis, scan: ScanResult) -> None:
    """The file (and so the version) the failure is about, from the match or the upload lines."""
    primary = diagnosis.primary
    filename = primary.groups.get("filename") if primary else None
    if filename is None and scan.uploads:
        before = [name for line, name in scan.uploads if primary is None or line.key() <= primary.key]
        filename = (before or [scan.uploads[-1][1]])[-1]
    if filename:
        diagnosis.facts.setdefault("file", filename)
    if primary is not None and primary.kind == "fallback" and primary.cause == "local-version":
        shown = [line for line, name in scan.uploads if "+" in name]
        diagnosis.evidence = _merge_evidence([Match(primary.pattern, shown[-1:]), primary]) if shown \
            else diagnosis.evidence
    version = primary.groups.get("version") if primary else None
    if version:
        diagnosis.facts.setdefault("version", version)


def _unknown(scan: ScanResult) -> Diagnosis:
    lines: dict[tuple[int, int, int], Line] = {}
    for line in [*scan.first_errors, *scan.last_errors]:
        lines.setdefault(line.key(), line)
    diagnosis = Diagnosis(cause=UNKNOWN, scan=scan, claims=scan.claims, claims_lines=scan.claims_lines,
                          fix=UNKNOWN.fix)
    diagnosis.error_lines = [lines[key] for key in sorted(lines)]
    if not diagnosis.error_lines:
        diagnosis.notes.append("no line of this log looks like an error: is it the log of the "
                               "failed step (or the whole job)?")
    _upload_facts(diagnosis, scan)
    return diagnosis

