"""PD306-PD307: a release that happens but never reaches the index.

GitHub starts no workflow run for events created with the repository's ``GITHUB_TOKEN``
(other than ``workflow_dispatch`` and ``repository_dispatch``): a release or a tag made with it
wakes no workflow that listens for ``release`` or ``push: tags``. And python-semantic-release
removed its upload in v8: the ``upload_to_pypi``-style settings and the action's
``pypi_token``/``repository_password`` inputs are ignored since. In both cases every run is
green and nothing is uploaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pubdoctor.findings import Finding, Severity
from pubdoctor.records import record
from pubdoctor.rules import Rule

if TYPE_CHECKING:
    from pubdoctor.sources.pyproject import Project
    from pubdoctor.sources.workflows import Job, Step, Workflow, Workflows

_DEFAULT_TOKENS = ("secrets.GITHUB_TOKEN", "github.token")


def _default_token(value: Any, absent_is_default: bool = True) -> bool:
    """Whether a token value is the job's GITHUB_TOKEN (absent: the action's default, which is
    ``github.token`` for every action named here)."""
    if value is None or not str(value).strip():
        return absent_is_default
    text = str(value).replace(" ", "")
    return any(t.replace(" ", "") in text for t in _DEFAULT_TOKENS)


def _env(step: Step, job: Job, workflow: Workflow, *names: str) -> Any:
    """The first of ``names`` set on the step, else the job, else the workflow."""
    for scope in (step.env, job.env, workflow.env):
        for name in names:
            if name in scope:
                return scope[name]
    return None


#: Actions that create a GitHub release (and its tag) through the API, with the token input
#: that carries their credentials (None: only ``GITHUB_TOKEN``/``GH_TOKEN`` in ``env``).
_RELEASE_ACTIONS = {
    "googleapis/release-please-action": "token",
    "google-github-actions/release-please-action": "token",
    "python-semantic-release/python-semantic-release": "github_token",
    "relekang/python-semantic-release": "github_token",
    "cycjimmy/semantic-release-action": None,
    "codfish/semantic-release-action": None,
    "softprops/action-gh-release": "token",
    "ncipollo/release-action": "token",
    "actions/create-release": None,
    "commitizen-tools/commitizen-action": "github_token",
}
#: Actions that push a tag but create no release
_TAG_ONLY_ACTIONS = ("commitizen-tools/commitizen-action",)


@record
class _Creation:
    step: Step
    job: Job
    what: str  # "creates the release", "pushes the tag"
    release: bool  # a `release` event too (not only a tag push)


def _checkout_credentials(job: Job, before: int) -> bool:
    """Whether the job's checkout leaves its own credentials (a PAT, an App token, an SSH key)
    for a later ``git push``; the default token otherwise."""
    for step in job.steps[:before]:
        if step.action == "actions/checkout":
            if step.with_.get("ssh-key"):
                return True
            return not _default_token(step.with_.get("token"))
    return False


def _pushes_tags(line: str) -> bool:
    from pubdoctor.sources.publishing import shell_words

    words = shell_words(line)
    for i, word in enumerate(words[:-1]):
        if word == "git" and words[i + 1] == "push":
            rest = words[i + 2:]
            return any(w in ("--tags", "--follow-tags") or w.startswith("refs/tags/")
                       or (w.startswith("v") and w[1:2].isdigit()) for w in rest)
    return False


def _creations(workflow: Workflow) -> Iterator[_Creation]:
    """The steps of ``workflow`` that create a release or push a tag with the default token."""
    from pubdoctor.sources.publishing import shell_commands
    from pubdoctor.sources.releasetools import NPM_SR, step_tool

    for job in workflow.jobs.values():
        for step in job.steps:
            action = step.action
            if action in _RELEASE_ACTIONS:
                key = _RELEASE_ACTIONS[action]
                token = step.with_.get(key) if key else None
                if key is None or token is None:
                    token = token or _env(step, job, workflow, "GITHUB_TOKEN", "GH_TOKEN")
                if not _default_token(token):
                    continue
                if action in _TAG_ONLY_ACTIONS:
                    yield _Creation(step, job, "pushes the tag", release=False)
                else:
                    yield _Creation(step, job, f"creates the release ({action})", release=True)
                continue
            if not step.run:
                continue
            for line in shell_commands(step.run):
                if "gh release create" in " ".join(line.split()):
                    token = _env(step, job, workflow, "GH_TOKEN", "GITHUB_TOKEN")
                    if token is not None and _default_token(token):
                        yield _Creation(step, job, "creates the release (`gh release create`)", True)
                        break
                if step_tool(None, line) == NPM_SR:
                    token = _env(step, job, workflow, "GITHUB_TOKEN", "GH_TOKEN")
                    if token is not None and _default_token(token):
                        yield _Creation(step, job, "creates the release (semantic-release)", True)
                        break
                if _pushes_tags(line) and "secrets." not in line.replace("secrets.GITHUB_TOKEN", "") \
                        and not _checkout_credentials(job, step.index):
                    yield _Creation(step, job, "pushes the tag (`git push` with the checkout's "
                                    "default credentials)", release=False)
                    break


def _listens(workflow: Workflow, release: bool) -> str | None:
    """The event by which ``workflow`` runs, when it runs only on releases or tag pushes."""
    triggers = workflow.triggers
    if not triggers:
        return None
    kinds = []
    for event, config in triggers.items():
        if event == "release":
            kinds.append("release")
        elif event == "push" and isinstance(config, dict) and (
                "tags" in config or "tags-ignore" in config) and not (
                "branches" in config or "branches-ignore" in config):
            kinds.append("push: tags")
        else:
            return None  # another trigger starts it (a branch push, a manual run...)
    useful = [k for k in kinds if release or k == "push: tags"]
    return " or ".join(f"`{k}`" for k in useful) if useful else None


class ReleaseTokenStartsNothing(Rule):
    """A release made with GITHUB_TOKEN is what starts the upload workflow, so it never runs."""

    code, name, severity = "PD306", "release-token-starts-nothing", Severity.ERROR

    def check(self, workflows: Workflows) -> Iterator[Finding]:
        uploads: dict[str, Workflow] = {}
        for item in workflows.publishing_jobs():
            uploads.setdefault(item.entry.path, item.entry)
        if not uploads:
            return
        for workflow in workflows.files:
            for creation in _creations(workflow):
                for path, listener in uploads.items():
                    if path == workflow.path:
                        continue  # the upload runs in the same run: nothing to start
                    event = _listens(listener, creation.release)
                    if event is None:
                        continue
                    step = creation.step
                    yield self.finding(
                        step.key_location("uses" if step.uses else "run"),
                        f"job `{creation.job.id}` {creation.what} with the default GITHUB_TOKEN, "
                        f"and the upload is in `{listener.filename}`, which runs only on {event}: "
                        "events created with GITHUB_TOKEN start no workflow run (except "
                        "workflow_dispatch and repository_dispatch), so the upload never runs and "
                        "every run is green",
                        fix=f"upload in the same workflow (a job that `needs: {creation.job.id}` "
                            "and runs when it released), or give the step a GitHub App token or a "
                            "fine-grained personal access token, or start the upload with "
                            f"`gh workflow run {listener.filename}` (`workflow_dispatch`)",
                        related=(listener.triggers_location,),
                    )
                    break


# --- PD307 -----------------------------------------------------------------------------------

#: python-semantic-release v7's upload settings (``[tool.semantic_release]``), all ignored since v8
PSR_UPLOAD_KEYS = ("upload_to_pypi", "upload_to_repository", "repository", "repository_url",
                   "repository_user_var", "repository_pass_var", "repository_url_var",
                   "pypi_token_var", "pypi_user_var", "pypi_pass_var")
#: the v7 action's upload inputs, and the variables v7 read its credentials from
PSR_UPLOAD_INPUTS = ("pypi_token", "repository_username", "repository_password")
PSR_UPLOAD_ENV = ("PYPI_TOKEN", "PYPI_PASSWORD", "PYPI_USERNAME", "REPOSITORY_PASSWORD",
                  "REPOSITORY_USERNAME")


def _psr_runs(workflows: Workflows) -> Iterator[tuple[Workflow, Job, Step, int | None, str]]:
    """Each step that runs python-semantic-release, its major version (None: the latest) and
    how that is known; steps whose version cannot be told (a SHA pin) are left out."""
    from pubdoctor.sources.releasetools import PSR, step_tool, tool_major

    for workflow in workflows.files:
        for job in workflow.jobs.values():
            for step in job.steps:
                if step_tool(step.uses, step.run) != PSR:
                    continue
                if step.uses:
                    ref = step.action_ref or ""
                    major = tool_major(step.uses, None)
                    if major is None and ref not in ("master", "main"):
                        continue  # a SHA or another branch: the version is unknown
                    yield workflow, job, step, major, f"`{step.uses}`"
                    continue
                installs = [s.run for s in job.steps[:step.index + 1]
                            if s.run and "python-semantic-release" in s.run and "install" in s.run]
                if not installs:
                    continue  # installed from a requirements file: the version is unknown
                major = tool_major(None, "\n".join(installs))
                yield workflow, job, step, major, "the version `pip install` gets"


class ReleaseToolNoLongerUploads(Rule):
    """python-semantic-release 8+ is configured to upload to PyPI, which it no longer does."""

    code, name, severity = "PD307", "release-tool-no-longer-uploads", Severity.ERROR

    def check(self, workflows: Workflows, project: Project) -> Iterator[Finding]:
        table = project.tool("semantic_release")
        keys = [k for k in PSR_UPLOAD_KEYS if k in table and table[k] not in (False, "false", "")]
        others = [item for item in workflows.publishing_jobs()]
        for workflow, job, step, major, how in _psr_runs(workflows):
            if major is not None and major < 8:
                continue
            inputs = [k for k in PSR_UPLOAD_INPUTS if step.with_.get(k)]
            env = [k for k in PSR_UPLOAD_ENV if k in step.env or k in job.env]
            settings = [f"`{k}` in [tool.semantic_release]" for k in keys] + \
                [f"the `{k}` input" for k in inputs] + [f"`{k}` in `env`" for k in env]
            if not settings:
                continue
            version = f"v{major}" if major is not None else "the latest release (v8 or later)"
            location = step.with_keys.get(inputs[0], step.key_location("uses")) if inputs else (
                project.locate("tool.semantic_release", keys[0]) if keys else step.key_location(
                    "uses" if step.uses else "run"))
            uploaded = bool(others)
            message = (f"job `{job.id}` runs python-semantic-release {version} ({how}) and "
                       f"configures an upload ({', '.join(settings)}), but python-semantic-release "
                       "8 removed uploading to PyPI: these settings are ignored")
            if uploaded:
                message += "; another step uploads, so they are only left over"
            else:
                message += " and nothing is uploaded, while every run is green"
            yield self.finding(
                location, message,
                fix="upload in a step of its own after the release (`pypa/gh-action-pypi-publish` "
                    "with trusted publishing, when the release step's `released` output is true) "
                    "and remove the upload settings",
                severity=Severity.INFO if uploaded else Severity.ERROR,
            )
            return

