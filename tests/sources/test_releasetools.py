"""Release tool detection and how each tool reads a commit message."""

from __future__ import annotations

import sys
from pathlib import Path

from pubdoctor.sources.releasetools import (CZ, NPM_SR, PSR, RELEASE_PLEASE, detect, step_tool,
                                            tools_from_pyproject)
from pubdoctor.sources.workflows import load_workflows

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def tools(text: str) -> dict:
    return {t.name: t for t in tools_from_pyproject(tomllib.loads(text))}


def test_psr_defaults_are_case_sensitive_and_need_an_allowed_tag() -> None:
    psr = tools("[tool.semantic_release]\n")[PSR]
    assert psr.tag_formats == ("v{version}",)
    assert psr.judge("feat: x").bump == "minor"
    assert psr.judge("fix(api): x").bump == "patch"
    assert psr.judge("perf: x").bump == "patch"
    assert psr.judge("docs: x").understood and psr.judge("docs: x").bump is None
    assert psr.judge("chore!: x").bump == "major"
    assert psr.judge("fix: x\n\nBREAKING CHANGE: y").bump == "major"
    assert not psr.judge("Feat: x").understood
    assert not psr.judge("revert: x").understood  # not in PSR's default allowed tags
    assert not psr.judge("Update README").understood


def test_psr_v8_options_and_v7_settings() -> None:
    v8 = tools("""
        [tool.semantic_release]
        tag_format = "release-{version}"
        [tool.semantic_release.commit_parser_options]
        allowed_tags = ["feature", "bugfix", "docs"]
        minor_tags = ["feature"]
        patch_tags = ["bugfix"]
    """.replace("        ", ""))[PSR]
    assert v8.tag_formats == ("release-{version}",)
    assert v8.judge("feature: x").bump == "minor" and v8.judge("bugfix: x").bump == "patch"
    assert not v8.judge("feat: x").understood
    v7 = tools('[tool.semantic_release]\nparser_angular_allowed_types = "feat, fix, docs"\n'
               'parser_angular_patch_types = "fix"\n')[PSR]
    assert v7.allowed_types == ("feat", "fix", "docs") and v7.judge("docs: x").bump is None
    emoji = tools('[tool.semantic_release]\ncommit_parser = "emoji"\n')[PSR]
    assert not emoji.modelled


def test_commitizen_conventional_and_customize() -> None:
    cz = tools('[tool.commitizen]\ntag_format = "v$version"\n')[CZ]
    assert cz.tag_formats == ("v{version}",)
    assert cz.judge("feat: x").bump == "minor"
    assert cz.judge("refactor: x").bump == "patch"
    assert cz.judge("docs: x").understood and cz.judge("docs: x").bump is None
    assert cz.judge("fix!: x").bump == "major"
    assert cz.judge("Merge pull request #1 from a/b").understood  # cz check's allowed prefixes
    assert not cz.judge("Update README").understood
    assert not cz.judge("wip: x").understood
    assert tools("[tool.commitizen]\n")[CZ].tag_formats == ("{version}",)  # commitizen's default
    custom = tools("""
[tool.commitizen]
name = "cz_customize"
[tool.commitizen.customize]
schema_pattern = "(feature|bug fix):(\\\\s.*)"
bump_pattern = "^(break|new|fix|hotfix)"
bump_map = {"break" = "MAJOR", "new" = "MINOR", "fix" = "PATCH", "hotfix" = "PATCH"}
""")[CZ]
    assert custom.modelled
    assert custom.judge("feature: x").understood and not custom.judge("feat: x").understood
    jira = tools('[tool.commitizen]\nname = "cz_jira"\n')[CZ]
    assert not jira.modelled


def test_release_please_config(tmp_path: Path) -> None:
    (tmp_path / "release-please-config.json").write_text(
        '{"release-type": "python", "include-v-in-tag": false, "packages": {".": {'
        '"changelog-sections": [{"type": "feat", "section": "Features"},'
        '{"type": "docs", "section": "Docs"}, {"type": "chore", "hidden": true}]}}}')
    found = {t.name: t for t in detect(tmp_path, {}, None)}
    rp = found[RELEASE_PLEASE]
    assert rp.release_type == "python" and rp.tag_formats[0] == "{version}"
    assert rp.judge("docs: x").bump == "patch"  # a visible section makes a release
    assert rp.judge("chore: x").bump is None
    assert rp.judge("Feat: x").bump == "minor"  # the spec: types are case-insensitive
    assert rp.judge("chore: x\n\nRelease-As: 2.0.0").bump == "patch"


