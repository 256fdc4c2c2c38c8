"""``.github/workflows/*.y*ml`` into `Workflow` / `Job` / `Step` models with positions.

Only what the rules read is modelled; every node keeps the `Location` of its key so that a
finding points at the line to change. Files that cannot be read or parsed are kept as
`WorkflowError` entries: one bad file must not stop the others from being checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import field, replace
from pathlib import Path
from typing import Any


from pubdoctor.errors import InputError
from pubdoctor.files import display_path, is_loop_or_broken, read_text, relative_display
from pubdoctor.findings import Location
from pubdoctor.lazyregex import lazy_compile
from pubdoctor.records import record
from pubdoctor.sources.permissions import Grant, Permissions, capped, effective
from pubdoctor.sources.publishing import PublishStep, detect_publish
from pubdoctor.sources.yamlfile import (
    key_location,
    node_location,
    parse_yaml,
    plain,
    trailing_comment,
    value_location,
)

WORKFLOWS_DIR = Path(".github") / "workflows"
_MAX_CALL_DEPTH = 4


def is_expression(value: Any) -> bool:
    """True for a value GitHub computes at run time (``${{ ... }}``): it cannot be known here."""
    return isinstance(value, str) and "${{" in value


@record(kw_only=True)
class Environment:
    """A job's ``environment:``, in string or mapping form."""

    name: str | None = None
    url: str | None = None
    location: Location

    @property
    def is_expression(self) -> bool:
        return is_expression(self.name)


@record(kw_only=True)
class Step:
    """One step: an action (``uses``) or a shell script (``run``)."""

    index: int
    name: str | None = None
    id: str | None = None
    uses: str | None = None
    run: str | None = None
    with_: dict[str, Any] = field(default_factory=dict)
    env: dict[str, Any] = field(default_factory=dict)
    if_: Any = None
    location: Location
    keys: dict[str, Location] = field(default_factory=dict)
    with_keys: dict[str, Location] = field(default_factory=dict)
    publish: PublishStep | None = None
    continue_on_error: Any = None
    #: the comment after ``uses:`` (``# v1.12.4`` next to a SHA pin), without ``#``
    uses_comment: str | None = None
    #: for a local composite action that could be read, the ``uses:`` of its steps (``""`` for
    #: a ``run:`` step); None when the step is not one, or when its file could not be read
    composite_uses: list[str] | None = None
    #: where a ``run:`` step runs: its ``working-directory:``, else the job's or workflow's
    #: ``defaults: run: working-directory:`` (None: the workspace)
    working_directory: str | None = None

    @property
    def action(self) -> str | None:
        """``owner/repo`` (or ``owner/repo/path``) of ``uses``, lower-cased, without the ref."""
        if not self.uses or self.uses.startswith(("./", "docker://")):
            return None
        return self.uses.split("@", 1)[0].lower()

    @property
    def action_ref(self) -> str | None:
        if not self.uses or "@" not in self.uses:
            return None
        return self.uses.split("@", 1)[1]

    def key_location(self, key: str) -> Location:
        return self.keys.get(key, self.location)


@record(kw_only=True)
class Job:
    """One job of a workflow."""

    id: str
    name: str | None = None
    location: Location
    keys: dict[str, Location] = field(default_factory=dict)
    permissions: Permissions | None = None
    environment: Environment | None = None
    uses: str | None = None
    with_: dict[str, Any] = field(default_factory=dict)
    secrets: Any = None
    needs: list[str] = field(default_factory=list)
    if_: Any = None
    env: dict[str, Any] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    continue_on_error: Any = None

    def key_location(self, key: str) -> Location:
        return self.keys.get(key, self.location)

    @property
    def publish_steps(self) -> list[Step]:
        return [s for s in self.steps if s.publish is not None]

    @property
    def local_call(self) -> str | None:
        """The repository path of a called local workflow (``uses: ./.github/workflows/x.yml``)."""
        if self.uses and self.uses.startswith("./"):
            return self.uses[2:].split("@", 1)[0]
        return None


