"""Random workflow-shaped YAML never makes a rule raise (hypothesis).

Real workflows are messy: keys with the wrong type, `needs` naming missing jobs, `if:` values
that are numbers or broken expressions, `with:` as a list. Every rule must treat them as data.
"""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pubdoctor.context import Context
from pubdoctor.engine import run_rules
from pubdoctor.settings import Settings

KEYS = ["on", "jobs", "permissions", "steps", "uses", "run", "with", "if", "needs", "env",
        "continue-on-error", "id-token", "name", "password", "user", "packages-dir", "path",
        "pattern", "merge-multiple", "if-no-files-found", "push", "tags", "branches", "release",
        "pull_request", "pull_request_target", "workflow_run", "workflow_call", "types",
        "environment", "publish", "build", "repository-url", "TWINE_USERNAME", "TWINE_PASSWORD"]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3),
    st.sampled_from([
        "pypa/gh-action-pypi-publish@master", "pypa/gh-action-pypi-publish@v1.8.11",
        "pypa/gh-action-pypi-publish@0123456789abcdef0123456789abcdef01234567",
        "actions/upload-artifact@v4", "actions/download-artifact@v4", "uv build", "uv publish",
        "twine upload dist/*", "python -m build", "write", "read", "write-all", "dist/", "/tmp/x",
        "startsWith(github.ref, 'refs/tags/')", "github.event_name == 'pull_request'",
        "${{ secrets.PYPI_USERNAME }}", "${{ github.ref", "((", "release", "build", "__token__",
        "startsWith(github.event.workflow_run.head_branch, 'refs/tags/')", "always() ||",
    ]),
    st.text(max_size=12),
)
TREES = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.sampled_from(KEYS), children, max_size=5)),
    max_leaves=40,
)
DOCUMENTS = st.fixed_dictionaries({"on": TREES, "jobs": st.dictionaries(
    st.sampled_from(["build", "publish", "release", "test"]), TREES, max_size=4)}, optional={
        "permissions": TREES})


def _dump(document: object) -> str:
    from ruamel.yaml import YAML

    stream = io.StringIO()
    YAML(typ="safe", pure=True).dump(document, stream)
    return stream.getvalue()


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(document=DOCUMENTS)
def test_rules_never_raise_on_random_workflows(tmp_path_factory, document: dict) -> None:
    root = Path(tmp_path_factory.mktemp("fuzz"))
    workflows = root / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "release.yml").write_text(_dump(document), encoding="utf-8")
    (workflows / "called.yml").write_text(_dump({"on": "workflow_call", **document}), encoding="utf-8")
    report = run_rules(Context(Settings(root=root, offline=True)))
    for finding in report.findings:
        assert finding.location.line >= 1 or finding.location.commit
