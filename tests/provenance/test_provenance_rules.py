"""PD208-PD214 against a real index on 127.0.0.1 that answers the Simple and Integrity APIs.

Each test builds a real git repository (remote ``origin`` on GitHub) whose workflows upload
with trusted publishing, puts the project's last release on the local index with the
provenance of a GitHub publisher, and runs ``pubdoctor check`` with no publisher declared.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from conftest import git, run_cli
from provenance_server import (  # noqa: F401 - fixture
    Answer, ProvenanceIndex, provenance_index_fixture,
)

WORKFLOW = """
on:
  push:
    tags: ["v*"]
jobs:
  publish:
    runs-on: ubuntu-latest
{environment}    permissions:
      id-token: write
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: dist
          path: dist/
      - uses: pypa/gh-action-pypi-publish@release/v1
{with_url}"""


def workflow(environment: str | None = "pypi", url: str | None = None) -> str:
    env = f"    environment: {environment}\n" if environment else ""
    with_url = f"        with:\n          repository-url: {url}\n" if url else ""
    return WORKFLOW.format(environment=env, with_url=with_url).lstrip()


def repo(tmp_path: Path, workflows: dict[str, str], remote: str = "https://github.com/octo-org/demo.git",
         extra: str = "", name: str = "demo") -> Path:
    root = tmp_path / "repo"
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / "pyproject.toml").write_text(f'[project]\nname = "{name}"\nversion = "1.1.0"\n{extra}',
                                         encoding="utf-8")
    for file, text in workflows.items():
        (root / ".github" / "workflows" / file).write_text(textwrap.dedent(text), encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "feat: initial commit", "--no-gpg-sign")
    git(root, "remote", "add", "origin", remote)
    return root


def run(root: Path, index_url: str, *args: str):
    return run_cli("check", str(root), "--no-color", "--index-url", index_url, "--timeout", "30",
                   "--select", "PD2", *args)


def as_json(root: Path, index_url: str, *args: str) -> dict:
    result = run(root, index_url, "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def only(document: dict, code: str) -> dict:
    found = [f for f in document["findings"] if f["code"] == code]
    assert len(found) == 1, document
    return found[0]


# -- the done-when: a changed workflow, repository, environment, with no configuration ---------

def test_renamed_workflow_is_reported_at_the_job_with_the_field(tmp_path: Path,
                                                               provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/demo", "release.yml", "pypi"))
    root = repo(tmp_path, {"release.yml": workflow()})
    git(root, "mv", ".github/workflows/release.yml", ".github/workflows/publish.yml")
    git(root, "commit", "-q", "-m", "ci: rename the release workflow", "--no-gpg-sign")
    result = run(root, provenance_index.simple("pypi"))
    assert result.exit_code == 0, result.output  # a warning: a publisher may have been added since
    line = next(x for x in result.output.splitlines() if "PD208" in x)
    assert line.startswith(f"{root}/.github/workflows/publish.yml:5:3: PD208 [publisher-workflow-changed] workflow:")
    assert "`release.yml`" in line and "`publish.yml`" in line
    assert "renamed to `publish.yml` in commit" in line
    assert "Workflow name `publish.yml`" in result.output
    assert [f["code"] for f in as_json(root, provenance_index.simple("pypi"))["findings"]] == ["PD208"]


def test_renamed_repository_is_pd209(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/old-demo", "release.yml", "pypi"))
    root = repo(tmp_path, {"release.yml": workflow()})
    finding = only(as_json(root, provenance_index.simple("pypi")), "PD209")
    assert finding["severity"] == "warning"
    assert finding["location"] == {"path": ".github/workflows/release.yml", "uri": ".github/workflows/release.yml",
                                   "line": 5, "column": 3, "commit": None}
    assert finding["message"].startswith("repository:")
    assert "renamed from `old-demo` to `demo`" in finding["message"]
    assert "Repository name `demo`" in finding["fix"]


def test_transferred_repository_is_pd209(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo", "1.0.0", ("someone/Demo", "release.yml", ""))
    root = repo(tmp_path, {"release.yml": workflow()})
    finding = only(as_json(root, provenance_index.simple("pypi")), "PD209")
    assert "transferred from `someone` to `octo-org`" in finding["message"]


def test_repository_compared_ignoring_case(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo", "1.0.0", ("Octo-Org/DEMO", "release.yml", "PyPI"))
    root = repo(tmp_path, {"release.yml": workflow()})
    assert as_json(root, provenance_index.simple("pypi"))["findings"] == []


def test_changed_environment_is_pd210_at_the_environment(tmp_path: Path,
                                                         provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/demo", "release.yml", "pypi"))
    root = repo(tmp_path, {"release.yml": workflow(environment="release")})
    finding = only(as_json(root, provenance_index.simple("pypi")), "PD210")
    assert finding["severity"] == "warning"
    assert finding["location"]["line"] == 7  # `environment: release`
    assert finding["message"].startswith("environment:")
    assert "`pypi`" in finding["message"] and "now runs in `release`" in finding["message"]


def test_removed_environment_is_pd210(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/demo", "release.yml", "pypi"))
    root = repo(tmp_path, {"release.yml": workflow(environment=None)})
    finding = only(as_json(root, provenance_index.simple("pypi")), "PD210")
    assert "no `environment:` any more" in finding["message"]
    assert finding["location"]["line"] == 5  # the job


def test_publisher_without_environment_accepts_any(tmp_path: Path,
                                                   provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/demo", "release.yml", ""))
    root = repo(tmp_path, {"release.yml": workflow(environment="anything")})
    assert as_json(root, provenance_index.simple("pypi"))["findings"] == []


def test_same_publisher_is_silent_and_makes_two_requests(tmp_path: Path,
                                                         provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo", "0.9.0", ("octo-org/demo", "old.yml", ""), day=1)
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/demo", "release.yml", "pypi"), day=2)
    root = repo(tmp_path, {"release.yml": workflow()})
    result = run(root, provenance_index.simple("pypi"), "--select", "PD2,PD4")
    assert result.exit_code == 0, result.output
    assert "PD2" not in result.output and "note:" not in result.output
    # one page (shared with PD4xx) and one provenance, of the last release only
    assert provenance_index.state.requests == [
        "/pypi/simple/demo/", "/pypi/integrity/demo/1.0.0/demo-1.0.0.tar.gz/provenance"]


def test_last_upload_wins_over_highest_version(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    """A 1.0.5 backport uploaded after 2.0.0 is the last release: its publisher counts."""
    index = provenance_index.index("pypi")
    index.add("demo", "2.0.0", ("octo-org/demo", "old.yml", ""), day=1)
    index.add("demo", "1.0.5", ("octo-org/demo", "release.yml", ""), day=2)
    root = repo(tmp_path, {"release.yml": workflow()})
    assert as_json(root, provenance_index.simple("pypi"))["findings"] == []


def test_reusable_workflow_moved_upload_names_pd204(tmp_path: Path,
                                                    provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/demo", "release.yml", ""))
    caller = """
        on: push
        jobs:
          call:
            uses: ./.github/workflows/pypi.yml
            permissions:
              id-token: write
        """
    called = """
        on: workflow_call
        jobs:
          upload:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
        """
    root = repo(tmp_path, {"release.yml": caller, "pypi.yml": called})
    finding = only(as_json(root, provenance_index.simple("pypi")), "PD208")
    assert "reusable workflow `.github/workflows/pypi.yml`" in finding["message"]
    assert "PD204" in finding["message"]


# -- nothing to compare --------------------------------------------------------------------

def test_token_uploaded_release_is_pd211_info(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo", "1.0.0", None)
    root = repo(tmp_path, {"release.yml": workflow()})
    document = as_json(root, provenance_index.simple("pypi"))
    finding = only(document, "PD211")
    assert finding["severity"] == "info"
    assert "API token" in finding["message"] and "pubdoctor claims" in finding["message"]
    assert "[tool.pubdoctor.publisher]" in finding["fix"]
    assert document["notes"] == []
    # the page said `"provenance": null`: the Integrity API is not asked
    assert provenance_index.state.requests == ["/pypi/simple/demo/"]


def test_index_without_provenance_gives_one_note_and_exit_0(tmp_path: Path,
                                                            provenance_index: ProvenanceIndex) -> None:
    """pypiserver and devpi: no `provenance` key, no Integrity API."""
    provenance_index.index("pypi", pep740=False).add("demo", "1.0.0", ("octo-org/demo", "other.yml", ""))
    root = repo(tmp_path, {"release.yml": workflow()})
    result = run(root, provenance_index.simple("pypi"))
    assert result.exit_code == 0, result.output
    notes = [x for x in result.output.splitlines() if x.startswith("note:")]
    assert len(notes) == 1, result.output
    assert "the trusted publisher was not checked" in notes[0]
    assert "does not serve provenance" in notes[0] and "pubdoctor claims" in notes[0]
    assert result.output.splitlines()[1:] == ["All checks passed!"]
    assert provenance_index.state.requests == [
        "/pypi/simple/demo/", "/pypi/integrity/demo/1.0.0/demo-1.0.0.tar.gz/provenance"]


def test_html_page_with_data_provenance(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    """A PEP 503 answer: the provenance URL comes from `data-provenance`."""
    index = provenance_index.index("pypi")
    index.add("demo", "1.0.0", ("octo-org/demo", "release.yml", "pypi"))
    provenance_index.force("/pypi/simple/demo/", Answer(status=200, content_type="text/html", body=(
        '<html><body><a href="/files/demo-1.0.0.tar.gz#sha256=00" data-provenance="'
        '/pypi/integrity/demo/1.0.0/demo-1.0.0.tar.gz/provenance">demo-1.0.0.tar.gz</a></body></html>'
    ).encode()))
    root = repo(tmp_path, {"publish.yml": workflow()})
    finding = only(as_json(root, provenance_index.simple("pypi")), "PD208")
    assert "`release.yml`" in finding["message"]


@pytest.mark.parametrize("answer,expected", [
    (Answer(status=404, body=b'{"message": "No provenance available"}', content_type="application/json"),
     "HTTP 404"),
    (Answer(status=500, body=b"oops", content_type="text/plain"), "HTTP 500"),
    (Answer(status=200, body=b"\x00garbage{", content_type="application/json"),
     "is not a PEP 740 provenance object"),
    (Answer(status=200, body=b'{"version": 1, "attestation_bundles": [{"publisher": {"kind": "GitHub"}}]}'),
     "is not a PEP 740 provenance object"),
    (Answer(status=200, body=b"[" * (2 * 1024 * 1024)), "larger than"),
    (Answer(status=200, body=b"{}", delay=60), "no answer within 1 s"),
    (Answer(status=200, body=b"{" + b" " * 1000 + b"}", trickle=0.2), "did not arrive within 1 s"),
], ids=["404", "500", "garbage", "wrong-shape", "huge", "slow", "trickle"])
def test_integrity_endpoint_failures_are_one_note(tmp_path: Path, provenance_index: ProvenanceIndex,
                                                  answer: Answer, expected: str) -> None:
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/demo", "other.yml", ""))
    provenance_index.force("/pypi/integrity/demo/1.0.0/demo-1.0.0.tar.gz/provenance", answer)
    root = repo(tmp_path, {"release.yml": workflow()})
    result = run_cli("check", str(root), "--no-color", "--index-url", provenance_index.simple("pypi"),
                     "--timeout", "1" if answer.delay or answer.trickle else "30", "--select", "PD2")
    assert result.exit_code == 0, result.output
    notes = [x for x in result.output.splitlines() if x.startswith("note:")]
    assert len(notes) == 1 and expected in notes[0], result.output
    assert "Traceback" not in result.output and result.output.splitlines()[1:] == ["All checks passed!"]


# -- other indexes and other repositories --------------------------------------------------------

def test_project_missing_on_second_index_needs_a_pending_publisher(
        tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    """Present on the PyPI stand-in, absent on the index the second job uploads to."""
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/demo", "release.yml", "pypi"))
    provenance_index.index("staging")
    second = workflow(environment=None, url=provenance_index.upload_url("staging"))
    root = repo(tmp_path, {"release.yml": workflow(), "staging.yml": second})
    finding = only(as_json(root, provenance_index.simple("pypi")), "PD212")
    assert finding["location"]["path"] == ".github/workflows/staging.yml"
    assert "is not on" in finding["message"] and "it exists on PyPI" in finding["message"]
    assert "pending publisher" in finding["message"]
    assert "Workflow name `staging.yml`" in finding["fix"] and "Environment name `(none)`" in finding["fix"]
    # the Simple API next to the warehouse-style upload URL `/staging/legacy/`
    assert "/staging/simple/demo/" in provenance_index.state.requests


def test_404_of_a_guessed_simple_api_is_not_absence(tmp_path: Path,
                                                    provenance_index: ProvenanceIndex) -> None:
    """An upload URL that is not warehouse's `/legacy/`: its Simple API is a guess, so a 404
    says nothing about the project, and no pending publisher is asked for."""
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/demo", "release.yml", "pypi"))
    other = workflow(environment=None, url=f"{provenance_index.root}/upload/")
    root = repo(tmp_path, {"release.yml": workflow(), "other.yml": other})
    document = as_json(root, provenance_index.simple("pypi"))
    assert document["findings"] == []
    [note] = document["notes"]
    assert "answered 404, but that Simple API was only guessed" in note["message"]


def test_testpypi_is_a_separate_registration(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    """The same with TestPyPI itself: the local server stands in for PyPI and TestPyPI."""
    from pubdoctor.runcontext import build_context
    from pubdoctor.engine import run_rules
    from pubdoctor.rules import all_rules
    from pubdoctor.sources.provenance import collect

    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/demo", "release.yml", "pypi"))
    provenance_index.index("testpypi")
    test = workflow(environment="testpypi", url="https://test.pypi.org/legacy/")
    root = repo(tmp_path, {"release.yml": workflow(), "test.yml": test})
    context = build_context(str(root), timeout=30.0)
    context.provide("provenance", collect(context, bases={"pypi": provenance_index.simple("pypi"),
                                                         "testpypi": provenance_index.simple("testpypi")}))
    report = run_rules(context, [r for r in all_rules() if r.code.startswith("PD2")])
    [finding] = report.findings
    assert finding.code == "PD212" and finding.location.path == ".github/workflows/test.yml"
    assert "`demo` is not on TestPyPI (read from" in finding.message
    assert "it exists on PyPI (read from" in finding.message and "TestPyPI shares none of them" in finding.message
    assert finding.fix.startswith("add a pending publisher at https://test.pypi.org/manage/account/publishing/: "
                                  "PyPI Project Name `demo`, Owner `octo-org`, Repository name `demo`, "
                                  "Workflow name `test.yml`, Environment name `testpypi`")


def test_project_of_another_repository_is_pd213(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo", "3.2.0", ("someone-else/their-demo", "publish.yml", ""))
    root = repo(tmp_path, {"release.yml": workflow()})
    document = as_json(root, provenance_index.simple("pypi"))
    finding = only(document, "PD213")
    assert [f["code"] for f in document["findings"]] == ["PD213"]
    assert finding["severity"] == "warning"
    assert "`someone-else/their-demo`" in finding["message"] and "refused" in finding["message"]
    assert "choose another `[project].name`" in finding["fix"]


def test_gitlab_publisher_is_another_repository(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    index = provenance_index.index("pypi")
    index.add("demo", "1.0.0")
    for item in index.projects["demo"]:
        from provenance_server import provenance_object

        item.provenance = provenance_object(item.filename, "octo-org/demo", ".gitlab-ci.yml", kind="GitLab")
    root = repo(tmp_path, {"release.yml": workflow()})
    finding = only(as_json(root, provenance_index.simple("pypi")), "PD213")
    assert "a GitLab publisher octo-org/demo (.gitlab-ci.yml)" in finding["message"]


def test_fork_with_upstream_remote_is_info(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/demo", "release.yml", "pypi"))
    root = repo(tmp_path, {"release.yml": workflow()}, remote="https://github.com/me/demo.git")
    git(root, "remote", "add", "upstream", "https://github.com/octo-org/demo.git")
    finding = only(as_json(root, provenance_index.simple("pypi")), "PD209")
    assert finding["severity"] == "info" and "`upstream`" in finding["message"]


def test_tutorial_before_its_first_release(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    """The seed tutorial: `release.yml` uploads to TestPyPI, where the project is not yet."""
    provenance_index.index("testpypi")
    tutorial = """
        name: Release
        on:
          push:
            branches: [main]
        permissions:
          contents: read
        jobs:
          publish:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: actions/download-artifact@v4
                with:
                  name: dist
                  path: dist/
              - uses: pypa/gh-action-pypi-publish@release/v1
                with:
                  repository-url: https://test.pypi.org/legacy/
        """
    root = repo(tmp_path, {"release.yml": tutorial}, name="my-package")
    result = run(root, provenance_index.simple("testpypi"))
    assert result.exit_code == 0, result.output
    assert "PD212 [pending-publisher-needed] `my-package` is not on TestPyPI (read from" in result.output
    assert ("fix: add a pending publisher at https://test.pypi.org/manage/account/publishing/: PyPI Project "
            "Name `my-package`, Owner `octo-org`, Repository name `demo`, Workflow name `release.yml`, "
            "Environment name `(none)`") in result.output


# -- a declaration and the provenance ---------------------------------------------------------------

DECLARED = """
[tool.pubdoctor.publisher]
owner = "octo-org"
repository = "demo"
workflow = "{workflow}"
environment = "pypi"
"""


def test_declaration_and_provenance_disagree_is_pd214(tmp_path: Path,
                                                      provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/demo", "release.yml", "pypi"))
    root = repo(tmp_path, {"publish.yml": workflow()}, extra=DECLARED.format(workflow="publish.yml"))
    document = as_json(root, provenance_index.simple("pypi"))
    assert [f["code"] for f in document["findings"]] == ["PD214"]  # PD208 defers to the declaration
    finding = document["findings"][0]
    assert finding["severity"] == "info"
    assert finding["location"]["path"] == "pyproject.toml" and finding["location"]["line"] == 8
    assert "(workflow)" in finding["message"] and "both may be registered" in finding["message"]


def test_stale_declaration_is_pd202_and_pd214(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/demo", "publish.yml", "pypi"))
    root = repo(tmp_path, {"publish.yml": workflow()}, extra=DECLARED.format(workflow="release.yml"))
    codes = [f["code"] for f in as_json(root, provenance_index.simple("pypi"))["findings"]]
    assert codes == ["PD202", "PD214"]
    finding = only(as_json(root, provenance_index.simple("pypi")), "PD214")
    assert "may be out of date" in finding["message"]


def test_declaration_agreeing_with_provenance_is_silent(tmp_path: Path,
                                                        provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/demo", "release.yml", "pypi"))
    root = repo(tmp_path, {"release.yml": workflow()}, extra=DECLARED.format(workflow="release.yml"))
    report = as_json(root, provenance_index.simple("pypi"))
    assert (report["findings"], report["notes"]) == ([], [])


# -- offline and the one note ---------------------------------------------------------------------

def test_offline_run_says_the_publisher_was_not_checked(tmp_path: Path) -> None:
    root = repo(tmp_path, {"release.yml": workflow()})
    result = run_cli("check", str(root), "--offline", "--no-color", "--select", "PD2")
    assert result.exit_code == 0
    [note] = [x for x in result.output.splitlines() if x.startswith("note:")]
    assert "the trusted publisher was not checked" in note and "--offline" in note


def test_offline_run_with_a_declaration_has_no_note(tmp_path: Path) -> None:
    root = repo(tmp_path, {"release.yml": workflow()}, extra=DECLARED.format(workflow="release.yml"))
    result = run_cli("check", str(root), "--offline", "--no-color", "--select", "PD2")
    assert result.exit_code == 0 and "note:" not in result.output, result.output


def test_environment_expression_is_info(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/demo", "release.yml", "pypi"))
    root = repo(tmp_path, {"release.yml": workflow(environment="${{ inputs.target }}")})
    finding = only(as_json(root, provenance_index.simple("pypi")), "PD210")
    assert finding["severity"] == "info" and "`${{ inputs.target }}`" in finding["message"]


def test_workflow_compared_exactly(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    """`Release.yaml` is not `release.yml` for the index."""
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/demo", "release.yml", "pypi"))
    root = repo(tmp_path, {"Release.yml": workflow()})
    finding = only(as_json(root, provenance_index.simple("pypi")), "PD208")
    assert "compares the file name exactly" in finding["message"]


def test_second_publishing_workflow_is_info(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    """`release.yml` uploaded the last release and still uploads; `nightly.yml` uploads too."""
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/demo", "release.yml", "pypi"))
    root = repo(tmp_path, {"release.yml": workflow(), "nightly.yml": workflow()})
    finding = only(as_json(root, provenance_index.simple("pypi")), "PD208")
    assert finding["severity"] == "info"
    assert finding["location"]["path"] == ".github/workflows/nightly.yml"
    assert "each file needs a publisher of its own" in finding["message"]


def test_project_is_asked_by_its_normalized_name(tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo-pkg", "1.0.0", ("octo-org/demo", "release.yml", "pypi"))
    root = repo(tmp_path, {"publish.yml": workflow()}, name="Demo_Pkg")
    finding = only(as_json(root, provenance_index.simple("pypi")), "PD208")
    assert "the last release of `Demo_Pkg` (1.0.0)" in finding["message"]
    assert provenance_index.state.requests == [
        "/pypi/simple/demo-pkg/", "/pypi/integrity/demo-pkg/1.0.0/demo_pkg-1.0.0.tar.gz/provenance"]


def test_one_index_unreadable_is_a_note_and_the_other_is_compared(
        tmp_path: Path, provenance_index: ProvenanceIndex) -> None:
    provenance_index.index("pypi").add("demo", "1.0.0", ("octo-org/demo", "release.yml", "pypi"))
    provenance_index.index("staging").add("demo", "1.0.0", ("octo-org/demo", "staging.yml", ""))
    provenance_index.force("/staging/integrity/demo/1.0.0/demo-1.0.0.tar.gz/provenance",
                           Answer(status=500, body=b"oops", content_type="text/plain"))
    second = workflow(environment=None, url=provenance_index.upload_url("staging"))
    root = repo(tmp_path, {"publish.yml": workflow(), "staging.yml": second})
    document = as_json(root, provenance_index.simple("pypi"))
    assert [f["code"] for f in document["findings"]] == ["PD208"]
    [note] = document["notes"]
    assert "/staging/integrity/" in note["message"] and "HTTP 500" in note["message"]
    assert note["message"].endswith("so the publisher of the last release of `demo` there is unknown")
