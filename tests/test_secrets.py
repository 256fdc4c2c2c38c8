"""Secrets are never printed: by what the value is, and by what its key is called.

One test per form the attacks used: credentials in an ``index-url`` (check's warnings and
notes), and in ``diagnose`` a token URL-encoded, base64-encoded in ``Authorization: Basic``,
split across two lines by wrapping, in a zip entry's name, or held by a key whose name says
it is secret, in text and JSON output and in notes.
"""

from __future__ import annotations

import base64
import json
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import run_cli
from pubdoctor.diagnose import masking
from pubdoctor.diagnose.masking import mask

mask_lines = getattr(masking, "mask_lines", lambda lines: [mask(x) for x in lines])


TOKEN = "pypi-AgEIcHlwaS5vcmcCJGQ2NjFkYTY3LWI0NDgtNDQ1Ni1hNzQwLTcwZTRjMjM2NjlkOAACKlszLCI5ZTk0ZmFmZC0wN2YwLTQ3NTItOTlmNS1kYjc4ZGRmZmJkNzIiXQAABiC1bYoz1MZp"
SECRET_PART = TOKEN[20:60]
FAILURE = ("HTTPError: 403 Forbidden from https://upload.pypi.org/legacy/\n"
           "Invalid or non-existent authentication information. See https://pypi.org/help/#invalid-auth for more information.\n")


def diagnose_outputs(log: Path) -> list[str]:
    """The text and JSON output of ``diagnose`` on ``log``."""
    outputs = []
    for args in (("--no-color",), ("--format", "json")):
        result = run_cli("diagnose", str(log), "--no-repo", *args)
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    return outputs


def assert_hidden(outputs: list[str], secret: str = SECRET_PART) -> None:
    for output in outputs:
        assert secret not in output, output


# -- check: credentials in an index URL ------------------------------------------------------

@pytest.mark.parametrize("where", ["option", "pyproject"])
def test_index_url_credentials_never_printed(tmp_path: Path, where: str) -> None:
    url = f"http://__token__:{TOKEN}@127.0.0.1:9/simple/"
    root = tmp_path / "repo"
    (root / ".github" / "workflows").mkdir(parents=True)
    pyproject = '[project]\nname = "demo"\nversion = "1.0"\n'
    args: tuple[str, ...] = ("--timeout", "1")
    if where == "pyproject":
        pyproject += f'\n[tool.pubdoctor]\nindex-url = "{url}"\n'
    else:
        args += ("--index-url", url)
    (root / "pyproject.toml").write_text(pyproject)
    for output_format in ("text", "json", "github", "sarif"):
        result = run_cli("check", str(root), "--no-color", "--format", output_format, *args)
        assert SECRET_PART not in result.output
        # the URL may be printed (the index is unreachable), but only with its password masked
        # (SARIF also carries the rule pages, which mention the user `__token__` on its own)
        assert "__token__:" not in result.output or "__token__:****" in result.output


