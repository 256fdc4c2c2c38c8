"""Nothing from a checked repository or a log drives the reader's terminal.

Job and step names, file names, TOML strings, commit subjects and log lines carrying ESC,
BEL, OSC 8 hyperlinks, C1 controls or bidirectional overrides reach text and GitHub output
escaped (``\\x1b``, visible), JSON and SARIF output as JSON escapes of the same value.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from history_repo import PSR, commit, repo
from pubdoctor.report.terminal import json_printable, printable

#: every raw control character a test plants; none may reach the output raw
RAW = ("\x1b", "\x07", "\x9b", "\x08", "\r", "\u202e", "\x00")

WORKFLOW = """\
name: release
on:
  push:
    tags: ["v*"]
jobs:
  "pub\\e]8;;https://evil.invalid\\e\\\\click\\e]8;;\\e\\\\":
    name: "Publish \\e[2J\\a"
    runs-on: ubuntu-latest
    steps:
      - name: "Upload \\e[31mred\\x9b\\u202e"
        run: twine upload dist/*
"""


def assert_no_raw_control(output: str) -> None:
    leaked = [c for c in RAW if c in output]
    assert not leaked, f"raw control characters {leaked!r} in {output!r}"


def hostile_project(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    workflows = root / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "demo\\u001b]0;title\\u0007"\nversion = "1.0"\n')
    (workflows / "release.yml").write_text(WORKFLOW)
    (workflows / "x\x1b[1mbold\x07.yml").write_text(WORKFLOW)
    return root


@pytest.mark.parametrize("output_format", ["text", "github"])
def test_text_and_github_output_show_controls_escaped(tmp_path: Path, output_format: str) -> None:
    result = run_cli("check", str(hostile_project(tmp_path)), "--offline", "--no-color",
                     "--format", output_format)
    assert result.exit_code == 1, result.output
    assert_no_raw_control(result.output)
    assert "pub\\x1b]8;;https://evil.invalid\\x1b" in result.output  # the job name, visible
    assert "x\\x1b[1mbold\\x07.yml" in result.output  # the file name


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_json_and_sarif_keep_the_value_as_json_escapes(tmp_path: Path, output_format: str) -> None:
    result = run_cli("check", str(hostile_project(tmp_path)), "--offline", "--format", output_format)
    assert result.exit_code == 1, result.output
    assert_no_raw_control(result.output)
    document = json.loads(result.output)
    assert "\\u001b]8;;https://evil.invalid" in result.output
    messages = [f["message"] for f in document["findings"]] if output_format == "json" else [
        r["message"]["text"] for r in document["runs"][0]["results"]]
    assert any("pub\x1b]8;;https://evil.invalid" in m for m in messages)  # the same value


def test_claims_text_and_json(tmp_path: Path) -> None:
    root = hostile_project(tmp_path)
    text = run_cli("claims", str(root), "--no-color")
    assert_no_raw_control(text.output)
    assert "demo\\x1b]0;title\\x07" in text.output  # the TOML string
    as_json = run_cli("claims", str(root), "--format", "json")
    assert_no_raw_control(as_json.output)
    assert json.loads(as_json.output)["project"] == "demo\x1b]0;title\x07"


def test_commit_subject_in_pd301(tmp_path: Path) -> None:
    root = repo(tmp_path / "r", {"pyproject.toml": PSR}, [("feat: first", "v1.0.0")])
    commit(root, "wip \x1b]0;owned\x07\x1bc\x9b2J")
    result = run_cli("check", str(root), "--offline", "--no-color", "--select", "PD301")
    assert result.exit_code == 0, result.output  # a warning
    assert_no_raw_control(result.output)
    assert "wip \\x1b]0;owned\\x07\\x1bc\\x9b2J" in result.output


def test_log_lines_in_diagnose(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    log.write_bytes(
        "Uploading distributions to https://upload.pypi.org/legacy/\n"
        "Uploading sampleproject-1.3.0.tar.gz\n"
        "HTTPError: 400 Client Error: File already exists.\x1bc\x07\x9b2J\b\u202e See "
        "https://pypi.org/help/#file-name-reuse for more information. for url: "
        "https://upload.pypi.org/legacy/\n".encode())
    text = run_cli("diagnose", str(log), "--no-repo", "--no-color")
    assert text.exit_code == 0, text.output
    assert text.output.startswith("cause: file-exists")
    assert_no_raw_control(text.output)
    assert "\\x9b2J\\u202e See" in text.output  # what the reader keeps of the line, escaped
    as_json = run_cli("diagnose", str(log), "--no-repo", "--format", "json")
    assert_no_raw_control(as_json.output)
    evidence = " ".join(e["text"] for e in json.loads(as_json.output)["evidence"])
    assert "\x9b2J" in evidence  # the same value, as JSON escapes


def test_input_error_naming_a_hostile_file(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project\x1b[2J\n")
    result = run_cli("check", str(root), "--offline", "--no-color")
    assert_no_raw_control(result.output)


def test_printable_keeps_text_and_escapes_controls() -> None:
    assert printable("job `build`\n\tnext: é, 東京") == "job `build`\n\tnext: é, 東京"
    assert printable("\x1b[2J\x07\x7f\x85\u2066") == "\\x1b[2J\\x07\\x7f\\x85\\u2066"
    assert json.loads(json_printable(json.dumps("\x9b\u202e", ensure_ascii=False))) == "\x9b\u202e"


def test_the_fast_path_escapes_exactly_what_the_pattern_does() -> None:
    """`printable` skips its pattern for text `str.isprintable` accepts (tab and newline
    aside): over the first 0x3000 code points, alone and inside text, it answers as the
    pattern alone would."""
    import re

    pattern = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
    json_pattern = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
    for code in range(0x3000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        for text in (chr(code), f"a\t{chr(code)}\nb"):
            escaped = pattern.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                                  else f"\\u{ord(m.group()):04x}", text)
            assert printable(text) == escaped, hex(code)
            assert json_printable(text) == json_pattern.sub(
                lambda m: f"\\u{ord(m.group()):04x}", text), hex(code)
