"""``no-release-nonconventional`` and ``already-released``: the release tool made no release.

Texts: python-semantic-release ``version/algorithm.py`` and ``cli/commands/version.py``,
commitizen ``commands/bump.py`` (both spellings of "eligible"), release-please, and git's
refusal to create (``builtin/tag.c``) or push (``builtin/push.c``) a tag that exists: a step
that tags the version a release tool printed fails so when the tool found nothing to release
(``semantic-release version --print`` then prints the last released version).
"""

from pubdoctor.diagnose.causes.base import Cause, Pattern, sp

_COMMITS = ("write Conventional Commit messages (for squash merges: the PR titles): `fix:` releases "
            "a patch, `feat:` a minor, `!` or a `BREAKING CHANGE:` footer a major; `chore:`, `ci:`, "
            "`docs:` and free-form messages release nothing")
PSR_FIX = _COMMITS + "; to release now: `semantic-release version --patch` (or `--minor`)"
CZ_FIX = (_COMMITS + "; to release now: `cz bump --increment PATCH`; to let the job pass when there "
          "is nothing to release: `cz --no-raise 21 bump`")
RELEASE_PLEASE_FIX = _COMMITS + "; to release now: a commit with a `Release-As: x.y.z` footer"

CAUSE = Cause(
    id="no-release-nonconventional",
    summary=("the release tool found no commit since the last release that it could parse as "
             "releasable, so it made no tag and no release, and nothing was published"),
    fix=(_COMMITS + ". To release now: `semantic-release version --patch`, `cz bump --increment "
         "PATCH`, or a `Release-As:` footer (release-please)"),
    rules=("PD301", "PD302", "PD303"),
)

ALREADY = Cause(
    id="already-released",
    summary=("the release tool found this version already tagged and made no release; this is "
             "not a commit-format problem (typically a rerun on the release commit)"),
    fix=("nothing is wrong with the commits: push a new `fix:` or `feat:` commit to make the next "
         "release, or rerun the publish job of the existing tag; add `--strict` only if a run "
         "without a release must fail"),
    rules=("PD302",),
)

PATTERNS = (
    # python-semantic-release ("release release" is sic in the source)
    Pattern(CAUSE.id, r"The type of the next release(?: release)? is:?\s*no_release",
            ("no_release",), tool="python-semantic-release", fix=PSR_FIX),
    Pattern(CAUSE.id, r"No release will be made(?!\s*,\s*\S+\s+has already been released)",
            ("No release will be made",), tool="python-semantic-release", fix=PSR_FIX),
    Pattern(CAUSE.id, sp("No commits found since the last release"),
            ("No commits found since the last release",), tool="python-semantic-release", fix=PSR_FIX),
    Pattern(CAUSE.id, r"(?:Format Mismatch! )?Unable to parse commit message:?\s*.{0,120}",
            ("Unable to parse commit message",), kind="fallback", tool="python-semantic-release",
            fix=PSR_FIX),
    # commitizen (<= 2.2x spells it "elegible")
    Pattern(CAUSE.id, r"\[NO_COMMITS_TO_BUMP\](?:\s*The commits found are not el[ie]gible to be bumped)?",
            ("NO_COMMITS_TO_BUMP",), priority=2, tool="commitizen", fix=CZ_FIX),
    Pattern(CAUSE.id, r"The commits found are not el[ie]gible to be bumped",
            ("eligible to be bumped", "elegible to be bumped"), tool="commitizen", fix=CZ_FIX),
    Pattern(CAUSE.id, r"\[NO_COMMITS_FOUND\](?:\s*No (?:new )?commits found[^.\n]*)?",
            ("NO_COMMITS_FOUND",), tool="commitizen", fix=CZ_FIX),
    # release-please
    Pattern(CAUSE.id, r"No commits for path: \S*, skipping", ("No commits for path",),
            tool="release-please", fix=RELEASE_PLEASE_FIX),
    Pattern(CAUSE.id, r"No user facing commits found since \S+(?: - skipping)?",
            ("No user facing commits found",), tool="release-please", fix=RELEASE_PLEASE_FIX),
    # git, in a later step that tags the version the release tool printed
    Pattern(CAUSE.id, r"(?:fatal:\s*)?tag '(?P<tag>[^']+)' already exists"
                      r"|\[rejected\]\s+\S+\s+->\s+\S+\s+\(already exists\)"
                      r"|Updates were rejected because the tag already exists in the remote\.?",
            ("' already exists", "(already exists)", "tag already exists in the remote"), priority=0,
            tool="git", detail="a later step tried to create a tag that already exists: the version "
                               "it was given is the last release's",
            fix=("the version was not bumped: the release tool found no releasable commit since the "
                 "last release (`semantic-release version --print` then prints the last released "
                 "version), so the tag step made the same tag again. " + _COMMITS[0].upper() + _COMMITS[1:] + "; let the "
                 "release tool create the tag itself (`semantic-release version`, `cz bump`), or run "
                 "the tag step only when a new version was made")),
    # already released: a different cause with the same first words
    Pattern(ALREADY.id, r"No release will be made\s*,\s*\S+\s+has already been released!?",
            ("has already been released",), priority=3, tool="python-semantic-release"),
)