@record(kw_only=True)
class Workflow:
    """One workflow file."""

    path: str
    name: str | None = None
    triggers: dict[str, Any] = field(default_factory=dict)
    triggers_location: Location
    permissions: Permissions | None = None
    env: dict[str, Any] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)

    @property
    def filename(self) -> str:
        """The file name the index matches a trusted publisher against (``release.yml``)."""
        return self.path.rsplit("/", 1)[-1]

    @property
    def is_reusable(self) -> bool:
        return "workflow_call" in self.triggers

    @property
    def only_called(self) -> bool:
        return set(self.triggers) == {"workflow_call"}


@record(kw_only=True)
class WorkflowError:
    """A file under ``.github/workflows`` that could not be read or parsed."""

    path: str
    message: str
    line: int = 0
    col: int = 0
    #: the file was still read (a duplicate key): its jobs were checked
    checked: bool = False


@record(kw_only=True)
class PublishingJob:
    """A job with at least one publish step, seen from the workflow run that starts it.

    For a job of a called workflow, ``caller`` is the job (in ``entry``) that calls it; the
    index sees ``entry``'s file in ``workflow_ref`` and ``workflow``'s in ``job_workflow_ref``.
    """

    entry: Workflow
    workflow: Workflow
    job: Job
    caller: Job | None = None
    id_token: Grant

    @property
    def steps(self) -> list[Step]:
        return self.job.publish_steps

    @property
    def is_called(self) -> bool:
        return self.caller is not None

    @property
    def trusted_steps(self) -> list[Step]:
        return [s for s in self.steps if s.publish and s.publish.credentials == "trusted"]


@record(kw_only=True)
class Workflows:
    """Every workflow of the repository, and the files that could not be read."""

    files: list[Workflow] = field(default_factory=list)
    errors: list[WorkflowError] = field(default_factory=list)
    directory_exists: bool = False

    _index: tuple[int, dict[str, Workflow], dict[str, list[tuple[Workflow, Job]]]] | None = field(
        default=None, init=False, repr=False, compare=False)

    def _indexed(self) -> tuple[dict[str, Workflow], dict[str, list[tuple[Workflow, Job]]]]:
        """The workflows by path and file name, and the local callers of each path: built once
        (rules ask for them per job, and a repository may have hundreds of workflows), again
        only if a workflow was added since."""
        if self._index is None or self._index[0] != len(self.files):
            by_name: dict[str, Workflow] = {}
            callers: dict[str, list[tuple[Workflow, Job]]] = {}
            for workflow in self.files:  # the first in file order that has the path or name
                by_name.setdefault(workflow.path, workflow)
                by_name.setdefault(workflow.filename, workflow)
                for job in workflow.jobs.values():
                    if job.local_call is not None:
                        callers.setdefault(job.local_call, []).append((workflow, job))
            self._index = (len(self.files), by_name, callers)
        return self._index[1], self._index[2]

    def get(self, path: str) -> Workflow | None:
        """A workflow by repository path (``.github/workflows/x.yml``) or by file name."""
        return self._indexed()[0].get(path)

    def callers_of(self, workflow: Workflow) -> list[tuple[Workflow, Job]]:
        return list(self._indexed()[1].get(workflow.path, ()))

    def input_values(self, workflow: Workflow, name: str) -> list[str] | None:
        """The values ``inputs.<name>`` takes in a called workflow, when every one is known.

        GitHub gives a ``workflow_call`` input the caller's ``with:`` value, else the input's
        ``default``. The answer is the literal values over every local caller, or None when
        a value is an expression, a caller gives none and there is no default, or nothing in
        this repository calls the workflow (another repository's callers cannot be read).
        """
        config = workflow.triggers.get("workflow_call")
        inputs = config.get("inputs") if isinstance(config, dict) else None
        declared = inputs.get(name) if isinstance(inputs, dict) else None
        default = declared.get("default") if isinstance(declared, dict) else None
        callers = self.callers_of(workflow)
        if not callers or set(workflow.triggers) != {"workflow_call"}:
            return None  # other triggers run it without inputs; remote callers are unknown
        values: list[str] = []
        for _, job in callers:
            value = job.with_.get(name, default)
            if value is None or is_expression(value) or isinstance(value, (dict, list)):
                return None
            values.append(str(value).strip())
        return list(dict.fromkeys(values))

    def publishing_jobs(self) -> list[PublishingJob]:
        """Every job that publishes, once per way a run can reach it.

        A job of a reusable workflow is reached through each job that calls it (its grant is
        capped by the caller's); it is also checked on its own when the file has other
        triggers, or when nothing in the repository calls it.
        """
        found: list[PublishingJob] = []
        for workflow in self.files:
            standalone = not workflow.only_called or not self.callers_of(workflow)
            if standalone:
                for job in workflow.jobs.values():
                    if job.publish_steps:
                        grant = effective("id-token", job.permissions, workflow.permissions)
                        found.append(PublishingJob(entry=workflow, workflow=workflow, job=job,
                                                   id_token=grant))
            for job in workflow.jobs.values():
                if job.local_call:
                    grant = effective("id-token", job.permissions, workflow.permissions)
                    found.extend(self._called(workflow, job, grant, depth=1))
        return found

    def _called(self, entry: Workflow, caller: Job, grant: Grant, depth: int) -> list[PublishingJob]:
        called = self.get(caller.local_call or "")
        if called is None or depth > _MAX_CALL_DEPTH:
            return []
        found: list[PublishingJob] = []
        for job in called.jobs.values():
            own = effective("id-token", job.permissions, called.permissions)
            job_grant = capped(own, grant)
            if job.publish_steps:
                found.append(PublishingJob(entry=entry, workflow=called, job=job, caller=caller,
                                           id_token=job_grant))
            if job.local_call:
                found.extend(self._called(entry, job, job_grant, depth + 1))
        return found


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _triggers(raw: Any) -> dict[str, Any]:
    """``on:`` in its three forms (string, list, mapping) as ``{event: config}``."""
    if isinstance(raw, str):
        return {raw: None}
    if isinstance(raw, list):
        return {str(e): None for e in raw}
    if isinstance(raw, dict):
        return {str(k): plain(v) for k, v in raw.items()}
    return {}


