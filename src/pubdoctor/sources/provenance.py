"""Who uploaded the project's last release, as each index the jobs upload to says (PEP 740).

No index lists a project's trusted publishers, but since PEP 740 every file uploaded with
trusted publishing and attestations (the default of ``pypa/gh-action-pypi-publish`` since
v1.11) carries a provenance object naming the publisher that uploaded it, as the index stored
it: kind, repository, workflow file name, environment. That publisher was registered when the
last release was uploaded, which makes it the best witness of what is registered now.

For every index a trusted-publishing job uploads to (and the project that job uploads), this
source makes at most two requests, in an online run only:

1. the project's Simple API page, through `pubdoctor.sources.index` (shared with the PD4xx
   rules when it is the same index and project): a 404 means the project is not there;
2. the provenance of one file of the last release (the newest ``upload-time``, else the
   highest version): the URL the page gives in the file's PEP 740 ``provenance`` key (or
   ``data-provenance``), or, when the page says nothing about provenance, the Integrity API
   ``GET /integrity/<project>/<version>/<filename>/provenance`` next to its ``/simple/``. When the
   page says ``"provenance": null`` for every file of the release, nothing is asked: the
   release was uploaded without attestations (an API token, or ``uv publish``, twine...).

Whatever the index does instead (no Integrity API as on pypiserver or devpi, 404, 500, a
timeout, garbage, an answer too large) is a note, never an error. A run in which no publisher
could be known at all (offline, or no index could tell) says so in one note, unless the
publisher is declared in ``[tool.pubdoctor.publisher]``.
"""

from __future__ import annotations

from dataclasses import field, replace
from typing import Any, Literal, Optional

from pubdoctor.identity import Claim, Index
from pubdoctor.lazyregex import lazy_compile
from pubdoctor.records import record

#: the Integrity API's media type (PyPI docs, "Integrity API")
INTEGRITY_TYPE = "application/vnd.pypi.integrity.v1+json"
#: a provenance object holds a few certificates and log entries: tens of kB
MAX_PROVENANCE_BYTES = 1024 * 1024

NOT_CHECKED = "the trusted publisher was not checked"
HOW_TO = ("`pubdoctor claims` prints what the index must have registered, and "
          "[tool.pubdoctor.publisher] declares it for PD201-PD207 to check")

OFFLINE = (f"{NOT_CHECKED}: none is declared, and --offline keeps pubdoctor from reading the last "
           f"release's publisher from the index; {HOW_TO}")


@record(kw_only=True)
class LastPublisher:
    """The publisher a provenance object names (the first bundle's)."""

    kind: str  # "GitHub", "GitLab", or another kind the index knows
    repository: Optional[str] = None  # ``owner/name`` (GitLab: the project path)
    workflow: Optional[str] = None  # GitHub: the workflow's file name; GitLab: the CI file's path
    environment: Optional[str] = None  # None: the publisher accepts any environment

    @property
    def owner(self) -> Optional[str]:
        return self.repository.split("/", 1)[0] if self.repository and "/" in self.repository else None

    @property
    def name(self) -> Optional[str]:
        return self.repository.split("/", 1)[1] if self.repository and "/" in self.repository else None

    def describe(self) -> str:
        if self.kind != "GitHub":
            where = f" {self.repository}" + (f" ({self.workflow})" if self.workflow else "")
            return f"a {self.kind} publisher{where if self.repository else ''}"
        env = f", environment `{self.environment}`" if self.environment else ", no environment"
        return f"`{self.repository}`, workflow `{self.workflow}`{env}"


@record(kw_only=True)
class IndexRecord:
    """What one index says about one project: absent, its last release and who uploaded it."""

    index: Index  # the index the jobs upload to
    url: str  # the Simple API base that was read (``--index-url`` may stand in for the index)
    project: str  # as the jobs publish it
    status: Literal["published", "no-provenance", "absent", "unknown"]
    version: Optional[str] = None
    filename: Optional[str] = None
    publisher: Optional[LastPublisher] = None
    reason: str = ""  # for ``unknown``: why nothing could be read

    @property
    def where(self) -> str:
        """The index's name, and the URL read when it is not the index's own."""
        own = {"pypi": "https://pypi.org/simple/", "testpypi": "https://test.pypi.org/simple/"}
        if self.index.key in own and own[self.index.key] != self.url:
            return f"{self.index.label} (read from {self.url})"
        return self.index.label


