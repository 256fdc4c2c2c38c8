"""Masking secrets in everything diagnose prints.

A pasted log can hold what GitHub did not mask: a token echoed by a script before it became a
secret, a ``.pypirc`` printed by a debug step, a JWT dumped by ``--verbose``, a request dumped
with its ``Authorization: Basic`` header, a URL with the token percent-encoded in it. Every
string pubdoctor prints from a log (lines, file names in a log archive, notes) goes through
`mask` first, in every output format. Secrets are found two ways:

- by what the value is: a PyPI, GitHub or AWS key, a JWT, credentials in a URL, and the same
  percent-encoded or base64-encoded (decoded, then masked when the decoded text holds one);
- by what its key is called: ``password``, ``token``, ``secret``, ``api_key``/``x-api-key``,
  ``private_key``, ``credential`` in any case (``TWINE_PASSWORD``, ``twine_password``,
  ``POETRY_PYPI_TOKEN_PYPI``), ``Bearer``/``Basic`` credentials. After ``key=`` any value
  goes, and after ``password:``; after another ``key:``, where prose also puts a colon (``id-token: write``, ``Invalid API
  Token: OIDC scoped token``), only a value that looks generated (a digit or a symbol in it,
  or mixed case).

`mask_lines` masks consecutive lines together: a token wrapped onto the next line loses its
continuation too. The masks keep the kind of secret visible (``pypi-****``) because that is
what a user needs to know.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from typing import Callable
from urllib.parse import unquote

MASK = "****"

#: a value that ``key: value`` masks: generated-looking, not GitHub's own mask nor an expression
_GENERATED = re.compile(r"(?=.*[0-9+/=_!@#$%^&*~.\-])|(?=.*[a-z])(?=.*[A-Z]).{10,}")


def _looks_generated(value: str) -> bool:
    return (len(value) >= 6 and not value.startswith(("***", "${{", MASK))
            and _GENERATED.match(value) is not None)


def _masked_value(match: re.Match[str]) -> str:
    """``key`` + quote + mask, when the value after a ``:`` looks generated (after ``=``, always)."""
    value = match.group("value")
    password = re.search(r"(?i)passw|pwd", match.group("key")) is not None  # never prose
    if match.group("sep") == ":" and not password and not _looks_generated(value):
        return match.group(0)
    if value.startswith(("***", "${{", MASK)):
        return match.group(0)
    return match.group("key") + match.group("quote") + MASK


def _basic_or_bearer(match: re.Match[str]) -> str:
    value = match.group(2)
    if match.group(1).strip().lower() == "token" and len(value) < 20:
        return match.group(0)  # "token exchange-failed": prose; an API token is long
    return match.group(1) + MASK if _looks_generated(value) else match.group(0)


#: the part of a key's name that says its value is secret (any case; ``auth`` alone is too
#: common a word in prose: ``AUTH`` is matched in upper-case environment names only)
_SECRET_WORD = r"(?:password|passwd|pwd|token|secret|api[_-]?key|apikey|private[_-]?key|credential|access[_-]?key[_-]?id)"

_RULES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    # PyPI API tokens: "pypi-" + a base64url macaroon (real ones are 150+ characters).
    (re.compile(r"(?<![A-Za-z0-9_])pypi-[A-Za-z0-9_\-]{16,}={0,2}"), "pypi-" + MASK),
    # GitHub tokens: classic, OAuth, app (server/user/refresh) and fine-grained.
    (re.compile(r"(?<![A-Za-z0-9_])(gh[pousr])_[A-Za-z0-9_]{16,}"), r"\1_" + MASK),
    (re.compile(r"(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{16,}"), "github_pat_" + MASK),
    # AWS access key ids (the secret key itself is caught by its key's name)
    (re.compile(r"(?<![A-Z0-9])(AKIA|ASIA)[0-9A-Z]{16}(?![A-Z0-9])"), r"\1" + MASK),
    # JWTs (the OIDC token itself): base64url JSON header "eyJ", payload, optional signature.
    (re.compile(r"(?<![A-Za-z0-9_\-])eyJ[A-Za-z0-9_\-]{6,}(?:\.[A-Za-z0-9_\-]*){0,2}"), "<jwt " + MASK + ">"),
    # Authorization headers, in HTTP, curl and JSON/dict dumps: the whole value goes.
    (re.compile(r"""(?i)(["']?(?:proxy-|http_)?authorization["']?\s*[:=]\s*)(["']?)[^"'\r\n]+"""),
     r"\1\2" + MASK),
    # Bearer and Basic credentials wherever they stand (a header split from its name)
    (re.compile(r"(?i)(\b(?:bearer|basic|token)\s+)([A-Za-z0-9._~+/\-]{8,}=*)"), _basic_or_bearer),
    # Credentials in URLs: https://user:secret@host
    (re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^/\s:@]+:)[^@\s/]+@"), r"\1" + MASK + "@"),
    # --password X, --password=X, --token X, -p X after an upload command.
    (re.compile(r"""(?i)((?<![\w-])--(?:password|passwd|token|auth|api-token)(?:=|\s+))(["']?)(?!\*{3})[^\s"']+"""),
     r"\1\2" + MASK),
    (re.compile(r"""(?i)(\b(?:twine|uv|pdm|poetry|maturin|flit|hatch)\b[^\n]*?\s-[pPat]\s+)(["']?)(?!\*{3})[^\s"']+"""),
     r"\1\2" + MASK),
    # poetry config pypi-token.pypi VALUE / http-basic.pypi USER VALUE
    (re.compile(r"""(?i)(\bpypi-token\.[\w-]+\s+)(["']?)(?!\*{3})[^\s"']+"""), r"\1\2" + MASK),
    (re.compile(r"""(?i)(\bhttp-basic\.[\w-]+\s+[^\s"']+\s+)(["']?)(?!\*{3})[^\s"']+"""), r"\1\2" + MASK),
    # Environment-style assignments: TWINE_PASSWORD=..., UV_PUBLISH_TOKEN: ..., FOO_SECRET=...
    (re.compile(r"""((?<![\w-])[A-Z][A-Z0-9_]*(?:PASSWORD|PASSWD|TOKEN|SECRET|API_KEY|AUTH)[A-Z0-9_]*["']?\s*[=:]\s*)"""
                r"""(["']?)(?!\*{3}|\$\{\{)[^\s"']+"""), r"\1\2" + MASK),
    # any key whose name says secret, in any case: password=..., api_key: ..., "x-api-key": "..."
    (re.compile(r"""(?i)(?P<key>(?<![\w.-])["']?[\w.-]*""" + _SECRET_WORD + r"""[\w.-]*["']?\s*(?P<sep>[=:])\s*)"""
                r"""(?P<quote>["']?)(?P<value>[^\s"',;&]+)"""), _masked_value),
)