def _permissions(owner: Any, path: str) -> Permissions:
    raw = owner["permissions"]
    scopes = {str(k): key_location(raw, k, path) for k in raw} if isinstance(raw, dict) else {}
    return Permissions.from_yaml(plain(raw), key_location(owner, "permissions", path), scopes)


def _environment(job: Any, path: str) -> Environment | None:
    if "environment" not in job:
        return None
    raw = job["environment"]
    location = key_location(job, "environment", path)
    if isinstance(raw, dict):
        name = raw.get("name")
        url = raw.get("url")
        if "name" in raw:
            location = value_location(raw, "name", path)
        return Environment(name=None if name is None else str(name),
                           url=None if url is None else str(url), location=location)
    if raw is None:
        return Environment(name=None, location=location)
    return Environment(name=str(raw), location=value_location(job, "environment", path))


def _step(raw: Any, index: int, path: str, env: dict[str, Any]) -> Step:
    location = node_location(raw, path)
    if not isinstance(raw, dict):
        return Step(index=index, location=location)
    keys = {str(k): key_location(raw, k, path) for k in raw}
    with_raw = _mapping(raw.get("with"))
    step = Step(
        index=index,
        name=None if raw.get("name") is None else str(raw.get("name")),
        id=None if raw.get("id") is None else str(raw.get("id")),
        uses=None if raw.get("uses") is None else str(raw.get("uses")).strip(),
        run=None if raw.get("run") is None else str(raw.get("run")),
        with_=plain(with_raw),
        env=plain(_mapping(raw.get("env"))),
        if_=plain(raw.get("if")),
        location=location,
        keys=keys,
        with_keys={str(k): key_location(with_raw, k, path) for k in with_raw},
        continue_on_error=plain(raw.get("continue-on-error")),
        uses_comment=_comment_after(raw, "uses"),
        working_directory=None if raw.get("working-directory") is None else str(
            raw.get("working-directory")),
    )
    merged_env = {**env, **step.env}
    publish = detect_publish(step.uses, step.with_, step.run, merged_env)
    if publish is not None:
        step.publish = publish
    return step


def _comment_after(mapping: Any, key: str) -> str | None:
    """The end-of-line comment after ``key: value``, if any."""
    value = trailing_comment(mapping, key)
    if value is None:  # blank lines, or a comment on a later line
        return None
    text = value.splitlines()[0].lstrip("#").strip()
    return text or None


