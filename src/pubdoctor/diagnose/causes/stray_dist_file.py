"""``stray-dist-file``: ``dist/`` holds a file or folder that is no distribution.

Texts: twine ``package.py`` (``InvalidDistribution: Unknown distribution format: '{name}'``:
``twine upload dist/*`` and ``twine check dist/*`` read every entry) and the action's
``attestations.py`` (a folder named like a distribution, which some download-artifact versions
make: ``dist/x.whl/x.whl``).
"""

from pubdoctor.diagnose.causes.base import Cause, Pattern

CAUSE = Cause(
    id="stray-dist-file",
    summary=("the folder that is uploaded holds a file or folder that is neither a wheel nor an "
             "sdist, and the upload tool refuses the whole upload"),
    fix=("keep only the `.whl` and `.tar.gz` files in `dist/`: write logs, requirements and other "
         "build outputs elsewhere; download artifacts with their `name:` (or `merge-multiple: "
         "true`) so that each does not land in a subfolder; or point `packages-dir` (or the upload "
         "command) at `dist/*.whl dist/*.tar.gz`"),
    rules=("PD405", "PD111"),
)

PATTERNS = (
    Pattern(CAUSE.id, r"Unknown distribution format:?\s*'(?P<file>[^']*)'", ("Unknown distribution format",),
            tool="twine", detail="the upload tool met a file it cannot upload", more="the file: `{file}`"),
    Pattern(CAUSE.id, r"(?:Path looks like a distribution but is not a file|The following paths look like "
                      r"distributions but are not actually files):?\s*(?P<file>\S+)",
            ("look like distributions but", "looks like a distribution but"), tool="gh-action-pypi-publish",
            detail="a folder in `dist/` is named like a distribution (download-artifact made a subfolder "
                   "for an artifact named after the file)",
            more="the folder: `{file}`"),
)