def test_semantic_release_npm_angular_preset_does_not_read_bang(tmp_path: Path) -> None:
    (tmp_path / ".releaserc.json").write_text('{"branches": ["main"]}')
    sr = {t.name: t for t in detect(tmp_path, {}, None)}[NPM_SR]
    assert sr.judge("feat: x").bump == "minor"
    assert not sr.judge("feat!: x").understood
    assert "angular" in sr.judge("feat!: x").reason
    assert sr.judge("fix: x\n\nBREAKING CHANGE: y").bump == "major"
    (tmp_path / ".releaserc.json").write_text(
        '{"plugins": [["@semantic-release/commit-analyzer", {"preset": "conventionalcommits"}]]}')
    sr = {t.name: t for t in detect(tmp_path, {}, None)}[NPM_SR]
    assert sr.judge("feat!: x").bump == "major"


def test_workflow_steps() -> None:
    assert step_tool("python-semantic-release/python-semantic-release@v9", None) == PSR
    assert step_tool(None, "semantic-release -v version --no-push") == PSR
    assert step_tool(None, "uvx --from python-semantic-release semantic-release version") == PSR
    assert step_tool(None, "python -m semantic_release publish") == PSR
    assert step_tool(None, "npx semantic-release") == NPM_SR
    assert step_tool(None, "cz --no-raise 21 bump --yes") == CZ
    assert step_tool("commitizen-tools/commitizen-action@master", None) == CZ
    assert step_tool("googleapis/release-please-action@v4", None) == RELEASE_PLEASE
    assert step_tool(None, "pip install python-semantic-release") is None
    assert step_tool(None, "cz check --rev-range HEAD~1..HEAD") is None


def test_tool_found_only_in_a_workflow_uses_its_defaults(tmp_path: Path) -> None:
    workflow = tmp_path / ".github" / "workflows" / "release.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("on: push\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n"
                        "      - uses: googleapis/release-please-action@v4\n"
                        "        with:\n          release-type: python\n"
                        "      - run: cz bump --yes\n")
    found = {t.name: t for t in detect(tmp_path, {}, load_workflows(tmp_path))}
    assert found[RELEASE_PLEASE].release_type == "python" and found[RELEASE_PLEASE].in_workflow
    assert found[CZ].in_workflow and found[CZ].parser == "cz_conventional_commits"


def test_psr_reads_squash_merges_listing_conventional_commits() -> None:
    psr = tools("[tool.semantic_release]\n")[PSR]
    squash = "Add the export command (#12)\n\n* feat: export to json\n\n* docs: usage of export\n"
    assert psr.judge(squash).bump == "minor"
    off = tools("[tool.semantic_release.commit_parser_options]\nparse_squash_commits = false\n")[PSR]
    assert not off.judge(squash).understood
    assert not psr.judge("Add things\n\n* fix: #12\n").understood  # one word: a footer, not a commit


def test_semantic_release_simple_release_rules(tmp_path: Path) -> None:
    (tmp_path / ".releaserc.yml").write_text(
        "plugins:\n"
        "  - - '@semantic-release/commit-analyzer'\n"
        "    - releaseRules:\n"
        "        - {type: docs, release: patch}\n"
        "        - {type: perf, release: false}\n")
    sr = {t.name: t for t in detect(tmp_path, {}, None)}[NPM_SR]
    assert sr.judge("docs: x").bump == "patch"
    assert sr.judge("perf: x").bump is None
    assert sr.judge("fix: x").bump == "patch"


def test_psr_reads_what_its_own_pattern_reads() -> None:
    psr = tools("[tool.semantic_release]\n")[PSR]
    assert psr.judge("feat:  two spaces").bump == "minor"  # `:\s+`, laxer than the spec
    assert psr.judge("fix(a (b)): nested scope").bump == "patch"
    assert psr.judge("fix: first line\nsecond line without a blank").bump == "patch"
    assert not psr.judge("feat:no space").understood
    assert "rule 1" in psr.judge("feat:no space").reason


