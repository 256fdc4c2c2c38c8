"""Masking secrets in everything diagnose prints.

A pasted log can hold what GitHub did not mask: a token echoed by a script before it became a
secret, a ``.pypirc`` printed by a debug step, a JWT dumped by ``--verbose``. Every line
pubdoctor prints from a log goes through `mask` first. The masks keep the kind of secret
visible (``pypi-****``) because that is what a user needs to know.
"""

from __future__ import annotations

import re

MASK = "****"

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # PyPI API tokens: "pypi-" + a base64url macaroon (real ones are 150+ characters).
    (re.compile(r"(?<![A-Za-z0-9_])pypi-[A-Za-z0-9_\-]{16,}={0,2}"), "pypi-" + MASK),
    # GitHub tokens: classic, OAuth, app (server/user/refresh) and fine-grained.
    (re.compile(r"(?<![A-Za-z0-9_])(gh[pousr])_[A-Za-z0-9_]{16,}"), r"\1_" + MASK),
    (re.compile(r"(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{16,}"), "github_pat_" + MASK),
    # JWTs (the OIDC token itself): base64url JSON header "eyJ", payload, optional signature.
    (re.compile(r"(?<![A-Za-z0-9_\-])eyJ[A-Za-z0-9_\-]{6,}(?:\.[A-Za-z0-9_\-]*){0,2}"), "<jwt " + MASK + ">"),
    # Authorization headers, in HTTP, curl and JSON/dict dumps: the whole value goes.
    (re.compile(r"""(?i)(["']?(?:proxy-)?authorization["']?\s*[:=]\s*)(["']?)[^"'\r\n]+"""),
     r"\1\2" + MASK),
    # Credentials in URLs: https://user:secret@host
    (re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^/\s:@]+:)[^@\s/]+@"), r"\1" + MASK + "@"),
    # --password X, --password=X, --token X, -p X after an upload command.
    (re.compile(r"""(?i)((?<![\w-])--(?:password|passwd|token|auth|api-token)(?:=|\s+))(["']?)(?!\*{3})[^\s"']+"""),
     r"\1\2" + MASK),
    (re.compile(r"""(?i)(\b(?:twine|uv|pdm|poetry|maturin|flit|hatch)\b[^\n]*?\s-[pPat]\s+)(["']?)(?!\*{3})[^\s"']+"""),
     r"\1\2" + MASK),
    # Environment-style assignments: TWINE_PASSWORD=..., UV_PUBLISH_TOKEN: ..., FOO_SECRET=...
    (re.compile(r"""((?<![\w-])[A-Z][A-Z0-9_]*(?:PASSWORD|PASSWD|TOKEN|SECRET|API_KEY|AUTH)[A-Z0-9_]*["']?\s*[=:]\s*)"""
                r"""(["']?)(?!\*{3}|\$\{\{)[^\s"']+"""), r"\1\2" + MASK),
    # password=..., password: ..., token=..., secret=... (lower case, config files and URLs)
    (re.compile(r"""(?i)((?<![\w-])(?:password|passwd|pwd)["']?\s*[=:]\s*)(["']?)(?!\*{3}|\$\{\{)[^\s"',;&]+"""),
     r"\1\2" + MASK),
    (re.compile(r"""(?i)((?<![\w-])(?:token|secret|api_key|apikey|access_token)["']?\s*=\s*)(["']?)(?!\*{3}|\$\{\{)[^\s"',;&]+"""),
     r"\1\2" + MASK),
)

#: Quick test: a line without any of these cannot hold a secret that the rules mask.
_HINTS = ("pypi-", "gh", "github_pat_", "eyJ", "uthorization", "UTHORIZATION", "://", "--",
          "-p", "-P", "-a", "-t", "ASSWORD", "assword", "ASSWD", "asswd", "TOKEN", "oken",
          "ECRET", "ecret", "API_KEY", "api_key", "apikey", "AUTH", "pwd", "PWD", "Pwd")


def mask(text: str) -> str:
    """``text`` with every secret the rules know replaced by a mask."""
    if not any(hint in text for hint in _HINTS):
        return text
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text
