"""Every log of the shared corpus is diagnosed to the cause its MANIFEST.tsv gives."""

from __future__ import annotations

import csv

import pytest

from conftest import SHARED
from pubdoctor.diagnose import diagnose

CORPUS = SHARED / "corpus" / "logs"


def manifest() -> list[tuple[str, str]]:
    path = CORPUS / "MANIFEST.tsv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["file"], row["cause"]) for row in csv.DictReader(handle, delimiter="\t")]


ENTRIES = manifest()


@pytest.mark.skipif(not ENTRIES, reason="../shared/corpus/logs is not here")
@pytest.mark.parametrize(("name", "cause"), ENTRIES, ids=[name for name, _ in ENTRIES])
def test_corpus_log_is_diagnosed_to_its_manifest_cause(name: str, cause: str) -> None:
    diagnosis = diagnose(str(CORPUS / name))
    assert diagnosis.cause.id == cause
    assert diagnosis.evidence, "a named cause always shows its lines"


@pytest.mark.skipif(not ENTRIES, reason="../shared/corpus/logs is not here")
@pytest.mark.parametrize(("name", "cause"), ENTRIES, ids=[name for name, _ in ENTRIES])
def test_corpus_log_diagnosed_the_same_with_the_fallback_engine(name: str, cause: str) -> None:
    assert diagnose(str(CORPUS / name), engine="find").cause.id == cause
