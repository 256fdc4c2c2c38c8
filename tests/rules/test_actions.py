"""PD104 outdated-publish-action."""

from __future__ import annotations

import pytest

from conftest import at, findings

WF = ".github/workflows/release.yml"
HATCHLING = """
    [build-system]
    requires = ["hatchling"]
    build-backend = "hatchling.build"
    [project]
    name = "demo"
    version = "1.0"
"""


def repo(write_repo, ref: str, extra: str = "", pyproject: str | None = None, name: str = "repo"):
    files = {WF: f"""
        on: push
        jobs:
          publish:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: pypa/gh-action-pypi-publish@{ref}
        {extra}
    """}
    if pyproject is not None:
        files["pyproject.toml"] = pyproject
    return write_repo(files, name=name)


def pd104(root) -> list[dict]:
    return [f for f in findings(root) if f["code"] == "PD104"]


def test_master_is_sunset(write_repo) -> None:
    found = pd104(repo(write_repo, "master"))
    assert at(found, "PD104") == [(WF, 8, 9)]
    assert "sunset" in found[0]["message"] and found[0]["severity"] == "error"


def test_before_trusted_publishing(write_repo) -> None:
    found = pd104(repo(write_repo, "v1.5.1"))
    assert at(found, "PD104") == [(WF, 8, 9)]
    assert "predates trusted publishing" in found[0]["message"]


@pytest.mark.parametrize("ref", ["v1.8.11", "v1.12.0", "v1.8"])
def test_cannot_read_metadata_2_4(write_repo, ref: str) -> None:
    found = pd104(repo(write_repo, ref, name=ref))
    assert at(found, "PD104") == [(WF, 8, 9)]
    assert "Metadata-Version 2.4" in found[0]["message"]


def test_sha_pin_judged_by_its_comment(write_repo) -> None:
    root = repo(write_repo, "81e9d935c883d0b210363ab89cf05f3894778450 # v1.8.14")
    found = pd104(root)
    assert at(found, "PD104") == [(WF, 8, 9)]
    assert "v1.8.14 (`81e9d935c883`)" in found[0]["message"]


def test_metadata_2_5_only_for_hatchling(write_repo) -> None:
    found = pd104(repo(write_repo, "v1.14.0", pyproject=HATCHLING))
    assert at(found, "PD104") == [(WF, 8, 9)]
    assert found[0]["severity"] == "warning" and "2.5" in found[0]["message"]
    pinned = HATCHLING.replace('"hatchling"', '"hatchling<1.32"')
    assert pd104(repo(write_repo, "v1.14.0", pyproject=pinned, name="pinned")) == []
    assert pd104(repo(write_repo, "v1.14.0", name="setuptools")) == []


@pytest.mark.parametrize("ref", ["release/v1", "unstable/v1", "v1", "v1.12.3", "v1.12", "v1.14.2",
                                 "0123456789abcdef0123456789abcdef01234567",
                                 "feature/branch"])
def test_current_or_unknown_refs_pass(write_repo, ref: str) -> None:
    assert pd104(repo(write_repo, ref, name=ref.replace("/", "-"))) == []


def test_old_ref_with_token_only_reports_metadata(write_repo) -> None:
    root = write_repo({WF: """
        on: push
        jobs:
          publish:
            runs-on: ubuntu-latest
            steps:
              - uses: pypa/gh-action-pypi-publish@v1.5.0
                with:
                  password: ${{ secrets.PYPI_API_TOKEN }}
    """})
    found = pd104(root)
    assert at(found, "PD104") == [(WF, 6, 9)]
    assert "Metadata-Version 2.4" in found[0]["message"]


# -- a SHA pin is judged by its commit (the action's tags ship with pubdoctor) ------------------

V1_14_0 = "cef221092ed1bacb1cc03d23a2d87d1d172e277b"
V1_8_14 = "81e9d935c883d0b210363ab89cf05f3894778450"


def test_sha_pin_is_judged_by_its_commit_not_its_comment(write_repo) -> None:
    # v1.8.14's commit, commented as if it followed release/v1: judged as v1.8.14
    found = pd104(repo(write_repo, f"{V1_8_14}  # release/v1"))
    assert [(f["severity"], f["location"]["line"]) for f in found] == [("error", 8), ("info", 8)]
    assert "Metadata-Version 2.4" in found[0]["message"]
    assert "is the commit of v1.8.14, but its comment says the branch `release/v1`" in found[1]["message"]


def test_sha_pin_with_a_wrong_version_comment(write_repo) -> None:
    # v1.14.0's commit commented as v1.14.2: the hatchling 2.5 problem is v1.14.0's
    found = pd104(repo(write_repo, f"{V1_14_0} # v1.14.2", pyproject=HATCHLING))
    assert [f["severity"] for f in found] == ["warning", "info"]
    assert "comment says `v1.14.2`" in found[1]["message"] and "# v1.14.0" in found[1]["fix"]


@pytest.mark.parametrize("comment", ["# v1.14.0", "# v1.14", "#v1.14.0 (pinned)", ""])
def test_sha_pin_whose_comment_agrees(write_repo, comment: str) -> None:
    assert pd104(repo(write_repo, f"{V1_14_0} {comment}".strip(), name=f"r{len(comment)}")) == []


def test_unknown_sha_falls_back_to_its_comment(write_repo) -> None:
    found = pd104(repo(write_repo, "0123456789abcdef0123456789abcdef01234567 # v1.8.0"))
    assert [f["severity"] for f in found] == ["error"]


SETUPTOOLS = """
    [build-system]
    requires = ["setuptools{pin}"]
    build-backend = "setuptools.build_meta"
    [project]
    name = "demo"
    version = "1.0"
"""


@pytest.mark.parametrize(("pin", "reported"), [("==76.0.0", False), ("<77", False), (">=61", True),
                                               ("", True), ("==77.0.3", True)])
def test_metadata_2_4_only_when_the_backend_may_write_it(write_repo, pin: str, reported: bool) -> None:
    root = repo(write_repo, "v1.8.11", pyproject=SETUPTOOLS.format(pin=pin), name=f"p{len(pin)}{pin[:1]}")
    assert bool(pd104(root)) == reported


# -- releases v1.9.0 to v1.12.4, shipped from real workflows' pins ------------------------------

V1_12_4 = "76f52bc884231f62b9a034ebfe128415bbaabdfc"
V1_10_3 = "f7600683efdcb7656dec5b29656edb7bc586e597"


def test_sha_of_v1_12_4_commented_release_v1_is_judged_as_v1_12_4(write_repo) -> None:
    found = pd104(repo(write_repo, f"{V1_12_4}  # release/v1", pyproject=HATCHLING))
    assert [f["severity"] for f in found] == ["warning", "info"]
    assert "v1.12.4" in found[0]["message"] and "2.5" in found[0]["message"]
    assert "is the commit of v1.12.4, but its comment says the branch `release/v1`" in found[1]["message"]
    # with a backend that writes 2.4 (setuptools), v1.12.4 reads it: only the comment is wrong
    plain = pd104(repo(write_repo, f"{V1_12_4}  # release/v1", name="setuptools"))
    assert [f["severity"] for f in plain] == ["info"]


def test_sha_of_v1_10_3_cannot_read_metadata_2_4(write_repo) -> None:
    found = pd104(repo(write_repo, f"{V1_10_3}  # release/v1"))
    assert [f["severity"] for f in found] == ["error", "info"]
    assert "Metadata-Version 2.4" in found[0]["message"]
    assert "is the commit of v1.10.3" in found[1]["message"]