_POETRY_CONFIG = lazy_compile(r"poetry\s+config\s+(pypi-token|http-basic)\.")


def _credentials_from_earlier_steps(steps: list[Step]) -> None:
    """``poetry config pypi-token.pypi ...`` in an earlier step gives ``poetry publish`` a token.

    Poetry stores the credential in its configuration, so the step that uploads does not
    show it; without this the upload would look credential-less.
    """
    configured = False
    for step in steps:
        if step.publish is not None and step.publish.tool == "poetry" and configured \
                and step.publish.credentials == "none":
            step.publish = replace(step.publish, credentials="token",
                                   credentials_detail="`poetry config` in an earlier step")
        if step.run and _POETRY_CONFIG.search(step.run):
            configured = True


def _default_directory(owner: Any) -> str | None:
    """``defaults: run: working-directory:`` of a workflow or job mapping."""
    defaults = _mapping(owner.get("defaults")) if isinstance(owner, dict) else {}
    value = _mapping(defaults.get("run")).get("working-directory")
    return None if value is None else str(value)


def _job(job_id: str, raw: Any, path: str, workflow_env: dict[str, Any], location: Location,
         default_directory: str | None = None) -> Job:
    if not isinstance(raw, dict):
        return Job(id=job_id, location=location)
    keys = {str(k): key_location(raw, k, path) for k in raw}
    permissions = None
    if "permissions" in raw:
        permissions = _permissions(raw, path)
    needs = raw.get("needs")
    env = plain(_mapping(raw.get("env")))
    steps_raw = raw.get("steps")
    merged_env = {**workflow_env, **env}
    steps = [_step(s, i, path, merged_env) for i, s in enumerate(steps_raw)] if isinstance(
        steps_raw, list) else []
    _credentials_from_earlier_steps(steps)
    directory = _default_directory(raw) or default_directory
    for step in steps:
        if step.run is not None and step.working_directory is None:
            step.working_directory = directory
    return Job(
        id=job_id,
        name=None if raw.get("name") is None else str(raw.get("name")),
        location=location,
        keys=keys,
        permissions=permissions,
        environment=_environment(raw, path),
        uses=None if raw.get("uses") is None else str(raw.get("uses")).strip(),
        with_=plain(_mapping(raw.get("with"))),
        secrets=plain(raw.get("secrets")),
        needs=[str(needs)] if isinstance(needs, str) else [str(n) for n in needs or []] if isinstance(needs, list) else [],
        if_=plain(raw.get("if")),
        env=env,
        steps=steps,
        continue_on_error=plain(raw.get("continue-on-error")),
    )


def parse_workflow(text: str, path: str, problems: list[InputError] | None = None) -> Workflow:
    """Parse one workflow file's text; raise `InputError` if it is not a workflow mapping.

    Problems that GitHub refuses but that leave the file readable (duplicate keys) are
    appended to ``problems``.
    """
    document = parse_yaml(text, path, problems)
    if document is None:
        raise InputError("empty workflow file", path)
    if not isinstance(document, dict):
        raise InputError("not a workflow: the top level is not a mapping", path)
    # YAML 1.1 loaders read the key ``on`` as the boolean true; accept both spellings.
    on_key: Any = "on" if "on" in document else True if True in document else None
    triggers_location = key_location(document, on_key, path) if on_key is not None else node_location(document, path)
    permissions = None
    if "permissions" in document:
        permissions = _permissions(document, path)
    env = plain(_mapping(document.get("env")))
    jobs_raw = _mapping(document.get("jobs"))
    if problems is not None:
        # GitHub's schema requires both: without them the file is refused, never run
        if on_key is None:
            problems.append(InputError("no `on:` (the events that run it)", path, 1, 1))
        if not isinstance(document.get("jobs"), dict) or not document.get("jobs"):
            where = key_location(document, "jobs", path) if "jobs" in document else node_location(document, path)
            problems.append(InputError("`jobs:` is missing or is not a mapping of jobs", path,
                                       where.line or 1, where.col or 1))
    return Workflow(
        path=path,
        name=None if document.get("name") is None else str(document.get("name")),
        triggers=_triggers(document.get(on_key)) if on_key is not None else {},
        triggers_location=triggers_location,
        permissions=permissions,
        env=env,
        jobs={str(k): _job(str(k), v, path, env, key_location(jobs_raw, k, path),
                           _default_directory(document))
              for k, v in jobs_raw.items()},
    )


