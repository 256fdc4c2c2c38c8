"""``pubdoctor diagnose LOG`` / ``--run URL|RUN_ID``: name the cause of a failed publish job,
show the lines, give the fix."""

from __future__ import annotations

import os
from pathlib import Path

import click

from pubdoctor.commands.options import use_color
from pubdoctor.errors import InputError


@click.command()
@click.argument("log", type=str, required=False)
@click.option("--run", "run", metavar="URL|RUN_ID", default=None,
              help="Fetch the logs of the failed jobs of this workflow run from GitHub (token: GH_TOKEN "
                   "or GITHUB_TOKEN; API: GITHUB_API_URL; a bare RUN_ID is of GITHUB_REPOSITORY or "
                   "the git remote `origin`).")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True, help="Output format.")
@click.option("--summary", is_flag=True,
              help="Also append the diagnosis, as Markdown, to the file named by $GITHUB_STEP_SUMMARY "
                   "(the run's summary page).")
@click.option("--repo", type=click.Path(file_okay=False, dir_okay=True), default=None,
              help="Cross-check with this repository [default: the current directory, when it "
                   "looks like one].")
@click.option("--no-repo", is_flag=True, help="Do not cross-check with a repository.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True, max=600), default=30.0,
              show_default=True, help="Seconds to wait for GitHub's API (with --run).")
@click.option("--no-color", is_flag=True, help="No colours (NO_COLOR is honoured too).")
def diagnose(log: str | None, run: str | None, output_format: str, summary: bool, repo: str | None,
             no_repo: bool, timeout: float, no_color: bool) -> None:
    """Explain the failed publish job whose log is LOG, or the failed jobs of a run (--run).

    LOG is the job's log as text (with or without GitHub's timestamps and colours, or copied
    from the web page), the .zip from "Download log archive", or - for stdin. pubdoctor names
    the cause, shows the lines of the log that show it (secrets masked) and the fix, and checks
    whether the repository as it is now still has the problem.

    Exit status: 0 the log was read and diagnosed (the cause may be `unknown`), 2 the log,
    the run or the repository could not be read.
    """
    from pubdoctor.diagnose import diagnose as run_log
    from pubdoctor.diagnose.crosscheck import crosscheck, looks_like_repository
    from pubdoctor.diagnose.render import render_json, render_markdown, render_text

    if (log is None) == (run is None):
        raise click.UsageError("give either LOG or --run URL|RUN_ID")
    summary_file = None
    if summary:
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY", "").strip()
        if not summary_file:
            raise InputError("--summary: GITHUB_STEP_SUMMARY is not set (GitHub sets it in every step "
                             "of a job)")
    root: Path | None = None
    run_json: dict[str, object] | None = None
    shown = "."
    if repo is not None and not no_repo:
        root = Path(repo)
        if not root.is_dir():
            raise InputError("no such directory (given with --repo)", repo)
        shown = repo
    elif not no_repo and looks_like_repository(Path(".")):
        root = Path(".")
    if run is not None:
        from pubdoctor.diagnose import RunLogReader, diagnose_run
        from pubdoctor.diagnose.github_run import environment, parse_run, token_from

        env = environment()
        ref = parse_run(run, env, root)
        reader = RunLogReader(ref, token_from(env), timeout)
        diagnosis = diagnose_run(reader)
        source = ref.shown
        run_json = {"repository": f"{ref.owner}/{ref.repo}", "run_id": ref.run_id, "job_id": ref.job_id,
                    "attempt": ref.attempt, "jobs": reader.result.jobs}
    else:
        assert log is not None
        diagnosis = run_log(log)
        source = "<stdin>" if log == "-" else log
    check = crosscheck(diagnosis, root, shown) if root is not None else None
    if output_format == "json":
        click.echo(render_json(diagnosis, check, source, run_json))
    elif output_format == "markdown":
        click.echo(render_markdown(diagnosis, check, source), nl=False)
    else:
        click.echo(render_text(diagnosis, check, use_color(no_color), source))
    if summary_file:
        try:
            with open(summary_file, "a", encoding="utf-8") as handle:
                handle.write(render_markdown(diagnosis, check, source) + "\n")
        except OSError as exc:
            raise InputError(f"cannot append to the step summary: {exc.strerror or exc}", summary_file) from None
