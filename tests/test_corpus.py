"""The real-world corpus (../shared/corpus/real-world): every project loads, and the workflow
rules (PD1xx) find exactly what is expected in each.

The expectations are data, one entry per project: ``(code, path, line)`` of every PD1xx
finding. Projects whose MANIFEST note says PROBLEM and concern workflows, and what covers them:

- AleCandido__slipy, 0x656b694d__qyaml: `gh-action-pypi-publish@master` -> PD104.
- ASEM000__serket: PYPI_USERNAME / PYPI_PASSWORD secrets -> PD106.
- 1darshanpatil__dropit: API token -> PD110 (its `skip-existing` is the index helper's PD4xx).
- AlBaneo93__transactional_sqlalchemy: `workflow_run` + `head_branch` compared with
  `refs/tags/` -> PD108 on both publish jobs (and PD102 on the build job's id-token);
  `uv publish --repository` (twine's option) -> PD112.
- AI-READI__pyfairdatatools: re-upload is the index helper's; here a `pull_request` trigger
  with no restriction on the TestPyPI workflow -> PD103, and API tokens -> PD110.
- 7jameslondon__MagTrack (SUSPECT, environment reuse: PD2xx): only the PD107 hardening note.
- pypa__sampleproject (skip-existing on every push: PD4xx): PD105, build and publish in one job.
- 2captcha__2captcha-python: `continue-on-error` on the TestPyPI upload -> PD109 (info).

The second batch (11 projects), judged by hand against the MANIFEST notes:

- 3mcloud__falcano: twine with PYPI_USERNAME/PYPI_PASSWORD -> PD106 (error: PyPI refuses passwords).
- ARizzo35__python-eeprom: `gh-action-pypi-publish@master` twice -> PD104; API tokens -> PD110;
  `continue-on-error` on the TestPyPI upload -> PD109 (info).
- 5had3z__konductor, AMOCcommunity__amocarray, DavisDmitry__pyCubes: build and upload in one
  job with `id-token: write` -> PD105 (warning). amocarray's production upload from
  environment `test` (SUSPECT) is a publisher question (PD2xx), not a workflow one.
- samuelcolvin__watchfiles: only the PD107 hardening note (artifact upload without
  `if-no-files-found`).
- astropy__reproject (id-token on a job calling a remote tox workflow: codecov OIDC, legitimate),
  encode__httpx (the upload is inside `scripts/publish`, which is not in the corpus: unknown, so
  silent), pallets__flask, pypa__cibuildwheel: nothing.
- pypa__setuptools-scm: PD113 (warning) on both PyPI upload jobs: each uploads on a tag `push`
  and on `release: published` of that tag, so a tag pushed from git and then released uploads
  twice and the second run fails with `File already exists` (their usual path, tags made with
  GITHUB_TOKEN and a dispatched run, starts neither event; the overlap is still there).
- 2franix__rpi-controls (PROBLEM: account username/password through a reusable workflow):
  PD106. The called workflow uploads with `twine upload --repository ${{ inputs.repo_name }}`;
  its two callers pass `testpypi` or take the input's default `pypi`, so the index is known
  (a called workflow's inputs are resolved from the callers' literal `with:` values and the
  default, as GitHub documents for `workflow_call`).

Only PD1xx codes are compared, so rules of other families can grow without touching this file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SHARED, run_cli

CORPUS = SHARED / "corpus" / "real-world"
PROJECTS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []
pytestmark = pytest.mark.skipif(not PROJECTS, reason="../shared/corpus is not available")

EXPECTED: dict[str, list[tuple[str, str, int]]] = {
    '0x656b694d__qyaml': [
        ('PD104', '.github/workflows/python-publish.yml', 33),
        ('PD110', '.github/workflows/python-publish.yml', 35),
    ],
    '0xabu__pdfannots': [
        ('PD110', '.github/workflows/python-publish.yml', 37),
    ],
    '0xzer0x__netmon-proc': [
        ('PD105', '.github/workflows/deploy.yml', 41),
    ],
    '15532th__avtdl': [
        ('PD105', '.github/workflows/publish-pypi.yml', 32),
    ],
    '1darshanpatil__dropit': [
        ('PD107', '.github/workflows/publish-to-pypi.yml', 35),
        ('PD110', '.github/workflows/publish-to-pypi.yml', 100),
    ],
    '1ops-eu__nodeforge': [
        ('PD102', '.github/workflows/pypi.yml', 11),
        ('PD107', '.github/workflows/pypi.yml', 41),
        ('PD107', '.github/workflows/pypi.yml', 47),
        ('PD107', '.github/workflows/pypi.yml', 53),
    ],
    '26zl__pygofastproxy': [
        ('PD107', '.github/workflows/python-publish.yml', 31),
    ],
    '2captcha__2captcha-python': [
        ('PD109', '.github/workflows/publish-to-pypi.yml', 29),
        ('PD110', '.github/workflows/publish-to-pypi.yml', 32),
        ('PD110', '.github/workflows/publish-to-pypi.yml', 38),
    ],
    '7jameslondon__MagTrack': [
        ('PD107', '.github/workflows/publish-to-pypi.yml', 26),
        ('PD107', '.github/workflows/publish-to-testpypi.yml', 25),
    ],
    '7yl4r__dwc_tools': [
        ('PD107', '.github/workflows/pypi.yml', 42),
    ],
    'A1EF__airflow-clickhouse-plugin': [
        ('PD107', '.github/workflows/publish-to-pypi.yml', 62),
    ],
    'AI-READI__pyfairdatatools': [
        ('PD110', '.github/workflows/publish-to-pypi-beta.yml', 45),
        ('PD110', '.github/workflows/publish-to-pypi.yml', 52),
        ('PD103', '.github/workflows/publish-to-test-pypi.yml', 16),
        ('PD110', '.github/workflows/publish-to-test-pypi.yml', 53),
    ],
    'ASEM000__serket': [
        ('PD106', '.github/workflows/pypi.yml', 18),
    ],
    'AetherMagee__async-lru-cache': [
        ('PD105', '.github/workflows/publish-to-pypi.yml', 33),
    ],
    'AlBaneo93__transactional_sqlalchemy': [
        ('PD102', '.github/workflows/publish-with-uv.yaml', 15),
        ('PD107', '.github/workflows/publish-with-uv.yaml', 52),
        ('PD108', '.github/workflows/publish-with-uv.yaml', 62),
        ('PD112', '.github/workflows/publish-with-uv.yaml', 99),
        ('PD108', '.github/workflows/publish-with-uv.yaml', 106),
    ],
    'AleCandido__slipy': [
        ('PD104', '.github/workflows/pypi.yml', 40),
        ('PD110', '.github/workflows/pypi.yml', 42),
    ],
    'Amsterdam__schema-tools': [
        ('PD105', '.github/workflows/publish-to-pypi.yml', 32),
    ],
    'PyO3__maturin': [
        ('PD107', '.github/workflows/release.yml', 31),
    ],
    'PyWavelets__pywt': [
        ('PD107', '.github/workflows/wheel_tests_and_release.yml', 86),
        ('PD110', '.github/workflows/wheel_tests_and_release.yml', 241),
    ],
    'aio-libs__aiohttp': [
        ('PD107', '.github/workflows/ci-cd.yml', 129),
    ],
    'ansible__ansible-lint': [],
    'astral-sh__ruff': [],
    'browniebroke__deezer-python': [
        # info: the SHA pin is v1.14.2's commit, its comment says `release/v1` (issue 11)
        ('PD104', '.github/workflows/ci.yml', 119),
    ],
    'commitizen-tools__commitizen': [
        ('PD105', '.github/workflows/pythonpublish.yml', 41),
    ],
    'fastapi__fastapi': [
        ('PD105', '.github/workflows/publish.yml', 36),
    ],
    'hynek__structlog': [
        ('PD104', '.github/workflows/pypi-package.yml', 57),
        ('PD104', '.github/workflows/pypi-package.yml', 80),
    ],
    'openai__openai-python': [],
    'pdm-project__pdm': [
        ('PD105', '.github/workflows/release.yml', 38),
    ],
    'psf__black': [
        ('PD107', '.github/workflows/pypi_upload.yml', 94),
        ('PD107', '.github/workflows/pypi_upload.yml', 129),
    ],
    'pybind__scikit_build_example': [
        ('PD107', '.github/workflows/wheels.yml', 35),
    ],
    'pydantic__pydantic': [
        ('PD107', '.github/workflows/ci.yml', 65),
        ('PD107', '.github/workflows/ci.yml', 613),
        ('PD104', '.github/workflows/ci.yml', 1003),
    ],
    'pypa__flit': [
        ('PD105', '.github/workflows/test.yml', 70),
    ],
    'pypa__hatch': [
        ('PD102', '.github/workflows/build-hatch.yml', 589),
    ],
    'pypa__sampleproject': [
        ('PD105', '.github/workflows/release.yml', 26),
    ],
    'pypa__setuptools-scm': [
        ('PD113', '.github/workflows/python-tests.yml', 204),
        ('PD113', '.github/workflows/python-tests.yml', 223),
        ('PD109', '.github/workflows/python-tests.yml', 305),
    ],
    'pypa__twine': [],
    'pytest-dev__pytest': [],
    'python-attrs__attrs': [],
    'python-poetry__poetry': [],
    'python-semantic-release__python-semantic-release': [],
    'scientific-python__lazy-loader': [],
    'scikit-build__scikit-build-core': [],
    'scikit-hep__boost-histogram': [
        ('PD107', '.github/workflows/wheels.yml', 43),
    ],
    'tox-dev__tox': [
        ('PD107', '.github/workflows/release.yaml', 26),
        ('PD104', '.github/workflows/release.yaml', 47),
    ],
    'urllib3__urllib3': [
        ('PD104', '.github/workflows/publish.yml', 87),
        ('PD104', '.github/workflows/publish.yml', 108),
    ],
    'zizmorcore__zizmor': [
        ('PD107', '.github/workflows/release-pypi.yml', 51),
    ],
    # The second batch of the corpus (11 projects), judged one by one: see the docstring.
    '2franix__rpi-controls': [
        ('PD106', '.github/workflows/reusable_publish.yml', 43),
    ],
    '3mcloud__falcano': [
        ('PD106', '.github/workflows/pypi.yml', 22),
    ],
    '5had3z__konductor': [
        ('PD105', '.github/workflows/publish-to-pypi.yml', 23),
    ],
    'AMOCcommunity__amocarray': [
        ('PD105', '.github/workflows/pypi.yml', 32),
    ],
    'ARizzo35__python-eeprom': [
        ('PD104', '.github/workflows/publish-to-pypi.yml', 28),
        ('PD110', '.github/workflows/publish-to-pypi.yml', 30),
        ('PD109', '.github/workflows/publish-to-pypi.yml', 32),
        ('PD104', '.github/workflows/publish-to-pypi.yml', 36),
        ('PD110', '.github/workflows/publish-to-pypi.yml', 38),
    ],
    'DavisDmitry__pyCubes': [
        ('PD105', '.github/workflows/publish.yml', 18),
    ],
    'astropy__reproject': [],
    'encode__httpx': [],
    'pallets__flask': [],
    'pypa__cibuildwheel': [],
    'samuelcolvin__watchfiles': [
        ('PD107', '.github/workflows/ci.yml', 126),
    ],
}


def _listing(root: Path) -> list[tuple[str, int, float]]:
    return sorted((str(p.relative_to(root)), p.stat().st_size, p.stat().st_mtime)
                  for p in root.rglob("*"))


@pytest.mark.parametrize("project", PROJECTS)
@pytest.mark.parametrize("output_format", ["json", "text", "sarif", "github"])
def test_project_loads_without_a_traceback(project: str, output_format: str) -> None:
    root = CORPUS / project
    before = _listing(root)
    result = run_cli("check", str(root), "--offline", "--no-color", "--format", output_format)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    if output_format in ("json", "sarif"):
        json.loads(result.output)
    assert _listing(root) == before


@pytest.mark.parametrize("project", sorted(EXPECTED))
def test_expected_workflow_findings(project: str) -> None:
    if project not in PROJECTS:
        pytest.skip(f"{project} is not in this corpus")
    result = run_cli("check", str(CORPUS / project), "--offline", "--format", "json")
    found = [(f["code"], f["location"]["path"], f["location"]["line"])
             for f in json.loads(result.output)["findings"] if f["code"].startswith("PD1")]
    assert found == EXPECTED[project]


def test_expectations_cover_every_project() -> None:
    assert set(EXPECTED) == set(PROJECTS)
