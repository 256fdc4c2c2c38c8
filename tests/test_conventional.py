"""The Conventional Commits 1.0.0 parser, on the specification's own examples and its rules.

Examples from https://www.conventionalcommits.org/en/v1.0.0/#examples.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pubdoctor.conventional import ConventionalCommit, Footer, NotConventional, parse
from pubdoctor.hooks.commit_msg import clean


def test_description_and_breaking_change_footer() -> None:
    commit = parse("feat: allow provided config object to extend other configs\n\n"
                   "BREAKING CHANGE: `extends` key in config file is now used for extending "
                   "other config files")
    assert (commit.type, commit.scope, commit.bang) == ("feat", None, False)
    assert commit.description == "allow provided config object to extend other configs"
    assert commit.body == ""
    assert commit.footers == (Footer("BREAKING CHANGE", "`extends` key in config file is now "
                                                        "used for extending other config files"),)
    assert commit.breaking


def test_bang_draws_attention_to_breaking_change() -> None:
    commit = parse("feat!: send an email to the customer when a product is shipped")
    assert commit.type == "feat" and commit.bang and commit.breaking


def test_scope_and_bang() -> None:
    commit = parse("feat(api)!: send an email to the customer when a product is shipped")
    assert (commit.type, commit.scope, commit.bang) == ("feat", "api", True)


def test_both_bang_and_breaking_change_footer() -> None:
    commit = parse("chore!: drop support for Node 6\n\n"
                   "BREAKING CHANGE: use JavaScript features not available in Node 6.")
    assert commit.bang and commit.breaking
    assert commit.footer("BREAKING CHANGE") == "use JavaScript features not available in Node 6."


def test_no_body() -> None:
    commit = parse("docs: correct spelling of CHANGELOG")
    assert (commit.type, commit.description, commit.body, commit.footers) == (
        "docs", "correct spelling of CHANGELOG", "", ())
    assert not commit.breaking


def test_scope() -> None:
    commit = parse("feat(lang): add Polish language")
    assert (commit.type, commit.scope, commit.description) == ("feat", "lang", "add Polish language")


def test_multi_paragraph_body_and_multiple_footers() -> None:
    commit = parse(
        "fix: prevent racing of requests\n\n"
        "Introduce a request id and a reference to latest request. Dismiss\n"
        "incoming responses other than from latest request.\n\n"
        "Remove timeouts which were used to mitigate the racing issue but are\n"
        "obsolete now.\n\n"
        "Reviewed-by: Z\n"
        "Refs: #123\n"
    )
    assert commit.body == (
        "Introduce a request id and a reference to latest request. Dismiss\n"
        "incoming responses other than from latest request.\n\n"
        "Remove timeouts which were used to mitigate the racing issue but are\n"
        "obsolete now."
    )
    assert commit.footers == (Footer("Reviewed-by", "Z"), Footer("Refs", "#123"))
    assert not commit.breaking


def test_revert_example_from_the_faq() -> None:
    commit = parse("revert: let us never again speak of the noodle incident\n\nRefs: 676104e, a215868")
    assert commit.type == "revert" and commit.footer("refs") == "676104e, a215868"


def test_hash_separator_and_multiline_footer_value() -> None:
    commit = parse("fix: x\n\nCloses #42\nBREAKING-CHANGE: the config\n  is read differently")
    assert commit.footers == (Footer("Closes", "42"),
                              Footer("BREAKING-CHANGE", "the config\n  is read differently"))
    assert commit.breaking  # rule 16: BREAKING-CHANGE is a synonym


def test_types_are_not_case_sensitive_but_breaking_change_is() -> None:
    assert parse("FEAT: shout").type == "FEAT"  # rule 15: parsers must accept it
    assert not parse("fix: x\n\nbreaking change: lower case is a body line").breaking
    assert not parse("fix: x\n\nBreaking-Change: not uppercase").breaking


def test_body_that_looks_like_a_footer_is_body_when_followed_by_text() -> None:
    commit = parse("fix: x\n\nNote: first paragraph.\n\nplain second paragraph")
    assert commit.footers == ()
    assert commit.body.startswith("Note: first paragraph.")


@pytest.mark.parametrize(("message", "rule", "words"), [
    ("", 1, "empty"),
    ("Update the README", 1, "no `type: ` prefix"),
    ("feat:missing space", 1, "followed by a space"),
    ("feat : space before colon", 1, "space before the colon"),
    ("two words: not a type", 1, "not a type"),
    ("feat(): empty scope", 4, "scope"),
    ("feat(api: unclosed", 4, "scope"),
    ("feat!(api): bang before scope", 13, "after the scope"),
    ("feat: ", 5, "empty"),
    ("feat:  two spaces", 5, "single space"),
    ("feat: x\nno blank line", 6, "blank"),
])
def test_rule_broken_is_named(message: str, rule: int, words: str) -> None:
    with pytest.raises(NotConventional) as info:
        parse(message)
    assert info.value.rule == rule
    assert words in info.value.problem
    assert info.value.rule_text


# --- properties -------------------------------------------------------------------------------

WORD = st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)


@given(kind=WORD, scope=st.none() | WORD, bang=st.booleans(),
       description=TEXT.filter(lambda t: t.strip() == t and t))
def test_any_well_formed_header_round_trips(kind: str, scope: str | None, bang: bool,
                                            description: str) -> None:
    header = f"{kind}{f'({scope})' if scope else ''}{'!' if bang else ''}: {description}"
    commit = parse(header)
    assert commit == ConventionalCommit(type=kind, scope=scope, bang=bang, description=description)
    assert commit.header == header and commit.breaking == bang


@given(st.text(max_size=300))
def test_parse_never_fails_otherwise(message: str) -> None:
    try:
        parse(message)
    except NotConventional as exc:
        assert exc.rule in (1, 4, 5, 6, 13)


@given(st.text(max_size=300))
def test_git_cleanup_is_idempotent(message: str) -> None:
    assert clean(clean(message)) == clean(message)
