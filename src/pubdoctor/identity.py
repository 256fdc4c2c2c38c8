"""The identity a publishing job presents to the index, and the publishers the user declared.

PyPI (warehouse, ``oidc/models/github.py``) looks a GitHub token up by ``repository_owner``,
``repository`` name, ``repository_owner_id``, the **file name in** ``job_workflow_ref`` and,
when the publisher has one, the ``environment`` (compared case-insensitively). It then checks
that ``job_workflow_ref`` is ``owner/repo/.github/workflows/FILE@REF`` with ``REF`` the run's
own ``ref`` or ``sha``. ``job_workflow_ref`` names the file that *holds the job*: for a job of
a called (reusable) workflow that is the called file, not the caller named by ``workflow_ref``.

`compute_claims` derives those values from the repository for every job that uploads with
trusted publishing; `declarations` reads what the user says is registered. The PD2xx rules,
``pubdoctor claims`` and ``diagnose`` share them.
"""

from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple


from pubdoctor.findings import Location
from pubdoctor.lazyregex import lazy_compile
from pubdoctor.records import record
from pubdoctor.settings import PYPI, TESTPYPI, Publisher
from pubdoctor.sources.workflows import Job, Workflow, Workflows

from pubdoctor.sources.remote import Repository  # PublisherView's annotation, checked in tests

if TYPE_CHECKING:
    from pubdoctor.settings import Settings
    from pubdoctor.sources.pyproject import Project

_REMOTE_CALL = lazy_compile(r"^(?P<owner>[^/\s]+)/(?P<repo>[^/\s]+)/(?P<path>[^@\s]+\.ya?ml)@(?P<ref>\S+)$")
_EXTENSIONS = (".yml", ".yaml")


@record(kw_only=True)
class Index:
    """The index a step uploads to, or a declaration is registered on."""

    key: str  # "pypi", "testpypi", "" when unknown (an expression), else the URL
    label: str
    url: str

    @property
    def known(self) -> bool:
        return bool(self.key)

    @property
    def publishing_url(self) -> str:
        """Where the user adds the publisher (the project's settings page, or pending ones)."""
        if self.key in ("pypi", "testpypi"):
            return f"{self.url}/manage/account/publishing/"
        return self.url


PYPI_INDEX = Index(key="pypi", label="PyPI", url=PYPI)
TESTPYPI_INDEX = Index(key="testpypi", label="TestPyPI", url=TESTPYPI)


def index_of(value: str | None) -> Index:
    """`Index` of an upload URL (``https://test.pypi.org/legacy/``), a base URL or a name."""
    text = (value or "").strip()
    lowered = text.lower().rstrip("/")
    if not text or lowered in ("pypi", "https://pypi.org", "https://upload.pypi.org/legacy",
                               "https://upload.pypi.org", "https://pypi.org/legacy"):
        return PYPI_INDEX
    if "${{" in text:
        return Index(key="", label=f"unknown ({text})", url=text)
    if lowered in ("testpypi", "test.pypi.org") or re.match(r"^https?://(upload\.)?test\.pypi\.org(/|$)", lowered):
        return TESTPYPI_INDEX
    if re.match(r"^https?://(upload\.)?pypi\.org(/|$)", lowered):
        return PYPI_INDEX
    return Index(key=lowered, label=text, url=text)


@record(kw_only=True)
class Claim:
    """What one job uploading to one index presents: the values of "Add a trusted publisher"."""

    index: Index
    repository_owner: str | None = None
    repository_name: str | None = None
    workflow: str  # the file name the index matches (from ``job_workflow_ref``)
    workflow_path: str  # that file in the repository
    workflow_ref: str  # the file the run starts in (``workflow_ref``), a repository path
    environment: str | None = None
    environment_expression: str | None = None  # set when the environment is computed at run time
    job: str
    location: Location  # the job
    step: Location  # its first step uploading to this index
    environment_location: Location | None = None
    tool: str
    caller: str | None = None  # the calling job's id, for a job of a called workflow
    caller_location: Location | None = None  # the calling job's ``uses``
    call: Literal["none", "local", "same-repository"] = "none"
    call_ref: str | None = None  # the ref a ``owner/repo/...@ref`` call pins

    @property
    def repository(self) -> str | None:
        if self.repository_owner is None or self.repository_name is None:
            return None
        return f"{self.repository_owner}/{self.repository_name}"

    @property
    def environment_known(self) -> bool:
        return self.environment_expression is None

    @property
    def is_called(self) -> bool:
        return self.call != "none"

    @property
    def job_workflow_ref(self) -> str:
        """``owner/repo/.github/workflows/FILE@REF``; ``REF`` is the run's ref unless pinned."""
        owner = self.repository or "OWNER/REPOSITORY"
        return f"{owner}/{self.workflow_path}@{self.call_ref or '<ref of the run>'}"


