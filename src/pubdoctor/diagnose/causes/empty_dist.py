"""``empty-dist``: nothing to upload in the dist folder.

Texts: the action's ``twine-upload.sh`` warning (``MISSING DISTS``), twine's
``InvalidDistribution: Cannot find file (or expand pattern)``, upload-artifact and
download-artifact, uv. After the warning, twine's ``Unknown distribution format`` for what
the folder held instead (a subfolder, a log) follows from it.
"""

from pubdoctor.diagnose.causes.base import Cause, Pattern, sp

CAUSE = Cause(
    id="empty-dist",
    summary="there were no distribution files to upload in the dist folder",
    fix=("build in the publishing job, or hand `dist/` over with actions/upload-artifact and "
         "actions/download-artifact using the same `name:` and `path: dist/` (download-artifact "
         "without a `name:` puts each artifact in its own subfolder); check `packages-dir`, and "
         "keep the files inside the workspace (the action runs in a container and cannot see /tmp)"),
    rules=("PD403", "PD111"),
)

ANYTHING = frozenset({"unknown", "invalid-metadata", "missing-id-token", "publisher-mismatch",
                      "trusted-publishing-skipped", "bad-token", "stray-dist-file", "description-render"})

PATTERNS = (
    Pattern(CAUSE.id, r"It looks like there are no Python distribution packages to publish in the "
                      r"directory\s+\S+",
            ("no Python distribution packages",), kind="hint", explains=ANYTHING,
            tool="gh-action-pypi-publish"),
    # the pattern may be on the next line (rich wraps it under the message)
    Pattern(CAUSE.id, r"(?:InvalidDistribution:\s*)?Cannot find file \(or expand pattern\):?(?:\s*'(?P<pattern>[^']*)'?)?",
            ("Cannot find file (or expand pattern)", "or expand pattern"), tool="twine"),
    Pattern(CAUSE.id, sp("No files to check."), ("No files to check",), tool="twine"),
    Pattern(CAUSE.id, r"No files were found with the provided path:?\s*\S*(?:\.\s*No artifacts will be uploaded\.?)?",
            ("No files were found with the provided path",), kind="hint", explains=ANYTHING,
            tool="upload-artifact"),
    Pattern(CAUSE.id, r"Unable to download artifact\(s\):?[^\n]{0,120}|Artifact not found for name:?\s*\S+"
                      r"|Unable to find any artifacts for the associated workflow",
            ("Unable to download artifact", "Artifact not found for name", "Unable to find any artifacts"),
            tool="download-artifact"),
    Pattern(CAUSE.id, r"No files found to publish|No distribution files? (?:found|to upload)",
            ("No files found to publish", "No distribution file"), tool="uv"),
)
