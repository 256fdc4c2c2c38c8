"""The release workflow ``pubdoctor init`` writes: the PyPA guide's layout, fitted to the project.

One job builds the distributions with no special permission and hands ``dist/`` over as an
artifact that must exist; one job per index (TestPyPI, then PyPI) only downloads and uploads,
with ``id-token: write`` alone, in an environment, with the publish action pinned to the
commit of a release. What changes with the project:

- the build: ``python -m build`` for every PEP 517 backend, except maturin, whose Linux
  wheels must be manylinux ones (the index refuses ``linux_x86_64``): ``PyO3/maturin-action``;
- the version source: a version from git tags (setuptools-scm, hatch-vcs, ...) needs the
  whole history in the checkout (``fetch-depth: 0``);
- the release tool: python-semantic-release and release-please make the release in a first job
  of the same workflow, run on pushes to the default branch (a tag pushed with the job's token
  starts no other workflow); with no such tool, pushing a ``v*`` tag releases.
"""

from __future__ import annotations

from dataclasses import field

from pubdoctor.records import record


WORKFLOW_PATH = ".github/workflows/release.yml"
INDEXES = {
    "testpypi": ("TestPyPI", "https://test.pypi.org", "https://test.pypi.org/legacy/"),
    "pypi": ("PyPI", "https://pypi.org", None),
}
#: release tools that can run inside the generated workflow, and their documented outputs
IN_WORKFLOW_TOOLS = ("python-semantic-release", "release-please")


@record(kw_only=True)
class Plan:
    """What the workflow is made of, and what the user is told about it."""

    project: str
    backend: str | None
    vcs_version: str | None
    release_tool: str | None
    indexes: list[str]
    action_tag: str
    action_sha: str
    notes: list[str] = field(default_factory=list)


def plan(project_name: str | None, backend: str | None, vcs_version: str | None,
         release_tools: list[str], indexes: list[str]) -> Plan:
    """Decide the workflow for a project (``indexes``: ``testpypi``/``pypi``, in upload order)."""
    from pubdoctor.sources.actiontags import newest_release

    tag, sha = newest_release()
    tool = next((t for t in IN_WORKFLOW_TOOLS if t in release_tools), None)
    result = Plan(project=project_name or "PROJECT", backend=backend, vcs_version=vcs_version,
                  release_tool=tool, indexes=indexes, action_tag=tag, action_sha=sha)
    others = [t for t in release_tools if t != tool]
    for other in others:
        result.notes.append(
            f"{other} is configured: the workflow releases when a `v*` tag is pushed; a tag "
            "pushed by a workflow with its GITHUB_TOKEN starts no other workflow, so push the "
            "tag yourself (`git push --follow-tags`) or with a token that can")
    if project_name is None:
        result.notes.append("pyproject.toml names no project: replace PROJECT in the "
                            "environment URLs")
    return result


def render(plan: Plan) -> str:
    """The workflow's text."""
    lines = [
        f"# Build {plan.project} and publish it with trusted publishing (written by `pubdoctor init`).",
        "# Register this workflow as a (pending) trusted publisher on each index first:",
        "# `pubdoctor claims` prints the values.",
        "name: release",
        "",
        *_triggers(plan),
        "",
        "permissions: {}",
        "",
        "jobs:",
    ]
    needs = "build"
    if plan.release_tool == "python-semantic-release":
        lines += _psr_job() + [""]
    elif plan.release_tool == "release-please":
        lines += _release_please_job() + [""]
    lines += _build_job(plan)
    previous = None
    for key in plan.indexes:
        lines.append("")
        lines += _publish_job(plan, key, [needs] + ([previous] if previous else []))
        previous = f"publish-{key}"
    return "\n".join(lines) + "\n"


def _triggers(plan: Plan) -> list[str]:
    if plan.release_tool is not None:
        return ["on:", "  push:", "    branches: [main]"]
    return ["on:", "  push:", '    tags: ["v*"]']


def _psr_job() -> list[str]:
    return [
        "  release:",
        "    # decides the version from the commits, tags it and creates the GitHub release",
        "    runs-on: ubuntu-latest",
        "    concurrency:",
        "      group: release",
        "    permissions:",
        "      contents: write",
        "    outputs:",
        "      released: ${{ steps.release.outputs.released }}",
        "      tag: ${{ steps.release.outputs.tag }}",
        "    steps:",
        "      - uses: actions/checkout@v4",
        "        with:",
        "          fetch-depth: 0",
        "      - id: release",
        "        uses: python-semantic-release/python-semantic-release@v9",
        "        with:",
        "          github_token: ${{ secrets.GITHUB_TOKEN }}",
    ]


def _release_please_job() -> list[str]:
    return [
        "  release:",
        "    # opens the release pull request; merging it tags the release",
        "    runs-on: ubuntu-latest",
        "    permissions:",
        "      contents: write",
        "      pull-requests: write",
        "    outputs:",
        "      released: ${{ steps.release.outputs.release_created }}",
        "      tag: ${{ steps.release.outputs.tag_name }}",
        "    steps:",
        "      - id: release",
        "        uses: googleapis/release-please-action@v4",
    ]


def _build_job(plan: Plan) -> list[str]:
    lines = ["  build:", "    runs-on: ubuntu-latest"]
    if plan.release_tool is not None:
        lines += ["    needs: release", "    if: needs.release.outputs.released == 'true'"]
    lines += ["    permissions:", "      contents: read", "    steps:",
              "      - uses: actions/checkout@v4", "        with:"]
    if plan.release_tool is not None:
        lines.append("          ref: ${{ needs.release.outputs.tag }}")
    if plan.vcs_version:
        lines.append(f"          fetch-depth: 0  # {plan.vcs_version} reads the version from the tags")
    lines.append("          persist-credentials: false")
    if plan.backend == "maturin":
        lines += [
            "      # manylinux wheels for Linux x86_64 and the sdist; add a matrix for other platforms",
            "      - uses: PyO3/maturin-action@v1",
            "        with:",
            "          command: build",
            "          args: --release --out dist",
            "          manylinux: auto",
            "      - uses: PyO3/maturin-action@v1",
            "        with:",
            "          command: sdist",
            "          args: --out dist",
        ]
    else:
        lines += [
            "      - uses: actions/setup-python@v5",
            "        with:",
            '          python-version: "3.x"',
            "      - run: python -m pip install build",
            "      - run: python -m build",
        ]
    lines += [
        "      - uses: actions/upload-artifact@v4",
        "        with:",
        "          name: dist",
        "          path: dist/",
        "          if-no-files-found: error",
    ]
    return lines


def _publish_job(plan: Plan, key: str, needs: list[str]) -> list[str]:
    label, url, upload = INDEXES[key]
    lines = [
        f"  publish-{key}:",
        f"    name: Publish to {label}",
        f"    needs: [{', '.join(needs)}]",
        "    runs-on: ubuntu-latest",
        "    environment:",
        f"      name: {key}",
        f"      url: {url}/p/{plan.project}",
        "    permissions:",
        "      id-token: write",
        "    steps:",
        "      - uses: actions/download-artifact@v4",
        "        with:",
        "          name: dist",
        "          path: dist/",
        f"      - uses: pypa/gh-action-pypi-publish@{plan.action_sha}  # {plan.action_tag}",
    ]
    if upload is not None:
        lines += ["        with:", f"          repository-url: {upload}"]
    return lines


def backend_name(build_backend: str | None) -> str | None:
    """``hatchling.build`` -> ``hatchling``; ``maturin`` stays ``maturin``."""
    if not build_backend:
        return None
    return build_backend.split(".", 1)[0].split(":", 1)[0]
