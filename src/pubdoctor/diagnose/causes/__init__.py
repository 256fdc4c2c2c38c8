"""The diagnose vocabulary: one module per cause, each with the catalogue's message texts.

`CAUSES` is ordered as the vocabulary table of ``DESIGN.md``; `PATTERNS` holds every pattern
of every module. Adding a cause is adding a module here.
"""

from __future__ import annotations

from pubdoctor.diagnose.causes import (
    attestations,
    bad_token,
    build_failed,
    description_render,
    empty_dist,
    file_exists,
    file_too_large,
    invalid_metadata,
    local_version,
    missing_id_token,
    name_not_allowed,
    no_release,
    not_allowed_project,
    pending_publisher,
    publisher_mismatch,
    rate_limit,
    reusable_workflow,
    stray_dist_file,
    trusted_publishing_skipped,
    two_factor,
    wrong_upload_url,
)
from pubdoctor.diagnose.causes.base import Cause, Pattern

UNKNOWN = Cause(
    id="unknown",
    summary="none of the known publishing failures shows in this log",
    fix=("read the lines below that look like errors; if this is a publishing failure that "
         "pubdoctor should know, please report it with the log"),
)

CAUSES: dict[str, Cause] = {cause.id: cause for cause in (
    missing_id_token.CAUSE,
    trusted_publishing_skipped.CAUSE,
    publisher_mismatch.CAUSE,
    pending_publisher.CAUSE,
    reusable_workflow.CAUSE,
    no_release.CAUSE,
    no_release.ALREADY,
    file_exists.CAUSE,
    local_version.CAUSE,
    invalid_metadata.CAUSE,
    description_render.CAUSE,
    attestations.CAUSE,
    build_failed.CAUSE,
    empty_dist.CAUSE,
    stray_dist_file.CAUSE,
    not_allowed_project.CAUSE,
    name_not_allowed.CAUSE,
    bad_token.CAUSE,
    two_factor.CAUSE,
    wrong_upload_url.CAUSE,
    file_too_large.CAUSE,
    rate_limit.CAUSE,
    UNKNOWN,
)}

_MODULES = (missing_id_token, trusted_publishing_skipped, publisher_mismatch, pending_publisher,
            reusable_workflow, no_release, file_exists, local_version, invalid_metadata,
            description_render, attestations, build_failed, empty_dist, stray_dist_file,
            not_allowed_project, name_not_allowed, bad_token, two_factor, wrong_upload_url,
            file_too_large, rate_limit)

PATTERNS: tuple[Pattern, ...] = tuple(p for module in _MODULES for p in module.PATTERNS)

__all__ = ["CAUSES", "PATTERNS", "UNKNOWN", "Cause", "Pattern"]