@record(kw_only=True)
class RemoteCall:
    """A job calling a workflow of another repository (``other/repo/.github/workflows/x.yml@v1``)."""

    workflow: Workflow
    job: Job
    owner: str
    repo: str
    path: str
    ref: str

    @property
    def filename(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def _environment(job: Job) -> tuple[str | None, str | None, Location | None]:
    env = job.environment
    if env is None or env.name is None or not env.name.strip():
        return None, None, env.location if env is not None else None
    if env.is_expression:
        return None, env.name.strip(), env.location
    return env.name.strip(), None, env.location


def _job_claims(workflow: Workflow, job: Job, entry: Workflow, owner: str | None, name: str | None,
                caller: Job | None = None, call: str = "none", call_ref: str | None = None) -> list[Claim]:
    claims: list[Claim] = []
    seen: set[str] = set()
    for step in job.publish_steps:
        if step.publish is None or step.publish.credentials != "trusted":
            continue
        index = index_of(step.publish.index)
        if index.key in seen and index.known:
            continue
        seen.add(index.key)
        environment, expression, env_location = _environment(job)
        claims.append(Claim(
            index=index, repository_owner=owner, repository_name=name, workflow=workflow.filename,
            workflow_path=workflow.path, workflow_ref=entry.path, environment=environment,
            environment_expression=expression, environment_location=env_location, job=job.id,
            location=job.location, step=step.location, tool=step.publish.tool,
            caller=caller.id if caller else None,
            caller_location=caller.key_location("uses") if caller else None,
            call=call, call_ref=call_ref,  # type: ignore[arg-type]
        ))
    return claims


def remote_calls(workflows: Workflows) -> list[RemoteCall]:
    """Jobs that call a workflow by ``owner/repo/path@ref`` (any repository, this one too)."""
    found = []
    for workflow in workflows.files:
        for job in workflow.jobs.values():
            match = _REMOTE_CALL.match(job.uses or "")
            if match and not (job.uses or "").startswith("./"):
                found.append(RemoteCall(workflow=workflow, job=job, owner=match["owner"],
                                        repo=match["repo"], path=match["path"], ref=match["ref"]))
    return found


def compute_claims(workflows: Workflows, repository: Repository | None = None,
                   assumed: tuple[str, str] | None = None) -> list[Claim]:
    """The claims of every job that uploads with trusted publishing, one per job and index.

    ``repository`` (from the git remote) gives owner and name; without it ``assumed`` (a
    declared ``owner/repo``) is used only to recognise calls into this same repository.
    A call ``owner/repo/.github/workflows/x.yml@ref`` into this repository is followed to the
    local file; calls into other repositories cannot be read and are left out.
    """
    owner = repository.owner if repository else None
    name = repository.name if repository else None
    by_ref: list[tuple[RemoteCall, Workflow]] = []
    for remote in remote_calls(workflows):
        same = (repository.same(remote.owner, remote.repo) if repository else
                assumed is not None and (remote.owner.lower(), remote.repo.lower())
                == (assumed[0].lower(), assumed[1].lower()))
        called = workflows.get(remote.path) if same else None
        if called is not None:
            by_ref.append((remote, called))
    # a file only called (``on: workflow_call``) never runs on its own
    called_by_ref = {called.path for _, called in by_ref if called.only_called}
    claims: list[Claim] = []
    for item in workflows.publishing_jobs():
        if item.caller is None and item.workflow.path in called_by_ref:
            continue
        call = "local" if item.caller is not None else "none"
        claims.extend(_job_claims(item.workflow, item.job, item.entry, owner, name,
                                  caller=item.caller, call=call))
    for remote, called in by_ref:
        for job in called.jobs.values():
            claims.extend(_job_claims(called, job, remote.workflow, owner, name, caller=remote.job,
                                      call="same-repository", call_ref=remote.ref))
    return claims


# --- declarations -------------------------------------------------------------------------

@record(kw_only=True)
class Declaration:
    """A publisher the user says is registered, with where it was written."""

    publisher: Publisher
    number: int  # 1-based, in the order written
    count: int
    from_cli: bool = False
    locations: dict[str, Location] = field(default_factory=dict)

    @property
    def index(self) -> Index:
        return index_of(self.publisher.index)

    @property
    def workflow_name(self) -> str:
        """The bare file name of the declared workflow (a path is reduced to its last part)."""
        return re.split(r"[/\\]", self.publisher.workflow.strip())[-1]

    @property
    def slug(self) -> str:
        return f"{self.publisher.owner}/{self.publisher.repository}"

    def describe(self) -> str:
        where = "--publisher" if self.from_cli else "[tool.pubdoctor.publisher]"
        which = f" #{self.number}" if self.count > 1 else ""
        env = f"@{self.publisher.environment}" if self.publisher.environment else ""
        return f"{where}{which} ({self.index.label}: {self.slug}/{self.publisher.workflow}{env})"

    def location(self, key: str) -> Location | None:
        """Where ``key`` is written in pyproject.toml; None for a command-line declaration."""
        if self.from_cli:
            return None
        return self.locations.get(key) or self.locations.get("")


def parse_publisher_option(value: str) -> Publisher:
    """``[pypi:|testpypi:]owner/repo/workflow.yml[@environment]`` -> `Publisher`.

    Raises `ValueError` with a message for the user when the value has another shape.
    """
    text = value.strip()
    index = PYPI
    prefix, sep, rest = text.partition(":")
    if sep and prefix.lower() in ("pypi", "testpypi"):
        index, text = (PYPI if prefix.lower() == "pypi" else TESTPYPI), rest
    environment = None
    if "@" in text:
        text, environment = text.rsplit("@", 1)
        environment = environment.strip() or None
    parts = text.strip().strip("/").split("/", 2)
    if len(parts) != 3 or not all(p.strip() for p in parts):
        raise ValueError(f"expected [pypi:|testpypi:]OWNER/REPOSITORY/WORKFLOW.yml[@ENVIRONMENT], got {value!r}")
    return Publisher(owner=parts[0].strip(), repository=parts[1].strip(), workflow=parts[2].strip(),
                     environment=environment, index=index)


_HEADER = lazy_compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def _normal(table: str) -> str:
    return ".".join(p.strip().strip('"').strip("'") for p in table.split("."))


def _locate_keys(project: Project, number: int) -> dict[str, Location]:
    """Where the keys of the ``number``-th publisher table are written in pyproject.toml.

    Handles ``[tool.pubdoctor.publisher]``, ``[[tool.pubdoctor.publisher]]`` and inline
    tables (``publisher = {owner = ...}`` or a list of them); ``""`` maps to the table itself.
    """
    path = project.path
    lines = project.text.splitlines()
    seen = 0
    inside = False
    found: dict[str, Location] = {}
    for lineno, line in enumerate(lines, start=1):
        header = _HEADER.match(line)
        if header:
            if inside:
                break
            if _normal(header.group(2)) == "tool.pubdoctor.publisher":
                seen += 1
                if seen == number:
                    inside = True
                    found[""] = Location(path=path, line=lineno, col=line.index("[") + 1)
            continue
        if inside:
            key = re.match(r"^(\s*)[\"']?([A-Za-z0-9_-]+)[\"']?\s*=", line)
            if key:
                found.setdefault(key.group(2), Location(path=path, line=lineno, col=len(key.group(1)) + 1))
    if found:
        return found
    # inline tables: the number-th ``owner =`` after ``publisher =`` under [tool.pubdoctor]
    start = project.locate("tool.pubdoctor", "publisher")
    text_lines = lines[start.line - 1:] if start.line else lines
    owners = 0
    for offset, line in enumerate(text_lines):
        lineno = start.line + offset if start.line else offset + 1
        for match in re.finditer(r"[\"']?\b(owner|repository|workflow|environment|index|project)\b[\"']?\s*=", line):
            if match.group(1) == "owner":
                owners += 1
            if owners == number or (owners == 0 and number == 1):
                found.setdefault(match.group(1), Location(path=path, line=lineno, col=match.start() + 1))
        if owners > number:
            break
    found.setdefault("", start)
    return found


def declarations(settings: Settings, project: Project | None) -> list[Declaration]:
    """The declared publishers, each with the positions of its keys in pyproject.toml."""
    publishers = settings.publishers
    from_cli = settings.publisher_source == "cli"
    result = []
    for number, publisher in enumerate(publishers, start=1):
        locations = {} if from_cli or project is None or not project.text else _locate_keys(project, number)
        result.append(Declaration(publisher=publisher, number=number, count=len(publishers),
                                  from_cli=from_cli, locations=locations))
    return result


# --- matching a declaration with the claims --------------------------------------------------

def _stem(name: str) -> str:
    lowered = name.lower()
    for ext in _EXTENSIONS:
        if lowered.endswith(ext):
            return lowered[: -len(ext)]
    return lowered


@record(kw_only=True)
class WorkflowVerdict:
    """How a declaration's workflow relates to the claims of its index.

    ``kind``: ``ok`` (a job presents that file name), a misspelling the index would not accept
    (``path``, ``spelling``, ``no-extension``, ``display-name``: PD206), or another file
    (``caller``, ``other-index``, ``token``, ``no-publish``, ``other-repository``, ``missing``,
    ``nothing``: PD202). ``claims`` are the jobs the declaration is meant for.
    """

    kind: str
    claims: list[Claim] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)  # the file names the jobs of this index present
    detail: str = ""
    with_path: bool = False


