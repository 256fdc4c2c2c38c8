"""PD106, PD110: uploading to PyPI with an account password or a long-lived API token.

PyPI and TestPyPI accept two credentials: an API token (user ``__token__``) and a trusted
publishing token. An account name and password are refused ("Username/Password
authentication is no longer supported"). Other indexes (a company's devpi, Artifactory...)
may well take passwords and have no trusted publishing, so uploads to them are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from pubdoctor.findings import Finding, Location, Severity
from pubdoctor.lazyregex import lazy_compile
from pubdoctor.rules import Rule
from pubdoctor.sources.publishing import PublishStep
from pubdoctor.sources.workflows import Step, Workflow, Workflows, is_expression

_NAMED = lazy_compile(r"\b(?:secrets|vars|env)\.([A-Za-z0-9_]+)")


def _names(value: str | None) -> list[str]:
    """Secret or variable names an expression reads (``${{ secrets.PYPI_USER }}`` -> PYPI_USER)."""
    return _NAMED.findall(value or "")


def _is_pypi(publish: PublishStep) -> bool:
    index = publish.index.lower()
    return "pypi.org" in index or (publish.index_name or "").lower() in ("pypi", "testpypi")


def looks_like_password(publish: PublishStep) -> str | None:
    """Why this upload uses an account name and password, or None.

    A literal user other than ``__token__`` is certain. A user read from a secret is judged
    by names: ``PYPI_USERNAME`` with ``PYPI_PASSWORD`` is an account; anything naming a
    token, or a secret not named as a password (``HATCH_INDEX_AUTH``), is taken as
    ``__token__`` stored in a secret. A shell variable the step's env does not set is unknown.
    """
    user = (publish.user or "").strip()
    if not user or user == "__token__":
        return None
    if not is_expression(user):
        if user.startswith("$"):
            return None  # `$PYPI_USER` set outside this step's env: its value is unknown here
        return f"user `{user}`"
    secret_names = _names(publish.secret)
    user_names = _names(user)
    if not user_names or any("TOKEN" in n.upper() for n in user_names + secret_names):
        return None
    if secret_names and not any(re.search(r"PASS|PWD", n, re.IGNORECASE) for n in secret_names):
        return None
    if any(re.search(r"USER|LOGIN|ACCOUNT", n, re.IGNORECASE) for n in user_names):
        return f"user from `{user_names[0]}`" + (f" and password from `{secret_names[0]}`"
                                                   if secret_names else "")
    return None


def _where(step: Step, key: str) -> Location:
    if step.publish is not None and step.publish.tool == "gh-action-pypi-publish":
        return step.with_keys.get(key, step.key_location("with"))
    return step.key_location("env") if "env" in step.keys else step.key_location("run")


_INPUT = lazy_compile(r"^\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}$")


def _resolved(workflows: Workflows, workflow: Workflow, publish: PublishStep) -> list[PublishStep]:
    """The upload as each caller makes it, when its index is an input of the called workflow
    (``--repository ${{ inputs.repo }}``) whose values are all known (see
    `Workflows.input_values`); else the upload as written."""
    for field in ("index_url", "index_name"):
        match = _INPUT.match(str(getattr(publish, field) or "").strip())
        if match:
            values = workflows.input_values(workflow, match.group(1))
            if values:
                return [replace(publish, index_url=value) if field == "index_url"
                        else replace(publish, index_name=value) for value in values]
    return [publish]


def _publish_steps(workflows: Workflows) -> Iterator[tuple[str, Step, PublishStep]]:
    for workflow in workflows.files:
        for job in workflow.jobs.values():
            for step in job.publish_steps:
                if step.publish is None:
                    continue
                found = [p for p in _resolved(workflows, workflow, step.publish) if _is_pypi(p)]
                if found:
                    yield job.id, step, found[0]


class PasswordPublishing(Rule):
    """An upload to PyPI uses an account name and password, which PyPI refuses."""

    code, name, severity = "PD106", "password-publishing", Severity.ERROR

    def check(self, workflows: Workflows) -> Iterator[Finding]:
        for job_id, step, publish in _publish_steps(workflows):
            why = looks_like_password(publish)
            if why is None:
                continue
            yield self.finding(
                _where(step, "user"),
                f"job `{job_id}` uploads with {publish.tool} as an account ({why}); PyPI refuses "
                "it: \"Username/Password authentication is no longer supported\"",
                fix="use trusted publishing (remove the user and password, grant `id-token: write`"
                    " and register the workflow on PyPI), or an API token with user `__token__`",
            )


class ApiTokenPublishing(Rule):
    """An upload to PyPI uses a long-lived API token where trusted publishing would do."""

    code, name, severity = "PD110", "api-token-publishing", Severity.INFO

    def check(self, workflows: Workflows) -> Iterator[Finding]:
        for job_id, step, publish in _publish_steps(workflows):
            if publish.credentials not in ("token", "password") or looks_like_password(publish):
                continue
            names = _names(publish.secret)
            source = f"the secret `{names[0]}`" if names else publish.credentials_detail
            yield self.finding(
                _where(step, "password"),
                f"job `{job_id}` uploads with {publish.tool} using a long-lived API token "
                f"({source}); a leaked, expired or wrong-index token fails the release, and "
                "trusted publishing needs no stored secret",
                fix="register this workflow as a trusted publisher on PyPI, grant the job "
                    "`id-token: write` and remove the token",
            )
