"""The fast YAML path (libyaml through ruamel.yaml.clib) answers exactly as the round-trip parser.

Rules read values, the positions of keys, values and items, and the end-of-line comment after
``uses:``; for each of them the two parsers must agree, on hand-written documents covering YAML's
features and on every workflow of the real-world corpus (when ../shared is present). What the
fast path cannot reproduce (duplicate and merge keys, custom tags, syntax errors and their
messages) must be handed to the round-trip parser, so the answer is the same either way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from conftest import SHARED
from pubdoctor.errors import InputError
from pubdoctor.sources import yamlfile
from pubdoctor.sources.yamlfile import parse_yaml, trailing_comment

pytestmark = pytest.mark.skipif(
    getattr(YAML(typ="safe", pure=False).Parser, "__name__", "") != "CParser",
    reason="ruamel.yaml.clib is not installed")

DOCUMENTS = {
    "workflow": """\
name: Release
on:
  push:
    tags: ["v*"]
  workflow_dispatch:
permissions: {}
jobs:
  publish:
    runs-on: ubuntu-latest
    environment:
      name: pypi
    permissions:
      id-token: write
    steps:
      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2
        with:
          fetch-depth: 0
      - uses: 'pypa/gh-action-pypi-publish@release/v1'   # the action
      - run: |
          uv build
          ls dist
      - run: >-
          python -m
          build
""",
    "scalars": "a: yes\nb: on\nc: 0o17\nd: 0x1F\ne: 1_000\nf: 1.5e3\ng: .inf\nh: ~\ni: null\nj: True\n"
               "k: '012'\nl: \"tab\\there\"\nn: -0\n",
    "flow": "jobs: {a: {steps: [{run: x}, {uses: y}]}, b: [1, 2, {c: d}]}\n",
    "aliases": "x: &a {k: [1, 2]}\ny: *a\nz: [*a, *a]\n",
    "documents": "---\n---\n# only a comment\n---\nname: third\n",
    "crlf": "name: crlf\r\non: push\r\njobs:\r\n  a:\r\n    runs-on: x # c\r\n",
    "unicode": "name: \"📦 publish\"\njobs:\n  ü:\n    steps:\n      - run: echo ✓\n",
    "empty": "",
    "scalar document": "just a string\n",
    "comments": "a: 1  # one\nb:   # none here\n  c: 2\nd: [1] # flow\ne: 'q' #x\n",
}
FALLBACK = {
    "duplicate key": "on: push\non: pull_request\n",
    "merge key": "base: &b {a: 1}\nderived:\n  <<: *b\n  c: 2\n",
    "custom tag": "a: !Ref x\n",
    "timestamp": "on: 2024-01-01\n",
    "complex key": "? [a, b]\n: c\n",
    "syntax error": "jobs:\n  a: b: c\n",
    "bad indentation": "a:\n  - b\n c: d\n",
}


def _round_trip(text: str) -> Any:
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = True
    for document in yaml.load_all(text):
        if document is not None:
            return document
    return None


def _differences(slow: Any, fast: Any, path: str = "") -> list[str]:
    if isinstance(slow, dict):
        if not isinstance(fast, dict) or list(slow) != list(fast):
            return [f"{path}: keys {list(slow)} != {list(fast) if isinstance(fast, dict) else fast!r}"]
        found = []
        if (slow.lc.line, slow.lc.col) != (fast.lc.line, fast.lc.col):
            found.append(f"{path}: mapping position")
        for key in slow:
            if slow.lc.key(key) != fast.lc.key(key):
                found.append(f"{path}/{key}: key position {slow.lc.key(key)} != {fast.lc.key(key)}")
            # A null value has no token: the round-trip parser places it at the next token,
            # the fast path right after the key. Rules never point at a missing value.
            if slow[key] is not None and slow.lc.value(key) != fast.lc.value(key):
                found.append(f"{path}/{key}: value position {slow.lc.value(key)} != {fast.lc.value(key)}")
            if not isinstance(slow[key], (dict, list)):
                # Only the comment on the value's own line: the round-trip parser also hangs
                # the comment lines after a block scalar on its key, which is not "after" it.
                token = slow.ca.items.get(key)
                comment = token[2] if token and len(token) > 2 else None
                on_line = comment is not None and comment.start_mark.line == slow.lc.value(key)[0]
                expected = (trailing_comment(slow, key) or "").splitlines()[:1] if on_line else []
                if expected != (trailing_comment(fast, key) or "").splitlines()[:1]:
                    found.append(f"{path}/{key}: comment {expected} != {trailing_comment(fast, key)!r}")
            found += _differences(slow[key], fast[key], f"{path}/{key}")
        return found
    if isinstance(slow, list):
        if not isinstance(fast, list) or len(slow) != len(fast):
            return [f"{path}: sequence {slow!r} != {fast!r}"]
        found = [f"{path}[{i}]: item position" for i in range(len(slow)) if slow.lc.item(i) != fast.lc.item(i)]
        for index, (a, b) in enumerate(zip(slow, fast)):
            found += _differences(a, b, f"{path}[{index}]")
        return found
    same_type = isinstance(fast, type(slow)) or isinstance(slow, type(fast))
    return [] if slow == fast and same_type and str(slow) == str(fast) else [f"{path}: {slow!r} != {fast!r}"]


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_fast_path_equals_round_trip(name: str) -> None:
    text = DOCUMENTS[name]
    fast = yamlfile._first_document_fast(text)
    assert fast is not yamlfile._UNSURE
    assert _differences(_round_trip(text), fast) == []


def test_the_comment_after_uses_is_read() -> None:
    document = yamlfile._first_document_fast(DOCUMENTS["workflow"])
    steps = document["jobs"]["publish"]["steps"]
    assert trailing_comment(steps[0], "uses") == "# v6.0.2"
    assert trailing_comment(steps[1], "uses") == "# the action"
    assert trailing_comment(steps[2], "run") is None


def test_aliases_stay_shared() -> None:
    document = yamlfile._first_document_fast(DOCUMENTS["aliases"])
    assert document["y"] is document["x"] and document["z"][0] is document["x"]


@pytest.mark.parametrize("name", sorted(FALLBACK))
def test_what_the_fast_path_cannot_reproduce_goes_to_the_round_trip_parser(name: str) -> None:
    text = FALLBACK[name]
    assert yamlfile._first_document_fast(text) is yamlfile._UNSURE


def test_fallback_keeps_the_round_trip_answers() -> None:
    problems: list[InputError] = []
    document = parse_yaml(FALLBACK["duplicate key"], "w.yml", problems)
    assert document["on"] == "push"
    assert [(p.line, "duplicate key" in str(p)) for p in problems] == [(2, True)]
    assert parse_yaml(FALLBACK["merge key"], "w.yml")["derived"]["a"] == 1
    with pytest.raises(InputError, match=r"invalid YAML: mapping values are not allowed here \(line 2"):
        parse_yaml(FALLBACK["syntax error"], "w.yml")


CORPUS = sorted((SHARED / "corpus" / "real-world").glob("*/.github/workflows/*.y*ml"))


@pytest.mark.skipif(not CORPUS, reason="../shared/corpus is not available")
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parents[2].name}/{p.name}")
def test_corpus_workflows_read_the_same(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast = yamlfile._first_document_fast(text)
    if fast is yamlfile._UNSURE:
        pytest.skip("handed to the round-trip parser")
    assert _differences(_round_trip(text), fast) == []
