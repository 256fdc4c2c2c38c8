"""``--fix`` on publishing workflows written in many layouts (hypothesis).

The same workflow is dumped with random indentation, flow or block mappings, quoted scalars,
end-of-line comments, CRLF line ends and a ``---`` start. Whatever the layout, a fix must keep
the file parseable, remove its finding (or say why not), keep every other line, and change
nothing when run again.
"""

from __future__ import annotations

import difflib
import io
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import check, findings

FIXABLE = {"PD101", "PD102", "PD104", "PD107", "PD303", "PD305"}
PYPROJECT = ('[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
             '[project]\nname = "demo"\nversion = "1.0.0"\n')
REFS = ["release/v1", "v1.5.0", "master",
        "e53eb8b103ffcb59469888563dc324e3c8ba6f06 # v1.8.12"]


@st.composite
def workflows(draw: st.DrawFn) -> dict:
    """A release workflow (build, publish, maybe a release tool job) as plain data."""
    from ruamel.yaml.comments import CommentedMap as Map, CommentedSeq as Seq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    def mapping(items: dict) -> Map:
        node = Map(items)
        if draw(st.integers(0, 4)) == 0:
            node.fa.set_flow_style()
        if items and draw(st.booleans()):
            node.yaml_add_eol_comment("# note", list(items)[-1])
        return node

    def scalar(text: str) -> object:
        kind = draw(st.integers(0, 3))
        return DoubleQuotedScalarString(text) if kind == 0 else \
            SingleQuotedScalarString(text) if kind == 1 else text

    def perms(choices: list) -> Map | None:
        value = draw(st.sampled_from(choices))
        return None if value is None else mapping(dict(value))

    upload = {"name": "dist", "path": scalar("dist/")}
    if draw(st.booleans()):
        upload["if-no-files-found"] = draw(st.sampled_from(["warn", "error"]))
    checkout: dict = {"uses": "actions/checkout@v4"}
    if draw(st.booleans()):
        checkout["with"] = mapping({"persist-credentials": False})
    build = mapping({"runs-on": "ubuntu-latest", "steps": Seq([
        mapping(checkout), mapping({"run": "pipx run build"}),
        mapping({"uses": "actions/upload-artifact@v4", "with": mapping(upload)})])})
    ref = draw(st.sampled_from(REFS))
    publish: dict = {"needs": "build", "runs-on": "ubuntu-latest"}
    job_perms = perms([None, {}, {"contents": "read"}, {"id-token": "write"}])
    if job_perms is not None:
        publish["permissions"] = job_perms
    publish["steps"] = Seq([mapping({"uses": "actions/download-artifact@v4",
                                     "with": mapping({"name": "dist", "path": "dist/"})}),
                            mapping({"uses": "pypa/gh-action-pypi-publish@" + ref.split(" ")[0]})])
    jobs = Map({"build": build, "publish": mapping(publish)})
    if draw(st.booleans()):
        jobs["release"] = mapping({"runs-on": "ubuntu-latest", "steps": Seq([
            mapping({"uses": "actions/checkout@v4"}),
            mapping({"uses": "python-semantic-release/python-semantic-release@v9"})])})
    document = Map({"name": "release", "on": mapping({"push": mapping({"tags": Seq(["v*"])})})})
    top = perms([None, {"contents": "read"}, {"contents": "read", "id-token": "write"},
                 {"id-token": "write"}])
    if top is not None:
        document["permissions"] = top
    document["jobs"] = jobs
    return {"document": document, "comment": " # v1.8.12" if "#" in ref else "",
            "indent": draw(st.sampled_from([(2, 2, 0), (2, 4, 2), (4, 4, 2), (4, 6, 4)])),
            "crlf": draw(st.booleans()), "start": draw(st.booleans())}


def _text(case: dict) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    mapping, sequence, offset = case["indent"]
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    yaml.explicit_start = case["start"]
    yaml.width = 4096
    stream = io.StringIO()
    yaml.dump(case["document"], stream)
    text = stream.getvalue()
    if case["comment"]:
        # a comment can only end a line (not inside a flow collection)
        text = re.sub(r"(gh-action-pypi-publish@[0-9a-f]{40})$", r"\1" + case["comment"], text,
                      flags=re.MULTILINE)
    return text.replace("\n", "\r\n") if case["crlf"] else text


def _inserted_into(line: str, other: str) -> bool:
    """Whether ``other`` is ``line`` with text inserted (an entry added to a flow mapping)."""
    rest = iter(other)
    return all(ch in rest for ch in line)


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=workflows())
def test_fix_keeps_every_other_line_in_any_layout(tmp_path_factory, case: dict) -> None:
    root = Path(tmp_path_factory.mktemp("fixfuzz"))
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    path = root / ".github" / "workflows" / "release.yml"
    original = _text(case)
    path.write_bytes(original.encode("utf-8"))
    before = {f["code"] for f in findings(root)}
    assert "PD100" not in before, original
    result = check(root, "--fix")
    fixed = path.read_bytes().decode("utf-8")
    after = {f["code"] for f in findings(root)}  # the fixed file parses
    assert "PD100" not in after, fixed
    for code in (before & FIXABLE) & after:
        assert f"{code} not fixed" in result.stderr, (code, original, fixed, result.stderr)
    old, new = original.splitlines(keepends=True), fixed.splitlines(keepends=True)
    removed = [line[2:] for line in difflib.ndiff(old, new) if line.startswith("- ")]
    added = [line[2:] for line in difflib.ndiff(old, new) if line.startswith("+ ")]
    for line in removed:  # a line goes only as PD102's `id-token: write`, or is changed in place
        assert "id-token" in line or any(
            _inserted_into(line, other) or difflib.SequenceMatcher(None, line, other).ratio() > 0.6
            for other in added), (original, fixed)
    if case["crlf"]:
        assert "\n" not in fixed.replace("\r\n", "")
    check(root, "--fix")
    assert path.read_bytes().decode("utf-8") == fixed
