"""`whoosh_private.fast_flush` writes the segment Whoosh's own commit writes, byte for byte, and
an index that searches the same; and nothing changes where the private way is unavailable."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.qparser import QueryParser

import briefreader.index.whoosh_private as whoosh_private

#: Few words, so some have hundreds of postings (several blocks of 128, and exactly 256).
WORDS = [f"w{n}" for n in range(40)]


def schema() -> Schema:
    return Schema(
        key=ID(stored=True, unique=True),
        body=TEXT(analyzer=StandardAnalyzer(stoplist=None), phrase=True),
        title=TEXT(field_boost=2.0),
        tags=KEYWORD(lowercase=True),
        size=NUMERIC(stored=True),
        extra=STORED(),
    )


def documents(count: int = 300) -> list[dict]:
    rng = random.Random(7)
    docs = []
    for n in range(count):
        doc: dict = {"key": f"d{n:04}", "extra": (n, "x" * (n % 5))}
        if n % 3:
            doc["body"] = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 400 if n % 50 == 0 else 30)))
        if n % 4 == 0:
            doc["title"] = " ".join(rng.sample(WORDS, 3))
        if n % 5 == 0:
            doc["tags"] = "a b" if n % 2 else "c"
            doc["size"] = n
        if n < 256:
            doc["body"] = doc.get("body", "") + " exactly256"
        docs.append(doc)
    return docs


def build(folder: Path, fast: bool, limitmb: float = 16, docs: list[dict] | None = None) -> list[Path]:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), schema())
    writer = ix.writer(limitmb=limitmb, compound=False)
    if fast:
        whoosh_private.fast_flush(writer)
    for doc in documents() if docs is None else docs:
        writer.add_document(**doc)
    writer.commit()
    return sorted(folder.glob("MAIN_*.*"))


def segment_files(files: list[Path]) -> dict[str, bytes]:
    """The segment's files by their suffix (the segment id in their names is random)."""
    return {path.name.split(".", 1)[1]: path.read_bytes() for path in files}


@pytest.mark.parametrize("limitmb", [16, 0.05], ids=["in-memory", "spilled-runs"])
def test_the_fast_flush_writes_whooshs_own_files(tmp_path, limitmb):
    assert whoosh_private.AVAILABLE
    own = segment_files(build(tmp_path / "own", fast=False, limitmb=limitmb))
    fast = segment_files(build(tmp_path / "fast", fast=True, limitmb=limitmb))
    assert {"pst", "trm"} <= set(own)
    assert fast.keys() == own.keys()
    for suffix in own:
        assert fast[suffix] == own[suffix], suffix


def test_the_fast_flush_index_searches_like_whooshs(tmp_path):
    build(tmp_path / "own", fast=False)
    build(tmp_path / "fast", fast=True)
    queries = ["w1", "w2 w3", '"w4 w5"', "exactly256", "title:w6", "tags:a", "w7 OR title:w8", "w9 NOT w10"]
    found = {}
    for name in ("own", "fast"):
        ix = whoosh_index.open_dir(str(tmp_path / name))
        with ix.searcher() as searcher:
            parser = QueryParser("body", ix.schema)
            found[name] = [[(hit["key"], hit.score) for hit in searcher.search(parser.parse(q), limit=None)] for q in queries]
    assert found["fast"] == found["own"]
    assert all(found["own"][:5])


def test_an_empty_segment_and_one_without_postings(tmp_path):
    for name, docs in (("empty", []), ("stored-only", [{"key": "a", "extra": 1}])):
        own = segment_files(build(tmp_path / f"{name}-own", fast=False, docs=docs))
        fast = segment_files(build(tmp_path / f"{name}-fast", fast=True, docs=docs))
        assert fast == own


def test_nothing_changes_on_another_whoosh(tmp_path, monkeypatch):
    monkeypatch.setattr(whoosh_private, "AVAILABLE", False)
    own = segment_files(build(tmp_path / "own", fast=False))
    fast = segment_files(build(tmp_path / "fast", fast=True))
    assert fast == own