#: a percent-encoded run long enough to hold a token
_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2}|[A-Za-z0-9._~+\-])*%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2}|[A-Za-z0-9._~+\-])*")
#: a base64 run long enough to hold ``user:token``
_BASE64_RUN = re.compile(r"(?<![A-Za-z0-9+/\-_])[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=\-_])")


def _decoded_percent(match: re.Match[str]) -> str:
    run = match.group(0)
    if len(run) < 16:
        return run
    decoded = unquote(run)
    masked = mask(decoded)
    return masked if masked != decoded else run


def _decoded_base64(match: re.Match[str]) -> str:
    run = match.group(0)
    try:
        decoded = base64.b64decode(run + "=" * (-len(run) % 4), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return run
    if not decoded.isprintable():
        return run
    if ":" in decoded or mask(decoded) != decoded:  # user:password, or a token inside
        return "<base64 " + MASK + ">"
    return run


def mask(text: str) -> str:
    """``text`` with every secret the rules know replaced by a mask."""
    if "%" in text:
        text = _PERCENT_RUN.sub(_decoded_percent, text)
    text = _BASE64_RUN.sub(_decoded_base64, text)
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


#: a line ending inside a token: its rest may be the start of the next line
_OPEN_TOKEN = re.compile(r"(?<![A-Za-z0-9_])(pypi-|gh[pousr]_|github_pat_|eyJ)[A-Za-z0-9_\-.]*$")
#: the start of a line that continues a wrapped token
_CONTINUATION = re.compile(r"^\s*([A-Za-z0-9_\-+/=.%]{8,})")


def mask_lines(texts: Sequence[str], chained: Sequence[bool] | None = None) -> list[str]:
    """`mask` of each line, and of the start of a line that continues a token the line before
    ended with (a token wrapped onto two lines). ``chained[i]`` says whether line ``i``
    follows line ``i - 1`` in the log (default: all do)."""
    out: list[str] = []
    previous_open = False
    for index, text in enumerate(texts):
        follows = index > 0 and (chained is None or chained[index])
        masked = mask(text)
        if follows and previous_open:
            start = _CONTINUATION.match(masked)
            if start and _looks_generated(start.group(1)):
                masked = masked[:start.start(1)] + MASK + masked[start.end(1):]
        opened = _OPEN_TOKEN.search(masked)
        ends_masked = masked.rstrip("'\"").endswith((MASK, MASK + ">"))
        previous_open = bool(opened) or ends_masked
        if opened and index + 1 < len(texts) and (chained is None or chained[index + 1]):
            nxt = _CONTINUATION.match(texts[index + 1])
            if nxt and _looks_generated(nxt.group(1)):
                masked = masked[:opened.end(1)] + MASK
        out.append(masked)
    return out