def for_index(claims: list[Claim], index: Index) -> list[Claim]:
    """The claims uploading to ``index`` (a job whose index is an expression may upload anywhere)."""
    return [c for c in claims if c.index.key == index.key or not c.index.known]


def judge_workflow(declaration: Declaration, claims: list[Claim], workflows: Workflows) -> WorkflowVerdict:
    """Compare the declared workflow file name with what the jobs of its index present."""
    declared = declaration.publisher.workflow.strip()
    name = declaration.workflow_name
    with_path = name != declared
    here = for_index(claims, declaration.index)
    expected = sorted({c.workflow for c in here})
    exact = [c for c in here if c.workflow == name]
    if exact:
        return WorkflowVerdict(kind="path" if with_path else "ok", claims=exact, expected=expected,
                               with_path=with_path)
    spelled = [c for c in here if _stem(c.workflow) == _stem(name) and name.lower().endswith(_EXTENSIONS)]
    if spelled:
        return WorkflowVerdict(kind="spelling", claims=spelled, expected=expected, with_path=with_path)
    if not name.lower().endswith(_EXTENSIONS):
        bare = [c for c in here if _stem(c.workflow) == name.lower()]
        if bare:
            return WorkflowVerdict(kind="no-extension", claims=bare, expected=expected, with_path=with_path)
        titled = [w for w in workflows.files if w.name and w.name.strip().lower() == declared.lower()]
        named = [c for c in here for w in titled if c.workflow_ref == w.path or c.workflow_path == w.path]
        if named:
            return WorkflowVerdict(kind="display-name", claims=named, expected=expected,
                                   detail=titled[0].path, with_path=with_path)
    callers = [c for c in here if c.is_called and c.workflow_ref.rsplit("/", 1)[-1] == name]
    if callers:
        return WorkflowVerdict(kind="caller", claims=callers, expected=expected, with_path=with_path)
    elsewhere = [c for c in claims if c.workflow == name and c not in here]
    if elsewhere:
        return WorkflowVerdict(kind="other-index", claims=elsewhere, expected=expected, with_path=with_path,
                               detail=", ".join(sorted({c.index.label for c in elsewhere})))
    remote = [r for r in remote_calls(workflows) if r.filename == name]
    if remote:
        call = remote[0]
        return WorkflowVerdict(kind="other-repository", expected=expected, with_path=with_path,
                               detail=f"{call.owner}/{call.repo}/{call.path}@{call.ref}")
    workflow = workflows.get(name)
    if workflow is not None:
        steps = [s for j in workflow.jobs.values() for s in j.publish_steps if s.publish]
        if steps:
            tokens = sorted({s.publish.credentials_detail for s in steps if s.publish})
            return WorkflowVerdict(kind="token", expected=expected, with_path=with_path, detail="; ".join(tokens))
        return WorkflowVerdict(kind="no-publish", expected=expected, with_path=with_path, detail=workflow.path)
    if not claims:
        return WorkflowVerdict(kind="nothing", expected=expected, with_path=with_path)
    return WorkflowVerdict(kind="missing", expected=expected, with_path=with_path)


