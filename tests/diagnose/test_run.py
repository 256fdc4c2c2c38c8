"""``pubdoctor diagnose --run``: a run's failed jobs fetched from GitHub's REST API (a local
server answering as GitHub documents it), diagnosed, and put on the run's summary page."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from conftest import git, run_cli
from pubdoctor.diagnose.github_run import parse_run
from pubdoctor.errors import InputError

from .conftest import LOGS
from .github_server import GitHub, Job, github_fixture  # noqa: F401 - the fixture

TOKEN = "ghs_" + "A1b2C3d4E5f6G7h8I9j0" * 2
RUN_URL = "https://github.com/octo-org/sampleproject/actions/runs/42"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, github: GitHub, tmp_path: Path) -> Path:
    """A job's environment pointing at the local API; the step summary file is returned."""
    for name in ("GH_TOKEN", "GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GITHUB_API_URL", github.api)
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    summary = tmp_path / "step_summary.md"
    summary.write_text("## Earlier content\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.chdir(tmp_path)
    return summary


def publish_run(github: GitHub) -> None:
    github.runs[42] = [
        Job(101, "build", "success", log="Run python -m build\nSuccessfully built sampleproject-4.0.0.tar.gz\n"),
        Job(102, "publish", "failure", log=(LOGS / "publisher-mismatch__action-v1.12-environment.log")
            .read_text(encoding="utf-8")),
        Job(103, "github-release", "skipped", log=None),
    ]


def test_run_url_is_fetched_and_diagnosed(env: Path, github: GitHub) -> None:
    publish_run(github)
    result = run_cli("diagnose", "--run", RUN_URL, "--no-repo", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["cause"] == "publisher-mismatch"
    assert found["log"] == "run 42 of octo-org/sampleproject"
    assert found["run"] == {"repository": "octo-org/sampleproject", "run_id": 42, "job_id": None,
                            "attempt": None, "jobs": ["publish"]}
    assert {e.get("file") for e in found["evidence"]} == {"publish"}
    assert found["claims"]["publisher"]["workflow"] == "release.yml"
    # the jobs, then the failed job's log only; the token went to the API, never to the download host
    paths = [r["path"] for r in github.api_requests]
    assert paths == ["/repos/octo-org/sampleproject/actions/runs/42/jobs?per_page=100&filter=latest",
                     "/repos/octo-org/sampleproject/actions/jobs/102/logs"]
    assert all(r["headers"]["authorization"] == f"Bearer {TOKEN}" for r in github.api_requests)
    assert all(r["headers"]["x-github-api-version"] == "2022-11-28" for r in github.api_requests)
    assert [r["path"] for r in github.download_requests] == ["/blob/102.txt?sig=s3cr3tsig"]
    assert "authorization" not in github.download_requests[0]["headers"]
    assert TOKEN not in result.output


def test_bare_run_id_takes_the_repository_from_github_repository(env: Path, github: GitHub,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    publish_run(github)
    monkeypatch.setenv("GITHUB_REPOSITORY", "octo-org/sampleproject")
    result = run_cli("diagnose", "--run", "42", "--no-repo", "--no-color")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("cause: publisher-mismatch")
    assert "publish:" in result.output  # evidence lines name the job


def test_bare_run_id_takes_the_repository_from_the_git_remote(env: Path, github: GitHub, tmp_path: Path) -> None:
    publish_run(github)
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    git(checkout, "init", "-q")
    git(checkout, "remote", "add", "origin", "git@github.com:octo-org/sampleproject.git")
    result = run_cli("diagnose", "--run", "42", "--repo", str(checkout), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["cause"] == "publisher-mismatch"


def test_bare_run_id_without_a_repository_is_one_line(env: Path, tmp_path: Path) -> None:
    result = run_cli("diagnose", "--run", "42", "--no-repo")
    assert result.exit_code == 2
    assert "GITHUB_REPOSITORY" in result.output and "Traceback" not in result.output


def test_without_a_token_github_refuses_the_log(env: Path, github: GitHub, monkeypatch: pytest.MonkeyPatch) -> None:
    publish_run(github)
    monkeypatch.delenv("GH_TOKEN")
    result = run_cli("diagnose", "--run", RUN_URL, "--no-repo")
    assert result.exit_code == 2
    assert "HTTP 403" in result.output and "GH_TOKEN or GITHUB_TOKEN" in result.output
    assert all("authorization" not in r["headers"] for r in github.api_requests)


def test_github_token_is_used_when_gh_token_is_not_set(env: Path, github: GitHub,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    publish_run(github)
    monkeypatch.delenv("GH_TOKEN")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    assert run_cli("diagnose", "--run", RUN_URL, "--no-repo").exit_code == 0
    assert github.api_requests[-1]["headers"]["authorization"] == f"Bearer {TOKEN}"


def test_an_expired_log_is_one_line(env: Path, github: GitHub) -> None:
    github.runs[42] = [Job(102, "publish", "failure", log=None)]
    result = run_cli("diagnose", "--run", RUN_URL, "--no-repo")
    assert result.exit_code == 2
    assert "no longer available" in result.output and "90 days" in result.output


def test_an_expired_log_is_a_note_when_another_failed_job_can_be_read(env: Path, github: GitHub) -> None:
    github.runs[42] = [Job(101, "publish-testpypi", "failure", log=None),
                       Job(102, "publish", "failure", log=(LOGS / "file-exists__twine7.log").read_text())]
    found = json.loads(run_cli("diagnose", "--run", RUN_URL, "--no-repo", "--format", "json").output)
    assert found["cause"] == "file-exists"
    assert any("`publish-testpypi` is no longer available" in note for note in found["notes"])


def test_a_job_still_running_says_to_diagnose_from_a_later_job(env: Path, github: GitHub) -> None:
    github.runs[42] = [Job(102, "publish", None, log=None, status="in_progress",
                           steps=[{"name": "Publish", "status": "completed", "conclusion": "failure"}])]
    result = run_cli("diagnose", "--run", RUN_URL, "--no-repo")
    assert result.exit_code == 2
    assert "still running" in result.output and "if: failure()" in result.output


def test_a_run_without_failed_jobs(env: Path, github: GitHub) -> None:
    github.runs[42] = [Job(101, "build", "success", log="ok\n")]
    result = run_cli("diagnose", "--run", RUN_URL, "--no-repo")
    assert result.exit_code == 2
    assert "has no failed job (build: success)" in result.output


def test_an_unknown_run(env: Path, github: GitHub) -> None:
    result = run_cli("diagnose", "--run", RUN_URL, "--no-repo")
    assert result.exit_code == 2
    assert "GitHub has no run 42 of octo-org/sampleproject (HTTP 404)" in result.output


def test_an_unreachable_api(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a port bound here but not listening: every connection is refused
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        monkeypatch.setenv("GITHUB_API_URL", f"http://127.0.0.1:{holder.getsockname()[1]}")
        result = run_cli("diagnose", "--run", RUN_URL, "--no-repo")
    assert result.exit_code == 2
    assert "cannot reach the GitHub API" in result.output


def test_a_job_url_diagnoses_that_job(env: Path, github: GitHub) -> None:
    github.runs[42] = [Job(101, "publish-testpypi", "failure", log=(LOGS / "local-version__warehouse-now.log").read_text()),
                       Job(102, "publish", "failure", log=(LOGS / "file-exists__twine7.log").read_text())]
    result = run_cli("diagnose", "--run", RUN_URL + "/job/102", "--no-repo", "--format", "json")
    assert json.loads(result.output)["cause"] == "file-exists"
    result = run_cli("diagnose", "--run", RUN_URL, "--no-repo", "--format", "json")
    assert json.loads(result.output)["cause"] == "local-version"  # the first failed job's failure


def test_run_and_log_together_or_neither_is_a_usage_error(env: Path) -> None:
    assert run_cli("diagnose", "--no-repo").exit_code == 2
    assert run_cli("diagnose", str(LOGS / "file-exists__uv.log"), "--run", "42", "--no-repo").exit_code == 2


@pytest.mark.parametrize(("spec", "expected"), [
    (RUN_URL, ("octo-org", "sampleproject", 42, None, None)),
    (RUN_URL + "/job/7", ("octo-org", "sampleproject", 42, 7, None)),
    (RUN_URL + "/attempts/2", ("octo-org", "sampleproject", 42, None, 2)),
    (RUN_URL + "?pr=3#summary", ("octo-org", "sampleproject", 42, None, None)),
])
def test_run_urls(spec: str, expected: tuple) -> None:
    ref = parse_run(spec, {}, None)
    assert (ref.owner, ref.repo, ref.run_id, ref.job_id, ref.attempt) == expected
    assert ref.api == "https://api.github.com"


def test_run_url_of_an_enterprise_host_and_a_refused_api_url() -> None:
    assert parse_run("https://ghe.example.com/o/r/actions/runs/5", {}, None).api == "https://ghe.example.com/api/v3"
    with pytest.raises(InputError, match="GITHUB_API_URL"):
        parse_run(RUN_URL, {"GITHUB_API_URL": "http://api.example.com"}, None)
    with pytest.raises(InputError, match="expected a run URL"):
        parse_run("https://github.com/o/r/pull/3", {}, None)


def test_summary_appends_markdown_to_the_step_summary(env: Path, github: GitHub) -> None:
    publish_run(github)
    result = run_cli("diagnose", "--run", RUN_URL, "--no-repo", "--summary", "--no-color")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("cause: publisher-mismatch")
    written = env.read_text(encoding="utf-8")
    assert written.startswith("## Earlier content\n### pubdoctor diagnose: `publisher-mismatch`\n")
    assert "**Evidence** (run 42 of octo-org/sampleproject):" in written
    assert "| workflow name | `release.yml` |" in written
    assert "**Fix:** open the project's publishing settings" in written
    assert TOKEN not in written


def test_markdown_format_masks_secrets_and_keeps_fences_closed(env: Path, write_log) -> None:
    log = write_log("Run twine upload dist/*\n"
                    "TWINE_PASSWORD=pypi-AgEIcHlwaS5vcmcCJGQ2ZjM0NTY3LTg5YWItNGNkZS1hYmNkLWVmMDEyMzQ1Njc4OQ\n"
                    "```` a log line with backticks\n"
                    "ERROR    HTTPError: 400 Bad Request from https://upload.pypi.org/legacy/\n"
                    "         File already exists ('demo-1.0.tar.gz', with blake2_256 hash '00ff'). See "
                    "https://pypi.org/help/#file-name-reuse for more information.\n")
    result = run_cli("diagnose", str(log), "--no-repo", "--format", "markdown")
    assert result.exit_code == 0
    assert result.output.startswith("### pubdoctor diagnose: `file-exists`\n")
    assert "pypi-AgEI" not in result.output
    fences = [line for line in result.output.splitlines() if line.startswith("```")]
    assert fences and all(f.rstrip("text") == fences[0].rstrip("text") for f in fences)


def test_summary_without_github_step_summary_is_one_line(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY")
    result = run_cli("diagnose", str(LOGS / "file-exists__uv.log"), "--no-repo", "--summary")
    assert result.exit_code == 2
    assert "GITHUB_STEP_SUMMARY is not set" in result.output


def test_a_redirect_to_plain_http_is_refused_without_showing_the_signed_url(env: Path, github: GitHub) -> None:
    publish_run(github)
    github.download = "http://downloads.example.com"
    result = run_cli("diagnose", "--run", RUN_URL, "--no-repo")
    assert result.exit_code == 2
    assert "redirected the log of job 102 to a URL that is not https" in result.output
    assert "s3cr3tsig" not in result.output
    assert github.download_requests == []