@record(kw_only=True)
class Entry:
    """One job's claim, the project it uploads, and what its index says about that project."""

    claim: Claim
    project: Optional[str]
    record: Optional[IndexRecord]


@record(kw_only=True)
class PublisherHistory:
    """The ``provenance`` source: every trusted-publishing claim with its index's record."""

    entries: list[Entry] = field(default_factory=list)

    def records(self) -> list[IndexRecord]:
        seen: list[IndexRecord] = []
        for entry in self.entries:
            if entry.record is not None and entry.record not in seen:
                seen.append(entry.record)
        return seen

    def record_for(self, index_key: str, project: Optional[str]) -> Optional[IndexRecord]:
        from packaging.utils import canonicalize_name

        for record in self.records():
            if record.index.key == index_key and project and \
                    canonicalize_name(record.project) == canonicalize_name(project):
                return record
        return None


# --- where to read: the index of each job, or --index-url standing in for one -------------------

def index_bases(settings: Any, workflows: Any, indexes: list[Index]) -> dict[str, str]:
    """The Simple API base to read for each index key.

    PyPI and TestPyPI are read at their own ``/simple/``, another index at the Simple API its
    upload URL implies. ``--index-url`` (``index-url``) stands in for the index pubdoctor would
    read without it (PyPI, TestPyPI when the workflows upload only there, or the declared
    publisher's), as it does for the PD4xx rules: a mirror or a local test index.
    """
    from pubdoctor.indexurl import simple_url
    from pubdoctor.sources.index import chosen_index

    override = None
    if settings.index_url:
        replaced, _ = chosen_index(replace(settings, index_url=None), workflows)
        override = (replaced, chosen_index(settings, workflows)[0])
    bases: dict[str, str] = {}
    for index in indexes:
        natural = simple_url(_warehouse_simple(index.url))
        bases[index.key] = override[1] if override and natural == override[0] else natural
    return bases


def _warehouse_simple(url: str) -> str:
    """``https://host/prefix/legacy/`` (a warehouse upload URL) -> ``https://host/prefix/simple/``."""
    stripped = url.strip().rstrip("/")
    if stripped.endswith("/legacy"):
        return stripped[: -len("legacy")] + "simple/"
    return url


def _known_simple_api(index: Index) -> bool:
    """Whether the Simple API read for ``index`` is surely its own, so that a 404 means "not there":
    PyPI's and TestPyPI's, or the ``/simple/`` next to a warehouse-style ``/legacy/`` upload URL."""
    return index.key in ("pypi", "testpypi") or index.url.strip().rstrip("/").endswith("/legacy")


# --- reading one index -------------------------------------------------------------------------

def _latest(files: list[Any]) -> tuple[Optional[str], list[Any]]:
    """The version of the last upload and its files: the newest ``upload-time``, else the
    highest version (HTML pages carry no upload time)."""
    from datetime import datetime

    from packaging.version import InvalidVersion, Version

    from pubdoctor.sources.dist import parse_filename

    parsed = []
    for item in files:
        name = parse_filename(item.filename)
        if name is None:
            continue
        try:
            version = Version(name[2])
        except InvalidVersion:
            continue
        stamp = _upload_time(item.upload_time) if item.upload_time else None
        parsed.append((item, name[2], version, stamp))
    if not parsed:
        return None, []
    if all(p[3] is not None for p in parsed):
        newest = max(parsed, key=lambda p: (p[3], p[2]))
    else:
        newest = max(parsed, key=lambda p: p[2])
    version = newest[2]
    return newest[1], [p[0] for p in parsed if p[2] == version]


_ISO_TIME = lazy_compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$")


def _upload_time(text: str) -> Any:
    """PEP 700's ``upload-time`` (ISO 8601, ``Z`` or an offset, any number of fraction digits),
    read alike on every Python (3.10's `datetime.fromisoformat` takes 3 or 6 fraction digits)."""
    from datetime import datetime

    match = _ISO_TIME.match(text.strip())
    if match is None:
        return None
    seconds, fraction, zone = match.groups()
    micro = (fraction or "0")[:6].ljust(6, "0")
    offset = "+00:00" if zone in (None, "Z") else zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"
    try:
        return datetime.fromisoformat(f"{seconds}.{micro}{offset}")
    except ValueError:
        return None