def declared_for(claim: Claim, decls: list[Declaration], workflows: Workflows) -> list[Declaration]:
    """The declarations meant for ``claim``: same index, and its workflow (spelled right or not)."""
    matching = []
    for declaration in decls:
        if declaration.index.key != claim.index.key and claim.index.known:
            continue
        verdict = judge_workflow(declaration, [claim], workflows)
        if verdict.kind in ("ok", "path", "spelling", "no-extension", "display-name"):
            matching.append(declaration)
    return matching


def first_location(*candidates: Location | None) -> Location:
    for candidate in candidates:
        if candidate is not None:
            return candidate
    return Location(path=".github/workflows")


@record(kw_only=True)
class Rename:
    """A workflow file renamed in the git history: what it is called now, and by which commit."""

    old: str
    new: str
    commit: str
    date: str


def workflow_renames(root: Path) -> dict[str, Rename]:
    """Workflow file names renamed in the history, old name -> the rename (newest first wins).

    A chain (``a.yml`` -> ``b.yml`` -> ``c.yml``) is followed to the current name. Nothing
    when ``root`` is not a git repository (no git process starts then) or git is missing or
    too slow: this only adds to a message.
    """
    from pubdoctor.context import SourceUnavailable
    from pubdoctor.sources.gitcli import LOG_OPTIONS, Git

    try:
        result = Git(root)("log", *LOG_OPTIONS, "-M", "--diff-filter=R", "--name-status",
                           "--format=@%h %cs", "-n", "500", "--", ".github/workflows")
    except (OSError, SourceUnavailable):
        return {}
    renames: dict[str, Rename] = {}
    commit = date = ""
    for line in result.stdout.splitlines():
        if line.startswith("@"):
            commit, _, date = line[1:].partition(" ")
            continue
        parts = line.split("\t")
        if len(parts) == 3 and parts[0].startswith("R"):
            old, new = parts[1].rsplit("/", 1)[-1], parts[2].rsplit("/", 1)[-1]
            renames.setdefault(old, Rename(old=old, new=new, commit=commit, date=date))
    for rename in renames.values():
        seen = {rename.old}
        while rename.new in renames and rename.new not in seen:
            seen.add(rename.new)
            rename.new = renames[rename.new].new
    return renames


