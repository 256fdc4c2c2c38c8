"""Which steps upload to a package index, and how they authenticate.

Recognised: the ``pypa/gh-action-pypi-publish`` action, and ``run:`` scripts calling
``uv publish``, ``twine upload``, ``pdm publish``, ``poetry publish``, ``hatch publish``,
``flit publish`` and ``maturin upload``/``publish`` (also through ``python -m``, ``uvx``,
``pipx run``, ``uv run``...), and ``PyO3/maturin-action`` with ``command: upload`` or
``publish``. The credentials mode says whether the upload depends on trusted publishing (an
OIDC token, so ``id-token: write``) or on a secret.
"""

from __future__ import annotations

import functools
import re
import shlex
from dataclasses import field
from typing import Any, Literal

from pubdoctor.lazyregex import lazy_compile
from pubdoctor.records import record


Credentials = Literal["trusted", "token", "password", "none"]

ACTION = "pypa/gh-action-pypi-publish"
MATURIN_ACTION = "pyo3/maturin-action"
PYPI_UPLOAD = "https://upload.pypi.org/legacy/"
TESTPYPI_UPLOAD = "https://test.pypi.org/legacy/"
_NAMED_INDEXES = {"pypi": PYPI_UPLOAD, "testpypi": TESTPYPI_UPLOAD}
# hatch's built-in repository names (`hatch publish -r main|test`, HATCH_INDEX_REPO)
_TOOL_NAMED_INDEXES = {"hatch": {"main": PYPI_UPLOAD, "test": TESTPYPI_UPLOAD}}

# tool -> the subcommands that upload
_COMMANDS: dict[str, tuple[str, ...]] = {
    "uv": ("publish",),
    "twine": ("upload",),
    "pdm": ("publish",),
    "poetry": ("publish",),
    "hatch": ("publish",),
    "flit": ("publish",),
    "maturin": ("upload", "publish"),
}
# Tools that fall back to trusted publishing on GitHub Actions when given no credentials
# (twine from 6.1, uv in its default "automatic" mode, pdm, maturin); the others fail.
_TRUSTED_FALLBACK = {"uv", "twine", "pdm", "maturin"}

_SECRET_OPTIONS: dict[str, tuple[str, ...]] = {
    "uv": ("--token", "-t", "--password", "-p"),
    "twine": ("--password", "-p"),
    "pdm": ("--password", "-P"),
    "poetry": ("--password", "-p"),
    "hatch": ("--auth", "-a"),
    "flit": (),
    "maturin": ("--password", "-p"),
}
_USER_OPTIONS: dict[str, tuple[str, ...]] = {
    "uv": ("--username", "-u"),
    "twine": ("--username", "-u"),
    "pdm": ("--username", "-u"),
    "poetry": ("--username", "-u"),
    "hatch": ("--user", "-u"),
    "flit": (),
    "maturin": ("--username", "-u"),
}
_SECRET_ENV: dict[str, tuple[str, ...]] = {
    "uv": ("UV_PUBLISH_TOKEN", "UV_PUBLISH_PASSWORD"),
    "twine": ("TWINE_PASSWORD",),
    "pdm": ("PDM_PUBLISH_PASSWORD",),
    "poetry": ("POETRY_PYPI_TOKEN_", "POETRY_HTTP_BASIC_"),
    "hatch": ("HATCH_INDEX_AUTH",),
    "flit": ("FLIT_PASSWORD",),
    "maturin": ("MATURIN_PYPI_TOKEN", "MATURIN_PASSWORD"),
}
_USER_ENV = {"uv": "UV_PUBLISH_USERNAME", "twine": "TWINE_USERNAME", "pdm": "PDM_PUBLISH_USERNAME",
             "hatch": "HATCH_INDEX_USER", "flit": "FLIT_USERNAME", "maturin": "MATURIN_USERNAME"}
_URL_OPTIONS: dict[str, tuple[str, ...]] = {
    "uv": ("--publish-url",),
    "twine": ("--repository-url",),
    "pdm": ("--repository", "-r"),
    "poetry": (),
    "hatch": ("--repo", "-r"),
    "flit": (),
    "maturin": ("--repository-url",),
}
_NAME_OPTIONS: dict[str, tuple[str, ...]] = {
    "uv": ("--index",),
    "twine": ("--repository", "-r"),
    "pdm": (),
    "poetry": ("--repository", "-r"),
    "hatch": (),
    "flit": ("--repository",),
    "maturin": ("--repository", "-r"),
}
_URL_ENV = {"uv": "UV_PUBLISH_URL", "twine": "TWINE_REPOSITORY_URL", "pdm": "PDM_PUBLISH_REPO",
            "hatch": "HATCH_INDEX_REPO", "flit": "FLIT_INDEX_URL", "maturin": "MATURIN_REPOSITORY_URL"}
