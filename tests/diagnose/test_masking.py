"""No secret reaches the output: generated tokens of every kind are masked, in plain lines, in
evidence and in JSON, while the words that explain a failure stay readable."""

from __future__ import annotations

import json
import string

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from pubdoctor.diagnose.masking import mask

B64URL = string.ascii_letters + string.digits + "-_"
ALNUM = string.ascii_letters + string.digits


def text_of(alphabet: str, low: int, high: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=low, max_size=high)


pypi_tokens = text_of(B64URL, 20, 200).map(lambda s: "pypi-" + s)
github_tokens = st.tuples(st.sampled_from(["ghp", "gho", "ghs", "ghu", "ghr"]), text_of(ALNUM, 36, 36)).map(
    lambda t: f"{t[0]}_{t[1]}")
fine_grained = text_of(ALNUM + "_", 60, 82).map(lambda s: "github_pat_" + s)
jwts = st.tuples(text_of(B64URL, 10, 60), text_of(B64URL, 10, 300), text_of(B64URL, 0, 86)).map(
    lambda t: f"eyJ{t[0]}.eyJ{t[1]}.{t[2]}")
passwords = text_of(string.ascii_letters + string.digits + "!#$%()*+-./<>?@[]^_{|}~", 6, 40).filter(
    lambda s: not s.startswith("*"))  # GitHub's own mask (***) is left as it is
secret_values = st.one_of(pypi_tokens, github_tokens, fine_grained, jwts)

CONTEXTS = [
    "{}",
    "token: {}",
    "twine upload -u __token__ -p {} dist/*",
    "  TWINE_PASSWORD: {}",
    "export UV_PUBLISH_TOKEN={}",
    "Authorization: Bearer {}",
    '{{"Authorization": "token {}"}}',
    "curl -H 'Authorization: Basic {}' https://upload.pypi.org/legacy/",
    "https://__token__:{}@upload.pypi.org/legacy/",
    "::add-mask::{}",
    "password={}",
    "uv publish --token {}",
    "ERROR    {} is not valid",
]


@settings(max_examples=300, deadline=None)
@given(secret=secret_values, context=st.sampled_from(CONTEXTS), before=st.text(max_size=20),
       after=st.sampled_from(["", " ", "\n", ". ", "'", '"', ")"]))
def test_no_generated_token_survives_masking(secret: str, context: str, before: str, after: str) -> None:
    line = before + " " + context.format(secret) + after
    assert secret not in mask(line)


@settings(max_examples=200, deadline=None)
@given(password=passwords, context=st.sampled_from([
    "password={}", "password: {}", "--password {}", "--password={}", "TWINE_PASSWORD={}",
    "PDM_PUBLISH_PASSWORD: {}", "twine upload -u alice -p {} dist/*", "Authorization: Basic {}",
    "https://alice:{}@upload.pypi.org/legacy/",
]))
def test_no_password_survives_masking(password: str, context: str) -> None:
    if context.startswith("https://"):
        assume(not any(c in password for c in "/?#[]@"))  # percent-encoded in a real URL
    assume(password not in context.format("") + "****")  # a value that is a word of the line itself
    assert password not in mask(context.format(password))


def test_what_explains_a_failure_is_kept() -> None:
    for line in [
        "Make sure that your workflow has `id-token: write` configured",
        "the ACTIONS_ID_TOKEN_REQUEST_TOKEN environment variable was unset",
        "Caused by: Failed to obtain OIDC token: is the `id-token: write` permission missing?",
        "uses: pypa/gh-action-pypi-publish@release/v1",
        "due to __token__ username with no supplied password field",
        "password: ${{ secrets.PYPI_API_TOKEN }}",
        "TWINE_PASSWORD: ***",
        "mkdir -p dist",
        "Invalid API Token: token is expired",
    ]:
        assert mask(line) == line


def test_secrets_in_a_log_never_reach_the_output(tmp_path) -> None:
    token = "pypi-AgEIcHlwaS5vcmcCJGQ4ZDk1ZmM0LTg4ZjMtNGYxNC1iODE0LWU0ZjU2YmQ0N2U1ZgACKlszLCJm"
    jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjM4In0.eyJzdWIiOiJyZXBvOm9jdG8vc2FtcGxlIn0.c2lnbmF0dXJl"
    log = tmp_path / "job.log"
    log.write_text(
        f"Run twine upload -u __token__ -p {token} dist/*\n"
        f"DEBUG token={jwt}\n"
        "Authorization: Basic X190b2tlbl9fOnB5cGktc2VjcmV0\n"
        "ERROR    HTTPError: 403 Forbidden from https://upload.pypi.org/legacy/\n"
        f"         Invalid API Token: invalid macaroon for {token}\n", encoding="utf-8")
    for output_format in ("text", "json"):
        result = run_cli("diagnose", str(log), "--no-repo", "--format", output_format)
        assert result.exit_code == 0
        assert token not in result.output and token[5:30] not in result.output
        assert jwt not in result.output and "X190b2tlbl9f" not in result.output
    found = json.loads(run_cli("diagnose", str(log), "--no-repo", "--format", "json").output)
    assert found["cause"] == "bad-token"
    assert "pypi-****" in found["evidence"][-1]["text"]


def test_unknown_error_lines_are_masked_too(tmp_path) -> None:
    log = tmp_path / "job.log"
    log.write_text("Error: login failed for ghp_" + "a1B2" * 9 + "\n", encoding="utf-8")
    result = run_cli("diagnose", str(log), "--no-repo")
    assert "ghp_****" in result.output and "a1B2a1B2" not in result.output