def workflow_paths(root: Path) -> list[Path]:
    directory = root / WORKFLOWS_DIR
    if not directory.is_dir():
        return []
    return sorted(
        p for p in directory.iterdir() if p.suffix in (".yml", ".yaml") and not p.name.startswith(".")
    )


_SHELLS = ("bash", "sh", "zsh")
#: a repository script larger than this is not read for upload commands
_SCRIPT_LIMIT = 256 * 1024


def _repository_file(root: Path, relative: str) -> tuple[Path, str] | None:
    """A readable file inside the repository at ``relative``, with its shown path, or None."""
    base = root.resolve()
    try:
        path = (root / relative).resolve()
        path.relative_to(base)
    except (OSError, RuntimeError, ValueError):
        return None
    if not path.is_file() or is_loop_or_broken(path) or path.stat().st_size > _SCRIPT_LIMIT:
        return None
    return path, display_path(path, base)


_MAKEFILES = ("GNUmakefile", "makefile", "Makefile")


def _make_recipes(text: str, targets: list[str]) -> str:
    """The recipe lines of ``targets`` and of their prerequisites (one level) in a Makefile."""
    rules: dict[str, tuple[list[str], list[str]]] = {}
    current: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("\t"):
            for recipe in current:
                recipe.append(line.lstrip("\t").lstrip("@-+ "))
            continue
        match = re.match(r"^([^\s:=#][^:=#]*?)\s*::?(?!=)\s*([^;#]*)", line)
        if match:
            recipe_lines: list[str] = []
            current = [recipe_lines]
            for name in match.group(1).split():
                rules.setdefault(name, (match.group(2).split(), recipe_lines))
        elif line.strip() and not line.startswith("#"):
            current = []
    wanted = list(targets)
    for target in targets:
        wanted.extend(rules.get(target, ([], []))[0])
    return "\n".join(line for target in dict.fromkeys(wanted)
                     for line in rules.get(target, ([], []))[1])


def _once(cache: dict[Any, Any], key: Any, produce: Callable[[], Any]) -> Any:
    """``produce()`` the first time ``key`` is asked for, and the same answer (or `InputError`)
    after: several jobs often call the same script or composite action, read and parsed once."""
    if key not in cache:
        try:
            cache[key] = produce()
        except InputError as exc:
            cache[key] = exc
    if isinstance(cache[key], InputError):
        raise cache[key]
    return cache[key]


def _read_script(cache: dict[Any, Any], file: Path, shown: str) -> str:
    text: str = _once(cache, ("text", shown), lambda: read_text(file, shown, limit=_SCRIPT_LIMIT))
    return text


def _called_code(run: str, root: Path, cache: dict[Any, Any]) -> list[str]:
    """The text of what a ``run:`` calls in the repository: shell scripts (``bash ./bin/publish``,
    ``./scripts/release.sh``) and the recipes of ``make`` targets (``make publish``)."""
    from pubdoctor.sources.publishing import shell_commands, shell_words

    found: list[str] = []
    for line in shell_commands(run):
        words = shell_words(line)
        if words and words[0] in ("make", "gmake"):
            targets = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
            if any(w.startswith(("-C", "-f", "--directory", "--file")) for w in words[1:]) or not targets:
                continue  # another folder or file, or the default target: not followed
            for name in _MAKEFILES:
                makefile = _repository_file(root, name)
                if makefile is not None:
                    try:
                        found.append(_make_recipes(_read_script(cache, *makefile), targets))
                    except InputError:
                        pass
                    break
            continue
        if words and words[0] in _SHELLS:
            words = [w for w in words[1:] if not w.startswith("-")]
        if not words or "${{" in words[0] or words[0].startswith(("$", "~", "/")):
            continue
        if words[0] in _SHELLS or ("/" not in words[0] and not words[0].endswith(".sh")):
            continue  # a command on PATH, not a file of the repository
        script = _repository_file(root, words[0])
        if script is not None:
            try:
                found.append(_read_script(cache, *script))
            except InputError:
                pass
    return found