def test_commitizen_tag_format_spelled_out_in_parts() -> None:
    """commitizen's tag_format may name the parts (`$major.$minor.$patch`, then `$prerelease`,
    `$devrelease`): `ver$major.$minor.$patch.$prerelease` tags 1.2.3a0 as `ver1.2.3.a0`."""
    from pubdoctor.sources.history import tag_version

    def formats(template: str) -> tuple[str, ...]:
        return tools(f'[tool.commitizen]\ntag_format = "{template}"\n')[CZ].tag_formats

    assert formats("v$major.$minor.$patch") == ("v{version}",)
    assert formats("$major.$minor.$patch$prerelease") == ("{version}",)
    assert formats("ver$major.$minor.$patch.$prerelease") == ("ver{version}",)
    assert formats("release-${major}.${minor}.${patch}") == ("release-{version}",)
    assert str(tag_version("ver1.2.3.a0", formats("ver$major.$minor.$patch.$prerelease"))) == "1.2.3a0"
    assert tag_version("1.2.3", formats("release-$major.$minor.$patch")) is None


def test_commitizen_configuration_files_beside_pyproject(tmp_path: Path) -> None:
    """commitizen reads `.cz.toml`, `.cz.json`, `cz.json`, `.cz.yaml`, `cz.yaml`, `cz.toml` when
    pyproject.toml has no `[tool.commitizen]`; its rules and tag format come from there."""
    customize = ('[tool.commitizen]\nname = "cz_customize"\ntag_format = "v$version"\n'
                 '[tool.commitizen.customize]\nschema_pattern = "(feat|fix|nix):(\\\\s.*)"\n'
                 'bump_pattern = "^(feat|fix)"\nbump_map = {feat = "MINOR", fix = "PATCH"}\n')
    (tmp_path / ".cz.toml").write_text(customize)
    cz = {t.name: t for t in detect(tmp_path, {}, load_workflows(tmp_path))}[CZ]
    assert cz.found_in == ".cz.toml" and cz.tag_formats == ("v{version}",)
    assert cz.judge("nix: flake update").understood and cz.judge("nix: flake update").bump is None
    assert not cz.judge("docs: readme").understood
    (tmp_path / ".cz.toml").unlink()
    (tmp_path / "cz.yaml").write_text("commitizen:\n  name: cz_conventional_commits\n  tag_format: rel-$version\n")
    cz = {t.name: t for t in detect(tmp_path, {}, load_workflows(tmp_path))}[CZ]
    assert cz.found_in == "cz.yaml" and cz.tag_formats == ("rel-{version}",)
    (tmp_path / ".cz.json").write_text('{"commitizen": {"major_version_zero": true}}')
    cz = {t.name: t for t in detect(tmp_path, {}, load_workflows(tmp_path))}[CZ]
    assert cz.found_in == ".cz.json" and not cz.major_on_zero
    pyproject = tomllib.loads('[tool.commitizen]\ntag_format = "v$version"\n')
    cz = {t.name: t for t in detect(tmp_path, pyproject, load_workflows(tmp_path))}[CZ]
    assert cz.found_in.startswith("pyproject.toml")  # pyproject.toml comes first
    (tmp_path / ".cz.json").write_text("{not json")
    (tmp_path / "cz.yaml").write_text("commitizen: [unclosed\n")
    assert CZ not in {t.name for t in detect(tmp_path, {}, load_workflows(tmp_path))}


def test_commitizen_legacy_tag_formats_are_release_tags() -> None:
    """`legacy_tag_formats` lists the formats commitizen still reads as releases after a change."""
    cz = tools('[tool.commitizen]\ntag_format = "v$version"\n'
               'legacy_tag_formats = ["${version}", "release-$major.$minor.$patch", 3]\n')[CZ]
    assert cz.tag_formats == ("v{version}", "{version}", "release-{version}")


