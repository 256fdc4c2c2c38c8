"""``[tool.pubdoctor]``: every setting, its type, and the one-line error for a wrong one."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import check
from pubdoctor.errors import InputError
from pubdoctor.findings import Severity
from pubdoctor.settings import Publisher, Settings, from_table, publishers_from_table

KNOWN = ("select, ignore, severity, fail-on, offline, timeout, index-url, remote, per-file-ignores, publisher, "
         "commit-types")


def test_every_setting_is_read_into_its_field() -> None:
    values = from_table({"select": ["PD1", "PD201"], "ignore": ["PD102"], "severity": "WARNING",
                         "fail-on": "warning", "offline": True, "timeout": 2, "index-url":
                         "https://test.pypi.org/simple/", "remote": "upstream",
                         "commit-types": ["feat", "fix"]})
    assert values == {"select": ["PD1", "PD201"], "ignore": ["PD102"], "severity": Severity.WARNING,
                      "fail_on": Severity.WARNING, "offline": True, "timeout": 2.0,
                      "index_url": "https://test.pypi.org/simple/", "remote": "upstream"}
    settings = Settings(**values)
    assert settings.timeout == 2.0 and isinstance(settings.timeout, float)
    assert settings.selects("PD101", "missing-id-token")
    assert not settings.selects("PD102", "id-token-too-broad")
    assert not settings.selects("PD301", "non-conventional-commits")


def test_settings_from_the_command_line_take_names_of_severities() -> None:
    settings = Settings(root="x", severity="warning", fail_on="error")  # type: ignore[arg-type]
    assert settings.severity is Severity.WARNING and settings.fail_on is Severity.ERROR
    assert settings.root == Path("x")
    with pytest.raises(ValueError):
        Settings(severity="fatal")  # type: ignore[arg-type]


@pytest.mark.parametrize("key,value,message", [
    ("select", "PD1", "select: must be an array of rule codes, names or prefixes (strings), not a string"),
    ("ignore", [1], "ignore: must be an array of rule codes, names or prefixes (strings), not an "
     "array with something other than a string"),
    ("severity", "fatal", "severity: must be one of 'info', 'warning', 'error' (a string), not 'fatal'"),
    ("fail-on", 2, "fail-on: must be one of 'info', 'warning', 'error' (a string), not 2"),
    ("fail-on", ["error"], "fail-on: must be one of 'info', 'warning', 'error' (a string), not an array"),
    ("offline", "yes", "offline: must be true or false, not a string"),
    ("timeout", "5", "timeout: must be a number of seconds, not a string"),
    ("timeout", True, "timeout: must be a number of seconds, not a boolean"),
    ("timeout", 0, "timeout: must be more than 0 and at most 600 seconds, not 0"),
    ("timeout", 601.5, "timeout: must be more than 0 and at most 600 seconds, not 601.5"),
    ("timeout", float("nan"), "timeout: must be more than 0 and at most 600 seconds, not nan"),
    ("timeout", float("inf"), "timeout: must be more than 0 and at most 600 seconds, not inf"),
    ("index-url", 3, "index-url: must be a string, not an integer"),
    ("index-url", "http://example.org/simple/", "index-url: 'http://example.org/simple/': only "
     "https:// URLs are accepted (http:// only to 127.0.0.1, ::1 or localhost)"),
    ("index-url", "http://[::1", "index-url: 'http://[::1': only https:// URLs are accepted "
     "(http:// only to 127.0.0.1, ::1 or localhost)"),
    ("remote", 1.5, "remote: must be a string, not a float"),
    ("bogus", 1, f"unknown setting 'bogus' (known: {KNOWN})"),
    ("selct", ["PD1"], f"unknown setting 'selct' (did you mean 'select'?) (known: {KNOWN})"),
    ("ignor", ["PD1"], f"unknown setting 'ignor' (did you mean 'ignore'?) (known: {KNOWN})"),
    ("publishers", [{"owner": "o"}], "unknown setting 'publishers' (did you mean 'publisher'?) "
                                     f"(known: {KNOWN})"),
    ("extra", {"a": 1}, f"unknown setting 'extra' (known: {KNOWN})"),
    ("commit-types", "feat", 'commit-types: must be an array of commit types (strings such as '
                             '"feat"), not a string'),
    ("commit-types", ["feat", 1], 'commit-types: must be an array of commit types (strings such '
                                  'as "feat"), not an array with something other than a '
                                  'non-empty string'),
])
def test_a_wrong_setting_is_one_line_naming_it(key: str, value: object, message: str) -> None:
    with pytest.raises(InputError) as raised:
        from_table({key: value})
    assert str(raised.value) == f"pyproject.toml: [tool.pubdoctor]: {message}"


def test_a_publisher_table_and_a_list_of_them() -> None:
    one = {"owner": "octo-org", "repository": "demo", "workflow": "release.yml"}
    assert publishers_from_table(one) == [Publisher(owner="octo-org", repository="demo",
                                                    workflow="release.yml")]
    both = publishers_from_table([one, {**one, "environment": "pypi", "index": "testpypi",
                                        "project": "demo"}])
    assert [(p.index, p.environment, p.project) for p in both] == [
        ("https://pypi.org", None, None), ("testpypi", "pypi", "demo")]
    assert publishers_from_table(None) == []


@pytest.mark.parametrize("table,message", [
    ({"owner": "o", "repository": "r"}, "[tool.pubdoctor.publisher]: workflow: missing (owner, "
                                        "repository and workflow are required)"),
    ({"owner": "o", "repository": "r", "workflow": "w.yml", "env": "pypi"},
     "[tool.pubdoctor.publisher]: unknown key 'env' (known: owner, repository, workflow, "
     "environment, index, project)"),
    ({"owner": "o", "repository": "r", "workflow": 1}, "[tool.pubdoctor.publisher]: workflow: "
                                                       "must be a string, not an integer"),
    ("o/r/w.yml", "[tool.pubdoctor.publisher] must be a table (or an array of tables), not a "
                  "string"),
])
def test_a_wrong_publisher_is_one_line_naming_it(table: object, message: str) -> None:
    with pytest.raises(InputError) as raised:
        publishers_from_table(table)
    assert str(raised.value) == f"pyproject.toml: {message}"


def test_the_second_of_two_publishers_is_named_by_its_number() -> None:
    good = {"owner": "o", "repository": "r", "workflow": "w.yml"}
    with pytest.raises(InputError, match=r"\[tool.pubdoctor.publisher\] #2: owner: missing"):
        publishers_from_table([good, {"repository": "r", "workflow": "w.yml"}])


def test_a_wrong_setting_stops_the_check_with_exit_2(write_repo) -> None:  # type: ignore[no-untyped-def]
    root = write_repo({"pyproject.toml": '[project]\nname = "a"\n[tool.pubdoctor]\nfail-on = "fatal"\n'})
    result = check(root)
    assert result.exit_code == 2
    assert result.stderr.strip() == ("pubdoctor: error: pyproject.toml: [tool.pubdoctor]: fail-on: "
                                     "must be one of 'info', 'warning', 'error' (a string), not "
                                     "'fatal'")


def test_settings_in_pyproject_apply_and_the_command_line_wins(write_repo) -> None:  # type: ignore[no-untyped-def]
    workflow = ("on: push\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n"
                "      - uses: pypa/gh-action-pypi-publish@release/v1\n")
    files = {".github/workflows/release.yml": workflow,
             "pyproject.toml": '[project]\nname = "a"\n[tool.pubdoctor]\nignore = ["PD101"]\n'}
    root = write_repo(files)
    assert "PD101" not in check(root).stdout
    files["pyproject.toml"] = '[project]\nname = "a"\n[tool.pubdoctor]\nselect = ["PD101"]\n'
    root = write_repo(files)
    result = check(root, "--fail-on", "error")
    assert result.exit_code == 1 and "PD101" in result.stdout
    assert check(root, "--ignore", "PD101").exit_code == 0


WORKFLOW = ("on: push\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: pipx run build\n"
            "      - uses: pypa/gh-action-pypi-publish@release/v1\n")


def _with_settings(write_repo, settings: str) -> Path:  # type: ignore[no-untyped-def]
    return write_repo({".github/workflows/release.yml": WORKFLOW,
                       "pyproject.toml": f'[project]\nname = "a"\n[tool.pubdoctor]\n{settings}\n'})


@pytest.mark.parametrize("settings,key", [
    ('selct = ["PD1"]', "selct"),
    ('ignor = ["PD101"]', "ignor"),
    ('[[tool.pubdoctor.publishers]]\nowner = "o"', "publishers"),
    ('[tool.pubdoctor.select]\nPD1 = true', None),
])
def test_an_unknown_array_or_table_stops_the_check(write_repo, settings: str,  # type: ignore[no-untyped-def]
                                                    key: str | None) -> None:
    result = check(_with_settings(write_repo, settings))
    assert result.exit_code == 2
    assert result.stderr.startswith("pubdoctor: error: pyproject.toml: [tool.pubdoctor]: ")
    assert (f"unknown setting {key!r}" if key else "select: must be an array") in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_select_on_the_command_line_runs_a_rule_the_file_ignores(write_repo) -> None:  # type: ignore[no-untyped-def]
    root = _with_settings(write_repo, 'ignore = ["PD105"]')
    assert "PD105" not in check(root).stdout
    result = check(root, "--select", "PD105")
    assert "PD105" in result.stdout and "All checks passed!" not in result.stdout
    # a prefix is less specific than the file's code: the file's ignore stays
    assert "PD105" not in check(root, "--select", "PD1").stdout
    # --ignore adds to the file's ignore, and nothing beats it
    root = _with_settings(write_repo, 'ignore = ["PD105"]')
    out = check(root, "--ignore", "PD101").stdout
    assert "PD101" not in out and "PD105" not in out
    assert "PD105" not in check(root, "--select", "PD105", "--ignore", "PD105").stdout


def test_specificity_decides_between_file_ignore_and_cli_select() -> None:
    settings = Settings(select=["PD10"], explicit=["PD10"], ignore=["PD1"])
    assert settings.selects("PD105", "publish-in-build-job")
    settings = Settings(select=["publish-in-build-job"], explicit=["publish-in-build-job"],
                        ignore=["PD105"])
    assert settings.selects("PD105", "publish-in-build-job")
    assert settings.explicitly_selected("PD105", "publish-in-build-job")
    assert not Settings(select=["PD1"], explicit=["PD1"]).explicitly_selected("PD105", "x")


def test_online_undoes_offline_in_the_file(write_repo) -> None:  # type: ignore[no-untyped-def]
    from pubdoctor.runcontext import build_context

    root = _with_settings(write_repo, "offline = true")
    assert build_context(str(root)).settings.offline is True
    assert build_context(str(root), offline=False).settings.offline is False
    from conftest import run_cli

    # --online is accepted and wins over the file (the index is not reached: no project name
    # with a version to look up, so nothing contacts the network)
    result = run_cli("check", str(root), "--online", "--show-settings")
    assert result.exit_code == 0, result.output
    assert "offline = false" in result.output
