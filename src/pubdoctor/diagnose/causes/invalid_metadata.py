"""``invalid-metadata``: the upload tool or the index cannot read the metadata.

Texts: twine ``package.py`` (old and new) and warehouse ``forklift/metadata.py`` (a
description that does not render is its own cause, ``description-render``). Mostly an old pinned action or twine that does not know
Metadata-Version 2.4 (``license-files``) produced by current build backends.
"""

from pubdoctor.diagnose.causes.base import Cause, Pattern, sp

CAUSE = Cause(
    id="invalid-metadata",
    summary=("the package metadata was refused; most often an old pinned publish action or twine "
             "that cannot read the Metadata-Version (2.4, `license-files`) of current build backends"),
    fix=("use `pypa/gh-action-pypi-publish@release/v1` (or a current release) instead of an old "
         "pinned version, or upgrade twine (`pip install -U twine packaging`); if the tools are "
         "current, fix the field the message names"),
    rules=("PD104", "PD406", "PD405"),
)

PATTERNS = (
    Pattern(CAUSE.id, r"(?:InvalidDistribution:\s*)?Metadata is missing required fields:?\s*[\w ,.-]{0,40}",
            ("Metadata is missing required fields", "missing required fields"), priority=2,
            detail="twine could not read the metadata (Name and Version missing): it is older "
                   "than the Metadata-Version of the package", tool="twine"),
    Pattern(CAUSE.id, r"'?[\w.]{1,20}'? is not a valid metadata version", ("not a valid metadata version",),
            priority=2),
    Pattern(CAUSE.id, r"Invalid distribution metadata:?[^.\n]{0,120}", ("Invalid distribution metadata",),
            priority=2, tool="twine"),
    Pattern(CAUSE.id, r"unrecognized or malformed field '[\w-]+'", ("unrecognized or malformed field",),
            priority=2),
    Pattern(CAUSE.id, sp("using a supported Metadata-Version"), ("supported Metadata-Version",)),
    # packaging.metadata (which warehouse validates uploads with): the backend declared an
    # older Metadata-Version than a field it wrote needs
    Pattern(CAUSE.id, r"(?P<field>[\w-]+) (?:was )?introduced in metadata version [\d.]+, not [\d.]+",
            ("introduced in metadata version",), priority=2,
            detail="the build backend wrote a field newer than the Metadata-Version it declared",
            fix=("upgrade the build backend in `[build-system].requires` (setuptools, hatchling, ...) "
                 "and rebuild: a backend that writes `License-File` or `License-Expression` must "
                 "declare Metadata-Version 2.4; the upload tool is not the problem here")),
    # Any other refusal ends with the core-metadata link; more specific causes use it too
    # (local versions), so it has the lowest priority.
    Pattern(CAUSE.id, r"[^.]{0,160}\.\s*See https?://packaging\.python\.org/\S*core-metadata\S* for more information",
            ("core-metadata",), priority=0),
)
