"""Simple API pages and distribution file names, parsed without a server."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.version import Version

from pubdoctor.sources.dist import parse_filename, upload_dir
from pubdoctor.sources.indexpage import parse_html, parse_json
from pubdoctor.sources.version import scm_version

PEP503 = b"""<!DOCTYPE html>
<html><body>
<a href="../../packages/demo-1.0.0.tar.gz#sha256=abc" data-requires-python="&gt;=3.8">demo-1.0.0.tar.gz</a>
<a href="https://files.example/p/demo-1.0.1%2Blocal-py3-none-any.whl" data-yanked="broken">x</a>
<A HREF="/p/Demo_Pkg-2.0-py3-none-any.whl">Demo_Pkg-2.0-py3-none-any.whl</A>
</body></html>"""


def test_pep503_html() -> None:
    files = parse_html(PEP503)
    assert [f.filename for f in files] == ["demo-1.0.0.tar.gz", "demo-1.0.1+local-py3-none-any.whl",
                                           "Demo_Pkg-2.0-py3-none-any.whl"]
    assert [f.yanked for f in files] == [False, True, False]


def test_pep691_json() -> None:
    files, versions = parse_json(b'{"meta": {"api-version": "1.1"}, "name": "demo", "versions": ["1.0"],'
                                 b' "files": [{"filename": "demo-1.0.tar.gz", "yanked": false}]}')
    assert [f.filename for f in files] == ["demo-1.0.tar.gz"] and versions == ["1.0"]


def test_pep691_yanked_is_a_boolean_or_the_reason() -> None:
    files, versions = parse_json(
        b'{"files": [{"filename": "a-1.tar.gz", "yanked": "broken build"}, {"filename": "a-2.tar.gz"},'
        b' {"filename": "a-3.tar.gz", "yanked": true, "hashes": {}}, {"filename": "a-4.tar.gz",'
        b' "yanked": false}], "versions": ["1", 2, null]}')
    assert [(f.filename, f.yanked) for f in files] == [
        ("a-1.tar.gz", True), ("a-2.tar.gz", False), ("a-3.tar.gz", True), ("a-4.tar.gz", False)]
    assert versions == ["1"]  # PEP 700 versions: what is not a string is left out
    assert parse_json(b'{"files": [], "versions": {"1": 1}}') == ([], [])


@pytest.mark.parametrize("body, message", [
    (b"[]", "Input should be an object"),
    (b'{"files": [{"url": "x"}]}', "files.0.filename: Field required"),
    (b'{"files": [{"filename": 3}]}', "files.0.filename: Input should be a valid string"),
    (b'{"meta": {}}', "files: Field required"),
    (b"\xff\xfe", "Invalid JSON"),
])
def test_pep691_garbage(body: bytes, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_json(body)
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize("name, expected", [
    ("demo-1.0.0-py3-none-any.whl", ("wheel", "demo", "1.0.0", None, ["py3-none-any"])),
    ("Demo_Pkg-1.0-1-cp312-cp312-manylinux_2_17_x86_64.whl",
     ("wheel", "demo-pkg", "1.0", "1", ["cp312-cp312-manylinux_2_17_x86_64"])),
    ("demo_pkg-2.0rc1.tar.gz", ("sdist", "demo-pkg", "2.0rc1", None, [])),
    ("demo.whl", None), ("demo-notaversion.tar.gz", None), ("README.md", None),
])
def test_parse_filename(name: str, expected: tuple | None) -> None:
    assert parse_filename(name) == expected


@pytest.mark.parametrize("arg, folder", [
    ("dist/", "dist"), ("dist/*", "dist"), ("out/wheels/*.whl", "out/wheels"),
    ("dist/demo-1.0.tar.gz", "dist"), ("${{ env.DIST }}", None), ("/tmp/dist", None),
    ("../dist/*", None), ("*", None),
])
def test_upload_dir(arg: str, folder: str | None) -> None:
    assert upload_dir(arg) == folder


versions = st.builds(
    lambda release, pre, post: Version(".".join(map(str, release)) + pre + post),
    st.lists(st.integers(0, 50), min_size=1, max_size=4),
    st.sampled_from(["", "a1", "b2", "rc3"]),
    st.sampled_from(["", ".post1"]),
)


@given(versions, st.integers(0, 500), st.booleans())
def test_scm_versions_are_pep440_and_local_off_the_tag(tag: Version, distance: int, dirty: bool) -> None:
    result = Version(scm_version(tag, distance, "gabc1234", dirty))
    exact = distance == 0 and not dirty
    assert (result == tag) if exact else (result > tag and result.local is not None)
    assert Version(scm_version(tag, distance, "gabc1234", dirty, local_scheme="no-local-version")).local is None