def _publisher(provenance: Any) -> LastPublisher:
    """The first bundle's publisher; GitHub's ``""`` environment is "none", as the index means it."""
    publisher = provenance.attestation_bundles[0].publisher
    for bundle in provenance.attestation_bundles:  # a GitHub bundle, if there is one, is what we compare
        if bundle.publisher.kind == "GitHub":
            publisher = bundle.publisher
            break
    if publisher.kind == "GitHub":
        return LastPublisher(kind="GitHub", repository=publisher.repository, workflow=publisher.workflow,
                             environment=publisher.environment or None)
    if publisher.kind == "GitLab":
        return LastPublisher(kind="GitLab", repository=publisher.repository,
                             workflow=publisher.workflow_filepath, environment=publisher.environment or None)
    return LastPublisher(kind=publisher.kind)


def read_record(index: Index, base: str, project: str, timeout: float,
                page: Any = None, absent_known: bool = True) -> IndexRecord:
    """What ``base`` says about ``project``: at most one page and one provenance request.

    ``page`` is the `IndexState` already read by the index source, or a `SourceUnavailable`
    it raised (then it is reported by that source, and this record only says "unknown").
    """
    from urllib.parse import quote, urljoin

    from pubdoctor.context import SourceUnavailable
    from pubdoctor.sources.index import RequestFailed, fetch, get

    record = IndexRecord(index=index, url=base, project=project, status="unknown")
    shared = page is not None
    if page is None:
        try:
            page = fetch(base, project, timeout)
        except SourceUnavailable as exc:
            page = exc
    if isinstance(page, SourceUnavailable):
        if page.level == "note":  # the index source's 404: the project is not there
            if absent_known:
                record.status = "absent"
            else:
                record.reason = (f"{base}{project}/ answered 404, but that Simple API was only guessed "
                                 f"from the upload URL {index.url}: pass it with --index-url")
            return record
        # a failure of the shared request is already reported, as a warning, by the index source
        record.reason = "" if shared else str(page).split("; the rules that compare")[0]
        return record
    version, files = _latest(page.files)
    if version is None:
        record.reason = f"{record.where} lists no release of `{project}`"
        return record
    record.version = version
    declared = [f for f in files if f.declares_provenance]
    with_url = [f for f in files if f.provenance]
    if declared and not with_url:
        record.status = "no-provenance"
        record.filename = files[0].filename
        return record
    chosen = with_url[0] if with_url else files[0]
    record.filename = chosen.filename
    page_url = urljoin(base, f"{project}/")
    if chosen.provenance:
        url = urljoin(page_url, chosen.provenance)
    else:
        # the Integrity API sits next to the Simple API (``https://pypi.org/integrity/...``)
        url = urljoin(base, "../integrity/{}/{}/{}/provenance".format(
            *(quote(part, safe="") for part in (project, version, chosen.filename))))
    what = f"the provenance of {chosen.filename} ({record.where}, {url})"
    try:
        content_type, body = get(url, INTEGRITY_TYPE, timeout, MAX_PROVENANCE_BYTES)
    except RequestFailed as exc:
        if exc.status == 404 and not chosen.provenance:
            record.reason = (f"{record.where} does not serve provenance: its Simple API page has no "
                             f"PEP 740 `provenance` key, and {url} answered 404 (no Integrity API, "
                             "or no provenance for that file)")
        else:
            record.reason = f"{what} could not be read: {exc}"
        return record
    from pubdoctor.sources.attestations import parse_provenance

    try:
        provenance = parse_provenance(body)
    except (ValueError, RecursionError) as exc:
        shown = "".join(c if c.isprintable() else "?" for c in str(exc))[:120]
        record.reason = f"{what} is not a PEP 740 provenance object ({content_type}: {shown})"
        return record
    record.status = "published"
    record.publisher = _publisher(provenance)
    return record


# --- the context loader ------------------------------------------------------------------------

def load_provenance_for(context: Any) -> PublisherHistory:
    """Context loader: each trusted-publishing claim with what its index says of the last release."""
    return collect(context)