def _composite_publish(uses: str, root: Path, env: dict[str, Any],
                       cache: dict[Any, Any]) -> tuple[PublishStep | None, list[str] | None]:
    """The upload of a local composite action (``uses: ./.github/actions/publish``), if any,
    and the ``uses:`` of its steps (None when it cannot be read as a composite action).

    Its steps run inside the calling job, with the job's token and permissions, so an upload
    there is the job's upload.
    """
    folder = uses[2:].split("@", 1)[0].rstrip("/")
    for name in ("action.yml", "action.yaml"):
        found = _repository_file(root, f"{folder}/{name}" if folder else name)
        if found is None:
            continue
        file, shown = found
        try:
            document = _once(cache, ("yaml", shown),
                             lambda: parse_yaml(_read_script(cache, file, shown), shown))
        except InputError:
            return None, None
        runs = _mapping(document.get("runs")) if isinstance(document, dict) else {}
        steps = runs.get("steps")
        if str(runs.get("using", "")).lower() != "composite" or not isinstance(steps, list):
            return None, None
        inner_steps = [_step(raw, index, shown, env) for index, raw in enumerate(steps)]
        inner_uses = [inner.uses or "" for inner in inner_steps]
        return next((s.publish for s in inner_steps if s.publish is not None), None), inner_uses
    return None, None


def _follow_scripts(workflow: Workflow, root: Path, cache: dict[Any, Any]) -> None:
    """Give a step that uploads only inside a repository script or local composite action
    that upload.

    A publishing job often runs ``bash ./bin/publish-pypi`` or ``uses: ./.github/actions/x``:
    without reading them the job looks as if it did not publish (an `id-token: write` "not
    needed", no claims, no missing-token error). Only one level is followed; what cannot be
    read is left alone.
    """
    for job in workflow.jobs.values():
        changed = False
        for step in job.steps:
            if step.publish is not None:
                continue
            env = {**workflow.env, **job.env, **step.env}
            if step.uses and step.uses.startswith("./"):
                publish, step.composite_uses = _composite_publish(step.uses, root, env, cache)
                if publish is not None:
                    step.publish = replace(publish, command=None)
                    changed = True
                continue
            if not step.run:
                continue
            for text in _called_code(step.run, root, cache):
                publish = detect_publish(None, {}, text, env)
                if publish is not None:
                    step.publish = replace(publish, command=None)
                    changed = True
                    break
        if changed:
            _credentials_from_earlier_steps(job.steps)


def load_workflows(root: Path, shown_from: Path | None = None,
                   texts: dict[str, str] | None = None) -> Workflows:
    """Every ``.github/workflows/*.yml`` and ``*.yaml`` under ``root``.

    Their paths are shown relative to ``shown_from`` (default ``root``): the package folder of
    a monorepo, whose workflows are its repository's (``../../.github/workflows/x.yml``).
    ``texts`` (shown path -> text) stands in for files' contents: ``--fix`` checks its
    edits before it writes them.
    """
    workflows = Workflows(directory_exists=(root / WORKFLOWS_DIR).is_dir())
    called: dict[Any, Any] = {}  # the scripts and composite actions the workflows call
    for file in workflow_paths(root):
        shown = (display_path(file, root) if shown_from is None or shown_from == root
                 else relative_display(file, shown_from))
        try:
            if is_loop_or_broken(file):
                raise InputError("broken symlink or symlink loop", shown)
            problems: list[InputError] = []
            text = texts[shown] if texts is not None and shown in texts else read_text(file, shown)
            workflow = parse_workflow(text, shown, problems)
            _follow_scripts(workflow, root, called)
            workflows.files.append(workflow)
            workflows.errors.extend(WorkflowError(path=shown, message=p.message, line=p.line,
                                                  col=p.col, checked=True) for p in problems)
        except InputError as exc:
            workflows.errors.append(WorkflowError(path=shown, message=exc.message, line=exc.line,
                                                  col=exc.col))
    return workflows


def load_workflows_for(context: Any) -> Workflows:
    """Context loader: the workflows of the checked project (its repository's, in a monorepo)."""
    return load_workflows(context.workflows_root, context.root)