_NAME_ENV = {"twine": "TWINE_REPOSITORY", "maturin": "MATURIN_REPOSITORY"}
_SKIP_OPTIONS = ("--skip-existing",)


@record(kw_only=True)
class PublishStep:
    """How one step uploads: the tool, its credentials mode and the index it targets."""

    tool: str
    credentials: Credentials
    credentials_detail: str
    index_url: str | None = None
    index_name: str | None = None
    skip_existing: bool = False
    packages: list[str] = field(default_factory=list)
    command: str | None = None
    #: the user name given (``__token__``, a literal account name or an expression)
    user: str | None = None
    #: where the password or token comes from, as written (``${{ secrets.PYPI_TOKEN }}``)
    secret: str | None = None
    dry_run: bool = False

    @property
    def index(self) -> str:
        """Upload URL (PyPI when nothing else is said); an expression stays as written."""
        if self.index_url:
            return self.index_url
        if self.index_name:
            named = {**_NAMED_INDEXES, **_TOOL_NAMED_INDEXES.get(self.tool, {})}
            return named.get(self.index_name.lower(), self.index_name)
        return PYPI_UPLOAD

    @property
    def is_testpypi(self) -> bool:
        return "test.pypi.org" in self.index or (self.index_name or "").lower() == "testpypi"


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "yes", "1", "on")


