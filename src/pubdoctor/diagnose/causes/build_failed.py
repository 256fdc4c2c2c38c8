"""``build-failed``: the job failed before any upload, so no distribution was made.

The failure is earlier in the log than the publish step; what follows it (an empty ``dist/``,
a skipped upload) is a consequence. Texts: CPython's ``can't open file '{path}': [Errno N]
...`` (``python setup.py ...`` on a project without setup.py), pypa/build ``_builder.py`` and
``__main__.py`` (``Backend subprocess exited when trying to invoke {hook}``, ``Backend '{name}'
is not available.``, ``does not appear to be a Python project``, ``Backend operation
failed``), uv (``The build backend returned an error``; older ``Build backend failed to build
...``), and bash's ``{name}: unbound variable`` under ``set -u``.
"""

from pubdoctor.diagnose.causes.base import Cause, Pattern, sp

CAUSE = Cause(
    id="build-failed",
    summary=("the job failed before any upload: the distributions were not built (or a script "
             "step failed), so nothing was published"),
    fix=("fix the error shown, which comes before the publish step; reproduce it locally with "
         "`python -m build` (or `uv build`) in a fresh clone, which builds exactly what the job "
         "builds"),
    rules=(),
)

SETUP_PY_FIX = ("the project has no setup.py (it is built from pyproject.toml): replace `python setup.py "
                "sdist bdist_wheel` with `python -m build` (or `uv build`), which works for every "
                "build backend")

PATTERNS = (
    Pattern(CAUSE.id, r"can't open file '(?P<path>[^']*setup\.py)':?\s*\[Errno \d+\][^\n]{0,60}",
            ("can't open file",), priority=2, detail="`python setup.py` ran, but there is no setup.py",
            fix=SETUP_PY_FIX),
    Pattern(CAUSE.id, r"can't open file '(?P<path>[^']*)':?\s*\[Errno \d+\][^\n]{0,60}",
            ("can't open file",), priority=1,
            detail="a script the step runs does not exist (a wrong path or `working-directory`, or "
                   "no `actions/checkout` in this job)", more="the path: `{path}`"),
    Pattern(CAUSE.id, r"(?P<var>[A-Za-z_][A-Za-z0-9_]*): unbound variable", (": unbound variable",),
            tool="bash",
            detail="a shell variable the step uses is not set (bash runs with `set -u`)",
            more="the variable: `{var}`",
            fix=("set the variable before the step uses it: pass secrets and values through the "
                 "step's `env:` (a secret is not an environment variable by itself; one that does "
                 "not exist is empty), or write `${NAME:-}` for one that may be unset")),
    Pattern(CAUSE.id, r"Backend subprocess exited when trying to invoke (?P<hook>\w+)",
            ("Backend subprocess exited",), tool="build",
            detail="the build backend failed: its error is in the lines above this one"),
    Pattern(CAUSE.id, r"Backend '(?P<backend>[^']*)' is not available\.?", ("' is not available",), tool="build",
            detail="the build backend named in `[build-system]` cannot be imported",
            fix=("check `[build-system]` in pyproject.toml: `build-backend` must be importable from "
                 "the packages in `requires` (for example `hatchling.build` with `requires = "
                 "[\"hatchling\"]`)")),
    Pattern(CAUSE.id, r"does not appear to be a Python project: no pyproject\.toml or setup\.py",
            ("does not appear to be a Python project",), tool="build",
            detail="the build ran in a folder without pyproject.toml or setup.py",
            fix=("run the build in the project's folder (`working-directory:`, or the path given to "
                 "`python -m build`), after `actions/checkout`")),
    Pattern(CAUSE.id, r"ERROR\s+Backend operation failed:?[^\n]{0,120}", ("Backend operation failed",),
            tool="build", detail="the build backend failed: its error is in the lines above this one"),
    Pattern(CAUSE.id, sp("The build backend returned an error"), ("build backend returned an error",),
            tool="uv", detail="the build backend failed: its error is in the lines below this one"),
    Pattern(CAUSE.id, r"Build backend failed to (?:build|determine)[^\n]{0,80}", ("Build backend failed to",),
            tool="uv", detail="the build backend failed: its error is in the lines below this one"),
)