def test_psr_reads_the_file_named_by_config(tmp_path: Path) -> None:
    """`semantic-release -c releaserc.toml version` reads that file (`[semantic_release]` or
    `[tool.semantic_release]`; `semantic_release` in JSON) instead of pyproject.toml."""
    workflow = tmp_path / ".github" / "workflows" / "release.yml"
    workflow.parent.mkdir(parents=True)
    step = "      - run: semantic-release -v --config releaserc.toml version\n"
    workflow.write_text("on: push\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n" + step)
    (tmp_path / "releaserc.toml").write_text(
        '[semantic_release]\ntag_format = "pkg-v{version}"\n'
        '[semantic_release.commit_parser_options]\nallowed_tags = ["feat", "fix", "deps"]\n'
        'patch_tags = ["fix", "deps"]\n')
    pyproject = tomllib.loads('[tool.semantic_release]\ntag_format = "v{version}"\n')
    psr = {t.name: t for t in detect(tmp_path, pyproject, load_workflows(tmp_path))}[PSR]
    assert psr.found_in == "releaserc.toml" and psr.tag_formats == ("pkg-v{version}",)
    assert psr.judge("deps: bump x").bump == "patch" and psr.in_workflow
    workflow.write_text(workflow.read_text().replace("--config releaserc.toml", "-c=release.json"))
    (tmp_path / "release.json").write_text('{"semantic_release": {"tag_format": "r{version}"}}')
    psr = {t.name: t for t in detect(tmp_path, {}, load_workflows(tmp_path))}[PSR]
    assert psr.found_in == "release.json" and psr.tag_formats == ("r{version}",)
    (tmp_path / "release.json").write_text("{broken")
    psr = {t.name: t for t in detect(tmp_path, {}, load_workflows(tmp_path))}[PSR]
    assert psr.found_in.endswith("(no configuration: the defaults)")
    assert step_tool(None, "semantic-release -c releaserc.toml version --no-push") == PSR
    assert step_tool(None, "semantic-release --config releaserc.toml publish") == PSR

def test_psr_default_bump_level_of_the_wrong_type_is_no_level() -> None:
    for value in ("[1]", "{a = 1}", "true", "1.5"):
        psr = tools(f"[tool.semantic_release.commit_parser_options]\ndefault_bump_level = {value}\n")[PSR]
        assert psr.default_bump is None
        psr = tools(f"[tool.semantic_release]\nparser_angular_default_level_bump = {value}\n")[PSR]
        assert psr.default_bump is None


def test_release_tool_json_nested_too_deep_or_too_large_is_an_unknown_config(tmp_path: Path) -> None:
    from pubdoctor.sources.releasetools import _read_json

    deep = tmp_path / "release-please-config.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    assert _read_json(deep) is None
    huge = tmp_path / "package.json"
    huge.write_bytes(b'{"x": "' + b"a" * (3 * 1024 * 1024) + b'"}')
    assert _read_json(huge) is None
    binary = tmp_path / ".releaserc"
    binary.write_bytes(b"\x00\xff" * 10)
    assert _read_json(binary) is None
    assert RELEASE_PLEASE in {t.name for t in detect(tmp_path, {}, None)}


def test_npm_semantic_release_config_of_the_wrong_shape_reads_as_the_defaults(tmp_path: Path) -> None:
    from pubdoctor.sources.releasetools import _semantic_release

    for config in ({"tagFormat": 3, "plugins": 3}, {"tagFormat": None, "plugins": "x"},
                   {"plugins": [["@semantic-release/commit-analyzer", {"preset": 3, "releaseRules": 3}],
                                ["@semantic-release/commit-analyzer", {"releaseRules": "x"}],
                                ["@semantic-release/commit-analyzer", {"releaseRules": [1, {}]}],
                                ["@semantic-release/commit-analyzer", "x"], [], [3], 3, None]}):
        tool = _semantic_release(".releaserc", config)
        assert tool.tag_formats == ("v{version}",)
        assert tool.parser == "angular-preset"
        assert tool.bump_map == {}


def test_releaserc_json_is_read_as_json_only(tmp_path: Path) -> None:
    from pubdoctor.sources.releasetools import _npm_config

    (tmp_path / ".releaserc.json").write_text("tagFormat: 'r${version}'\n")  # YAML, not JSON
    assert _npm_config(tmp_path) == (".releaserc.json", None)
    (tmp_path / ".releaserc.json").unlink()
    (tmp_path / ".releaserc").write_text("tagFormat: 'r${version}'\n")
    assert _npm_config(tmp_path) == (".releaserc", {"tagFormat": "r${version}"})