def _given(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _action_step(with_: dict[str, Any]) -> PublishStep:
    password = with_.get("password")
    user = with_.get("user", "__token__")
    if _given(password):
        token_user = str(user).strip() in ("__token__", "")
        credentials: Credentials = "token" if token_user else "password"
        detail = "the `password` input (an API token)" if token_user else f"user `{user}` with a password"
    else:
        credentials, detail = "trusted", "trusted publishing (no `password` input)"
    url = with_.get("repository-url", with_.get("repository_url"))
    packages = with_.get("packages-dir", with_.get("packages_dir", "dist/"))
    return PublishStep(
        tool="gh-action-pypi-publish",
        credentials=credentials,
        credentials_detail=detail,
        index_url=str(url).strip() if _given(url) else None,
        skip_existing=_truthy(with_.get("skip-existing", with_.get("skip_existing", False))),
        packages=[str(packages)],
        user=None if user is None else str(user),
        secret=str(password) if _given(password) else None,
    )


def shell_commands(script: str) -> list[str]:
    """Shell lines with backslash continuations joined, split on ``&&``, ``||`` and ``;``."""
    joined = re.sub(r"\\\r?\n", " ", script)
    lines: list[str] = []
    for line in joined.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        lines.extend(part for part in re.split(r"&&|\|\||;", stripped) if part.strip())
    return lines


_EXPRESSION = lazy_compile(r"\$\{\{.*?\}\}")


def shell_words(line: str) -> list[str]:
    """Shell words of a line; a ``${{ ... }}`` expression stays one word (GitHub substitutes
    it before the shell runs, and its spaces are not the shell's)."""
    return list(_shell_words(line))


@functools.lru_cache(maxsize=4096)
def _shell_words(line: str) -> tuple[str, ...]:
    """`shell_words`, remembered: several rules split the same lines of the same steps, and
    `shlex` reads a character at a time (it was the largest cost of checking many workflows)."""
    expressions: list[str] = []

    def hide(match: re.Match[str]) -> str:
        expressions.append(match.group(0))
        return f"\x00{len(expressions) - 1}\x00"

    hidden = _EXPRESSION.sub(hide, line)
    try:
        words = shlex.split(hidden, comments=True)
    except ValueError:
        words = hidden.split()
    return tuple(re.sub(r"\x00(\d+)\x00", lambda m: expressions[int(m.group(1))], word)
                 for word in words)


def _option(args: list[str], names: tuple[str, ...]) -> str | None:
    """The value of an option given as ``--opt value``, ``--opt=value`` or ``-o value``."""
    for i, arg in enumerate(args):
        for name in names:
            if arg == name and i + 1 < len(args):
                return args[i + 1]
            if name.startswith("--") and arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


def _env_has(env: dict[str, Any], script: str, names: tuple[str, ...]) -> str | None:
    """The first variable of ``names`` (a prefix when it ends in ``_``) set in env or the script."""
    for name in names:
        for key, value in env.items():
            if (key == name or (name.endswith("_") and key.startswith(name))) and _given(value):
                return key
        if re.search(rf"\b{re.escape(name)}\w*=" if name.endswith("_") else rf"\b{re.escape(name)}=", script):
            return name
    return None


_SHELL_VARIABLE = lazy_compile(r"^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$")


def _resolve(value: str | None, env: dict[str, Any]) -> str | None:
    """A ``$VAR`` or ``${VAR}`` argument replaced by what the step's env sets it to, if it does."""
    match = _SHELL_VARIABLE.match(value or "")
    if match and _given(env.get(match.group(1))):
        return str(env[match.group(1)])
    return value


def _command_step(tool: str, args: list[str], env: dict[str, Any], script: str,
                  line: str) -> PublishStep:
    secret = _option(args, _SECRET_OPTIONS[tool]) or _env_has(env, script, _SECRET_ENV[tool])
    secret_value = _resolve(_option(args, _SECRET_OPTIONS[tool]), env)
    if secret_value is None and secret:
        secret_value = next((str(v) for k, v in env.items() if k == secret
                             or (secret.endswith("_") and k.startswith(secret))), secret)
    user_given: str | None = _resolve(_option(args, _USER_OPTIONS[tool]), env)
    if user_given is None and tool in _USER_ENV and env.get(_USER_ENV[tool]) is not None:
        user_given = str(env[_USER_ENV[tool]])
    if tool == "poetry" and re.search(r"poetry\s+config\s+(pypi-token|http-basic)\.", script):
        secret = "poetry config"
    trusted_flag = _option(args, ("--trusted-publishing",))
    if secret:
        user = user_given
        if user is None and tool in _USER_ENV:
            user_value = env.get(_USER_ENV[tool])
            user = None if user_value is None else str(user_value)
        password_user = (user is not None and user.strip() not in ("__token__", "")
                         and "${{" not in user and not user.strip().startswith("$"))
        credentials: Credentials = "password" if password_user else "token"
        detail = f"`{secret}`"
    elif trusted_flag == "never":
        credentials, detail = "none", "`--trusted-publishing never` and no credentials"
    elif tool in _TRUSTED_FALLBACK:
        credentials = "trusted"
        detail = ("trusted publishing (`--trusted-publishing always`)" if trusted_flag == "always"
                  else f"trusted publishing ({tool} uses it when given no credentials)")
    else:
        credentials, detail = "none", f"no credentials, and {tool} has no trusted publishing"
    url = _option(args, _URL_OPTIONS[tool])
    name = _option(args, _NAME_OPTIONS[tool])
    if url is None and tool in _URL_ENV and _given(env.get(_URL_ENV[tool])):
        url = str(env[_URL_ENV[tool]])
    if name is None and tool in _NAME_ENV and _given(env.get(_NAME_ENV[tool])):
        name = str(env[_NAME_ENV[tool]])
    if url is not None and not re.match(r"^(https?://|\$\{\{)", url):
        url, name = None, url  # pdm and hatch take a name or a URL in one option
    packages = [a for a in args if not a.startswith("-") and ("dist" in a or a.endswith((".whl", ".tar.gz")))]
    return PublishStep(
        tool=tool,
        credentials=credentials,
        credentials_detail=detail,
        index_url=url,
        index_name=name,
        skip_existing=any(a in _SKIP_OPTIONS for a in args),
        packages=packages,
        command=line.strip(),
        user=user_given,
        secret=secret_value if secret else None,
        dry_run="--dry-run" in args,
    )


def detect_run(script: str, env: dict[str, Any]) -> PublishStep | None:
    """The first upload command of a ``run:`` script, if any."""
    for line in shell_commands(script):
        if not any(tool in line for tool in _COMMANDS):
            continue  # no upload tool named: not worth a shell split (most lines of a workflow)
        tokens = shell_words(line)
        for i, token in enumerate(tokens[:-1]):
            tool = token.rsplit("/", 1)[-1]
            if tool in _COMMANDS and tokens[i + 1] in _COMMANDS[tool]:
                return _command_step(tool, tokens[i + 2:], env, script, line)
    return None


def _maturin_action_step(with_: dict[str, Any], env: dict[str, Any]) -> PublishStep | None:
    """``PyO3/maturin-action`` runs ``maturin <command> <args>``; ``upload`` and ``publish``
    upload (what ``maturin generate-ci github`` writes for its release job)."""
    command = str(with_.get("command") or "build").strip()
    if command not in _COMMANDS["maturin"]:
        return None
    args = " ".join(str(with_.get("args") or "").split())
    line = f"maturin {command} {args}".strip()
    return _command_step("maturin", shell_words(args), env, "", line)


def detect_publish(uses: str | None, with_: dict[str, Any], run: str | None,
                   env: dict[str, Any]) -> PublishStep | None:
    """The `PublishStep` of a step, or None when the step does not upload."""
    action = uses.split("@", 1)[0].lower().rstrip("/") if uses else None
    if action == ACTION:
        return _action_step(with_)
    if action == MATURIN_ACTION:
        return _maturin_action_step(with_, env)
    if run:
        return detect_run(run, env)
    return None
