"""Links between letters: citations resolved to corpus letters, and "cited by", in both directions."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from briefreader.index import open_index
from briefreader.links import (
    cited_by,
    cited_by_map,
    find_letter,
    kst_map,
    link_info,
    normalise_kst_id,
    reference_targets,
    resolve_target,
    with_targets,
)
from briefreader.load import load_letter
from briefreader.model import Reference

pytest.importorskip("fpdf")
from import_fixtures import kstpdf  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    paths = kstpdf.write_linked_sources(folder)
    letters = {letter_id: load_letter(path) for letter_id, path in paths.items()}
    return folder, letters


@pytest.fixture(scope="module")
def infos(corpus):
    _folder, letters = corpus
    return [link_info(letter_id, letter) for letter_id, letter in letters.items()]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("kst-32317-703", "kst-32317-703"),
        ("32317-703", "kst-32317-703"),
        ("KST-32317-703", "kst-32317-703"),
        ("32 317-703", "kst-32317-703"),
        ("kst-21501-20-1485", "kst-21501-20-1485"),
        ("kst-35300-xvi-133", "kst-35300-XVI-133"),
        ("36410-VI-5", "kst-36410-VI-5"),
        ("2021-08-26-jbz-raad", None),
        ("32317", None),
        ("nonsense", None),
    ],
)
def test_normalise_kst_id(text, expected):
    assert normalise_kst_id(text) == expected


def test_references_point_to_the_letters_in_the_corpus(corpus, infos):
    _folder, letters = corpus
    letter = letters["kst-29362-412"]
    targets = dict(zip((r.kst_id for r in letter.references), reference_targets(letter, infos), strict=True))
    assert targets == {
        "kst-29362-398": "oktober-brief",
        "kst-29362-320": None,  # not in the corpus
        "kst-32802-70": None,
        "kst-32802-71": "woo-evaluatie",
    }
    assert resolve_target(letter.references[0], infos) == "oktober-brief"
    assert resolve_target("29362-450", infos) == "mei-brief"
    assert resolve_target(Reference("99999", "1", "Kamerstuk 99 999, nr. 1"), infos) is None


def test_cited_by_goes_the_other_way(infos):
    assert cited_by("oktober-brief", infos) == ["kst-29362-412", "woo-evaluatie"]
    assert cited_by("kst-29362-412", infos) == ["mei-brief"]
    assert cited_by("woo-evaluatie", infos) == ["kst-29362-412"]
    assert cited_by("mei-brief", infos) == []
    assert cited_by("not-there", infos) == []
    assert cited_by_map(infos) == {
        "kst-29362-412": ["mei-brief"],
        "oktober-brief": ["kst-29362-412", "woo-evaluatie"],
        "woo-evaluatie": ["kst-29362-412"],
        "mei-brief": [],
    }


def test_follow_a_citation_and_back(corpus, infos):
    """What a reader does: from a letter along a citation to another letter, and back via "cited by"."""
    _folder, letters = corpus
    start = "mei-brief"
    reference = letters[start].references[0]
    there = resolve_target(reference, infos)
    assert there == "kst-29362-412"
    assert start in cited_by(there, infos)


def test_links_work_on_the_index_letter_infos(corpus, tmp_path):
    folder, _letters = corpus
    index = open_index(folder, tmp_path / "index")
    index.refresh()
    infos = index.letters()
    assert {info.id for info in infos} == {"kst-29362-412", "oktober-brief", "woo-evaluatie", "mei-brief"}
    assert cited_by("oktober-brief", infos) == ["kst-29362-412", "woo-evaluatie"]  # newest first, as listed
    assert kst_map(infos)["kst-29362-398"] == "oktober-brief"


def test_duck_typed_infos_and_file_names_as_kst_ids():
    """A letter whose parse found no number still is the Kamerstuk its file is named after."""
    infos = [
        SimpleNamespace(id="kst-32317-703", kst_id=None, cites=()),
        SimpleNamespace(id="b", kst_id="kst-11111-2", cites=("kst-32317-703",)),
    ]
    assert resolve_target("32317-703", infos) == "kst-32317-703"
    assert cited_by("kst-32317-703", infos) == ["b"]


def test_two_copies_of_one_kamerstuk_resolve_the_same_way():
    infos = [
        SimpleNamespace(id="z-copy", kst_id="kst-11111-2", cites=()),
        SimpleNamespace(id="a-copy", kst_id="kst-11111-2", cites=("kst-11111-2",)),
        SimpleNamespace(id="c", kst_id="kst-33333-4", cites=("kst-11111-2",)),
    ]
    assert resolve_target("kst-11111-2", infos) == resolve_target("kst-11111-2", list(reversed(infos))) == "a-copy"
    # A copy citing its own Kamerstuk is no citation of it.
    assert cited_by("a-copy", infos) == ["c"]


def test_find_letter_by_id_kst_id_or_file_name(infos):
    assert find_letter("oktober-brief", infos).id == "oktober-brief"
    assert find_letter("oktober-brief.txt", infos).id == "oktober-brief"
    assert find_letter("kst-29362-398", infos).id == "oktober-brief"
    assert find_letter("29362-398", infos).id == "oktober-brief"
    assert find_letter("29 362-450", infos).id == "mei-brief"
    assert find_letter("OKTOBER-BRIEF", infos).id == "oktober-brief"
    assert find_letter("kst-1-1", infos) is None


def test_with_targets_adds_target_to_the_json(corpus, infos):
    _folder, letters = corpus
    letter = letters["woo-evaluatie"]
    data = with_targets(letter.to_dict(), letter, infos)
    assert [(r["dossier"], r["number"], r["target"]) for r in data["references"]] == [("29362", "398", "oktober-brief")]
