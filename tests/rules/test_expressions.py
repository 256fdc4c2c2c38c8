"""The ``if:`` evaluator behind PD103 and PD108: three-valued, never raising."""

from __future__ import annotations

import pytest

from pubdoctor.sources.expressions import (UNKNOWN, condition_value, evaluate, expression_text, parse,
                                           scenario_for, uses_status_function)

TAG_PUSH = scenario_for("push", {"tags": ["v*"]})
PR = scenario_for("pull_request")


@pytest.mark.parametrize("text, scenario, expected", [
    ("startsWith(github.ref, 'refs/tags/')", TAG_PUSH, True),
    ("startsWith(github.ref, 'refs/tags/')", PR, False),
    ("startsWith(github.ref, 'refs/tags/v')", TAG_PUSH, UNKNOWN),
    ("github.event_name == 'PUSH'", TAG_PUSH, True),  # comparisons ignore case
    ("github.event_name == 'push' || inputs.force", PR, UNKNOWN),
    ("github.event_name == 'push' && inputs.force", PR, False),
    ("!(github.event_name == 'pull_request')", PR, False),
    ("github.event.release.tag_name == 'v1'", TAG_PUSH, False),  # property of null is null
    ("contains(github.event_name, 'pull')", PR, True),
    ("github.ref == 'refs/heads/main'", PR, False),
    ("always()", PR, True),
    ("steps.x.outputs['y'] == 'z'", PR, UNKNOWN),
])
def test_evaluate(text: str, scenario, expected) -> None:
    value = evaluate(parse(text), scenario)
    assert value is expected or value == expected


@pytest.mark.parametrize("text", ["github.ref ==", "((", "'unterminated", "a ~ b", "", "x" * 5000])
def test_malformed_expressions_are_unknown(text: str) -> None:
    assert evaluate(parse(text), PR) is UNKNOWN


def test_expression_text_forms() -> None:
    assert expression_text(None) is None
    assert expression_text(False) == "false"
    assert expression_text("${{ a == 'b' }}") == "a == 'b'"
    assert expression_text("release ${{ a }}") == "true"  # a non-empty string is true
    assert condition_value([None, "github.event_name == 'pull_request'"], PR) is True
    assert uses_status_function("${{ always() && x }}")
    assert not uses_status_function("success()")