def test_index_url_credentials_in_an_input_error(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1.0"\n')
    result = run_cli("check", str(root), "--index-url", f"ftp://u:{TOKEN}@host/")
    assert result.exit_code == 2
    assert SECRET_PART not in result.output


# -- diagnose: by what the value is -----------------------------------------------------------

def test_url_encoded_token(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    encoded = quote(TOKEN, safe="")
    fully = "".join(f"%{b:02X}" for b in TOKEN.encode())
    log.write_text(f"Run curl -d 'password={encoded}' https://x/?t={fully}\n{FAILURE}"
                   f"debug: body=name%3Ddemo%26token%3D{fully}\n")
    assert mask(fully) != fully and mask(encoded) != encoded
    outputs = diagnose_outputs(log)
    assert_hidden(outputs)
    assert_hidden(outputs, fully[60:180])


def test_base64_in_authorization_basic(tmp_path: Path) -> None:
    basic = base64.b64encode(f"__token__:{TOKEN}".encode()).decode()
    log = tmp_path / "run.log"
    log.write_text(f"send: b'POST /legacy/ HTTP/1.1\\r\\nHost: upload.pypi.org\\r\\n"
                   f"Authorization: Basic {basic}\\r\\n'\n{FAILURE}"
                   f"header: {{'authorization': 'Basic {basic}'}}\nauth=Basic {basic}\n"
                   f"b64 {basic}\n")
    outputs = diagnose_outputs(log)
    assert_hidden(outputs, basic[10:50])
    assert basic not in mask(f"plain {basic} in prose")


def test_token_split_across_two_lines(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    head, tail = f"  TWINE_PASSWORD={TOKEN}"[:70], f"  TWINE_PASSWORD={TOKEN}"[70:]
    short_head, short_tail = f"twine upload -p {TOKEN}"[:24], f"twine upload -p {TOKEN}"[24:]
    log.write_text(f"{FAILURE}{head}\n{tail}\nwarning: {short_head}\n{short_tail}\n"
                   f"ERROR {TOKEN[:40]}\n{TOKEN[40:]}\n")
    assert mask_lines([head, tail]) == [mask(head), "****"]
    assert TOKEN[40:] not in " ".join(mask_lines([f"ERROR {TOKEN[:40]}", TOKEN[40:]]))
    assert TOKEN[24:] not in " ".join(mask_lines(["twine upload -p pypi-AgEIcH", TOKEN[11:]]))
    text = " ".join(mask_lines(["uploading pypi-", "package now"]))
    assert "package now" in text  # a line after a word, not a token, is left alone


def test_token_in_a_zip_entry_name(tmp_path: Path) -> None:
    archive = tmp_path / "logs.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"publish/2_Upload {TOKEN}.txt", FAILURE)
    outputs = diagnose_outputs(archive)
    assert_hidden(outputs)


# -- diagnose: by what the key is called --------------------------------------------------------

SECRET_KEYS = [
    ("token: {}", "s3cr3t-Value-99"),
    ("  api_key: {}", "AbCdEf123456"),
    ("password={}", "hunter2hunter2"),
    ("x-api-key: {}", "k-1234567890abcdef"),
    ("Authorization: Bearer {}", "abcdEFGH12345678"),
    ("curl -H 'Bearer {}'", "abcdEFGH12345678"),
    ("aws_secret_access_key = {}", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("AWS_SECRET_ACCESS_KEY: {}", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("export AWS_ACCESS_KEY_ID={}", "AKIAIOSFODNN7EXAMPLE"),
    ("key id {}", "AKIAIOSFODNN7EXAMPLE"),
    ("POETRY_PYPI_TOKEN_PYPI={}", "s3cr3t-Value-99"),
    ("  POETRY_PYPI_TOKEN_TESTPYPI: {}", "s3cr3t-Value-99"),
    ("poetry config pypi-token.pypi {}", "s3cr3t-Value-99"),
    ("twine_password={}", "s3cr3t-Value-99"),
    ("export pypi_token='{}'", "s3cr3t-Value-99"),
    ('{{"api-key": "{}"}}', "s3cr3t-Value-99"),
    ("client_secret: {}", "s3cr3t-Value-99"),
    ("private_key={}", "s3cr3t-Value-99"),
]


@pytest.mark.parametrize(("line", "value"), SECRET_KEYS)
def test_value_of_a_secret_named_key(line: str, value: str) -> None:
    assert value not in mask(line.format(value))


@pytest.mark.parametrize("prose", [
    "permissions:\n  id-token: write",
    "Error: Invalid API Token: OIDC scoped token is not valid for project 'demo'",
    "the token: expired or revoked",
    "Password: ***",
    "TWINE_PASSWORD: ${{ secrets.PYPI_TOKEN }}",
])
def test_words_that_explain_a_failure_stay(prose: str) -> None:
    assert mask(prose) == prose


def test_secret_keys_in_every_output_and_in_notes(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    lines = [line.format(value) for line, value in SECRET_KEYS]
    log.write_text("Run twine upload dist/*\n" + "\n".join(lines) + "\n" + FAILURE)
    for output in diagnose_outputs(log):
        for _, value in SECRET_KEYS:
            assert value not in output
    document = json.loads(diagnose_outputs(log)[1])
    assert all(value not in note for note in document["notes"] for _, value in SECRET_KEYS)
