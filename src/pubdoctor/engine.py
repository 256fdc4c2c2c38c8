"""Running the selected rules against a context and collecting a `Report`."""

from __future__ import annotations

from dataclasses import field

from pubdoctor.context import Context, SourceUnavailable
from pubdoctor.findings import Finding, Severity
from pubdoctor.records import record
from pubdoctor.rules import Rule, all_rules


@record(kw_only=True)
class Note:
    """Something the user should know that is not a finding (a skipped source, say)."""

    level: str  # "note" or "warning"
    message: str


@record(kw_only=True)
class Report:
    """The outcome of a run. ``root`` is how the user named the repository, for display."""

    root: str = "."
    #: the repository's top (git's, else the workflows' root) as an absolute path, and the
    #: checked project's folder relative to it: SARIF and JSON give paths from the top
    top: str = ""
    prefix: str = ""
    findings: list[Finding] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    rules_run: list[str] = field(default_factory=list)
    #: findings below ``--severity``, not reported but counted (the summary says so)
    hidden: int = 0
    #: rules ``--select`` named that did not run (a source was unavailable, a requirement failed)
    dropped: list[str] = field(default_factory=list)
    #: ``-q``: the findings only, no notes and no summary line (text output)
    quiet: bool = False

    def failing(self, threshold: Severity) -> list[Finding]:
        return [f for f in self.findings if f.severity >= threshold]

    def shown(self, path: str) -> str:
        """A repository path as the user can open it from where they ran pubdoctor."""
        if not path or self.root in (".", ""):
            shown = path
        else:
            shown = f"{self.root.rstrip('/')}/{path}"
        if ".." in shown.split("/"):  # a monorepo package's view of its repository's workflows
            import posixpath

            shown = posixpath.normpath(shown)
        return shown

    def uri(self, path: str) -> str:
        """A project path relative to the repository's top (what code scanning resolves)."""
        import posixpath

        if not path or path.startswith("/"):
            return path
        return posixpath.normpath(posixpath.join(self.prefix, path)) if self.prefix else (
            posixpath.normpath(path) if ".." in path.split("/") else path)

    def add_note(self, level: str, message: str) -> None:
        if level == "silent":
            return
        if not any(n.message == message for n in self.notes):
            self.notes.append(Note(level=level, message=message))


def selected_rules(context: Context) -> list[type[Rule]]:
    settings = context.settings
    return [r for r in all_rules() if settings.selects(r.code, r.name)]


def run_rules(context: Context, rules: list[type[Rule]] | None = None) -> Report:
    """Run ``rules`` (default: the selected ones) in code order, honouring ``requires``."""
    report = Report()
    failed: set[str] = set()
    chosen = rules if rules is not None else selected_rules(context)
    produced_all: list[Finding] = []
    for rule_cls in [r for r in chosen if not getattr(r, "runs_last", False)]:
        if rule_cls.requires & failed:
            continue
        try:
            arguments = {name: context.get(name) for name in rule_cls.sources()}
        except SourceUnavailable as exc:
            report.add_note(exc.level, str(exc))
            continue
        rule = rule_cls()
        try:
            produced = list(rule.check(**arguments))
        except SourceUnavailable as exc:  # a source the rule asked the context for itself
            report.add_note(exc.level, str(exc))
            continue
        report.rules_run.append(rule_cls.code)
        if produced:
            failed.add(rule_cls.code)
        produced_all.extend(produced)
    # inline `# pubdoctor: ignore[...]` and per-file-ignores (pubdoctor.suppressions); the
    # rules that judge the suppressions themselves (PD001) run after them
    if produced_all or any(getattr(r, "runs_last", False) for r in chosen):
        try:
            suppressions = context.get("suppressions")
            produced_all = suppressions.apply(produced_all, report.rules_run)
            for rule_cls in [r for r in chosen if getattr(r, "runs_last", False)]:
                produced_all.extend(rule_cls().check(suppressions))
                report.rules_run.append(rule_cls.code)
        except SourceUnavailable as exc:
            report.add_note(exc.level, str(exc))
    shown = [f for f in produced_all if f.severity >= context.settings.severity]
    report.hidden += len(produced_all) - len(shown)
    report.findings.extend(shown)
    # sources a rule read optionally (``context.get`` in a try) are noted here, once
    for skipped in context.unavailable.values():
        report.add_note(skipped.level, str(skipped))
    for level, message in context.notes:
        report.add_note(level, message)
    report.findings.sort(key=Finding.sort_key)
    if context.validating:
        from pubdoctor.validation import validate

        validate(report)
    return report