def claim_project(root: Any, workflows: Any, claim: Any, project: Any,
                  folders: dict[str, str | None]) -> str | None:
    """The name of the project ``claim``'s upload publishes: a sub-folder's, or the root's
    (`pubdoctor.distfolder`); ``folders`` keeps each folder's name, read once."""
    from packaging.utils import canonicalize_name

    from pubdoctor.distfolder import named_distribution, project_folder
    from pubdoctor.errors import InputError
    from pubdoctor.sources.pyproject import load_project

    workflow = workflows.get(claim.workflow_path)
    job = None if workflow is None else workflow.jobs.get(claim.job)
    step = None if job is None else next((s for s in job.steps if s.location == claim.step), None)
    folder = None if step is None or job is None else project_folder(workflow, job, step)
    if folder is None:
        named = None if step is None else named_distribution(step)
        if named is not None and (project.name is None or
                                  canonicalize_name(named) != canonicalize_name(project.name)):
            return canonicalize_name(named)
        return project.name  # type: ignore[no-any-return]
    if folder not in folders:
        try:
            found = load_project(root / folder)
            folders[folder] = found.name if found.exists else None
        except InputError:
            folders[folder] = None
    return folders[folder] or project.name  # type: ignore[no-any-return]


# --- the publisher view: declarations and claims, computed once per run ----------------------

class PublisherView(NamedTuple):
    """What every PD2xx rule compares: the declarations and the claims the jobs will present.

    ``repository`` is the git remote's, read only when a workflow calls another repository's
    workflow (``owner/repo/...@ref``) and it is needed to tell the two apart; else None.
    """

    declarations: list[Declaration]
    repository: Repository | None
    claims: list[Claim]


def load_publisher_view_for(context: Any) -> PublisherView:
    """Context loader: the declarations and claims, so the PD2xx rules share one computation."""
    from pubdoctor.context import SourceUnavailable

    decls = declarations(context.get("settings"), context.get("project"))
    workflows: Workflows = context.get("workflows")
    repository = None
    if remote_calls(workflows):
        try:
            repository = context.get("repository")
        except SourceUnavailable:
            repository = None
    assumed = (decls[0].publisher.owner, decls[0].publisher.repository) if decls else None
    return PublisherView(decls, repository, compute_claims(workflows, repository, assumed))