def collect(context: Any, bases: Optional[dict[str, str]] = None) -> PublisherHistory:
    """The claims and their indexes' records; ``bases`` maps index keys to the Simple API to read
    for them (by default `index_bases`: each index's own, or ``--index-url`` standing in)."""
    from pubdoctor.context import SourceUnavailable
    from pubdoctor.identity import claim_project, compute_claims

    view = context.get("publishers")
    workflows = context.get("workflows")
    settings = context.settings
    if not any(c.index.known for c in view.claims):
        return PublisherHistory()
    declared = {d.index.key for d in view.declarations}
    undeclared = [c for c in view.claims if c.index.known and c.index.key not in declared]
    if settings.offline:
        raise SourceUnavailable(OFFLINE, "note" if undeclared else "silent")
    repository = context.loaded("repository")
    if repository is None:
        # owner and name come from the git remote; without one they are unknown and not compared
        # (read quietly: the note of the repository source speaks of declarations)
        from pubdoctor.sources.remote import load_repository

        try:
            repository = load_repository(context.root, settings.remote or "origin", context.get("git"))
            context.provide("repository", repository)
        except SourceUnavailable:
            repository = None
    claims = [c for c in compute_claims(workflows, repository) if c.index.known]
    project = context.get("project")
    folders: dict[str, Optional[str]] = {}
    named = [(c, claim_project(context.root, workflows, c, project, folders)) for c in claims]
    bases_given = bases
    bases = {**index_bases(settings, workflows, [c.index for c, _ in named]), **(bases or {})}
    from packaging.utils import canonicalize_name

    from pubdoctor.indexurl import is_allowed_url
    from pubdoctor.sources.index import chosen_index

    shared_base = chosen_index(settings, workflows)[0]
    records: dict[tuple[str, str], IndexRecord] = {}
    entries = []
    for claim, name in named:
        if not name:
            entries.append(Entry(claim=claim, project=None, record=None))
            continue
        canonical = str(canonicalize_name(name))
        key = (claim.index.key, canonical)
        if key not in records:
            base = bases[claim.index.key]
            if not is_allowed_url(base):
                records[key] = IndexRecord(index=claim.index, url=base, project=name, status="unknown",
                                           reason=f"{claim.index.label} was not read: only https:// "
                                                  "URLs are (http:// only to a loopback address)")
            else:
                page = None
                if base == shared_base:
                    # the PD4xx rules' request, made once for both: the root project's page is
                    # the `index` source, a package's comes from the same `index_pages`
                    root = bool(project.name) and canonicalize_name(project.name) == canonical
                    try:
                        page = context.get("index") if root else context.get("index_pages").page(canonical)
                    except SourceUnavailable as exc:
                        if not root and exc.level == "warning":  # a 404 is the record's "absent"
                            context.add_note(exc.level, str(exc))
                        page = exc
                # the page and the Integrity API are addressed by the normalized name (PEP 503)
                trusted = (_known_simple_api(claim.index) or claim.index.key in (bases_given or {})
                           or base == shared_base and settings.index_url is not None)
                records[key] = replace(read_record(claim.index, base, canonical, settings.timeout, page,
                                                   absent_known=trusted), project=name)
        entries.append(Entry(claim=claim, project=name, record=records[key]))
    history = PublisherHistory(entries=entries)
    unknown = [r for r in history.records() if r.status == "unknown"]
    if undeclared and unknown and len(unknown) == len(history.records()):
        reasons = "; ".join(r.reason for r in unknown if r.reason)
        raise SourceUnavailable(f"{NOT_CHECKED}: none is declared, and no index told which publisher "
                                "uploaded the last release" + (f" ({reasons})" if reasons else "")
                                + f"; {HOW_TO}")
    for record in unknown:
        if record.reason:
            context.add_note("note", f"{record.reason}; so the publisher of the last release of "
                                     f"`{record.project}` there is unknown")
    return history


def differing_fields(claim: Claim, publisher: LastPublisher) -> list[str]:
    """The fields of the form where ``claim`` would not match ``publisher``, as the index compares
    them: ``owner`` and ``repository`` ignoring case (unknown ones never differ), ``workflow``
    exactly, ``environment`` ignoring case and only when the publisher has one."""
    if publisher.kind != "GitHub":
        return ["kind"]
    differs = []
    if claim.repository_owner is not None and claim.repository_owner.lower() != (publisher.owner or "").lower():
        differs.append("owner")
    if claim.repository_name is not None and claim.repository_name.lower() != (publisher.name or "").lower():
        differs.append("repository")
    if claim.workflow != publisher.workflow:
        differs.append("workflow")
    if publisher.environment and claim.environment_known and \
            (claim.environment or "").lower() != publisher.environment.lower():
        differs.append("environment")
    return differs
