"""`briefreader refs LETTER [--corpus DIR] [--json]`: what a letter cites, and which letters cite it.

LETTER is a letter id (`2021-08-26-jbz-raad`), a kst id in any spelling (`kst-32317-703`,
`32317-703`), a file name in the corpus, or the path of a letter file anywhere (its citations are
then looked up in the corpus). Each citation says whether the cited Kamerstuk is in the corpus and,
if so, which letter it is.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from briefreader.commands.index import add_corpus_arguments
from briefreader.commands.list import corpus_infos
from briefreader.corpus import letter_id
from briefreader.links import cited_by, find_letter, kst_map, link_info, own_kst_id, reference_targets
from briefreader.load import is_letter_file, load_letter
from briefreader.model import Letter, LetterError, Reference
from briefreader.terminal import console, dump_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `briefreader refs`."""
    parser.add_argument("letter", metavar="LETTER", help="a letter id, a kst id (kst-32317-703 or 32317-703) or a letter file")
    add_corpus_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the citations as JSON")


@dataclass
class Found:
    """The letter a command was asked about, parsed, with the corpus around it."""

    id: str
    letter: Letter
    infos: list
    corpus_dir: Path

    def info(self, letter_id: str) -> Any | None:
        return next((info for info in self.infos if info.id == letter_id), None)


def lookup(args: argparse.Namespace, err: Console) -> Found:
    """Find and parse the letter `args.letter` names; LetterError (exit 1) when there is none."""
    index, infos = corpus_infos(args, err)
    query = args.letter
    info = find_letter(query, infos)
    if info is not None:
        return Found(info.id, load_letter(info.path), infos, index.corpus_dir)
    path = Path(query).expanduser()
    if path.is_file() and is_letter_file(path):
        # A letter from outside the corpus: link it as if it were in it, without adding it.
        letter = load_letter(path)
        own = link_info(letter_id(path), letter)
        return Found(own.id, letter, [info for info in infos if info.id != own.id] + [own], index.corpus_dir)
    raise LetterError(query, f"no such letter in the corpus {index.corpus_dir} (`briefreader list` shows its letters)")


def where(reference: Reference) -> str:
    """Where a citation stands, for people: `noot 3` or `alinea 5` (counted from 1)."""
    if reference.footnote is not None:
        return f"noot {reference.footnote}"
    if reference.paragraph is not None:
        return f"alinea {reference.paragraph + 1}"
    return ""


def citations_of(letter: Letter, kst_id: str) -> list[Reference]:
    """The references in `letter` to Kamerstuk `kst_id`."""
    return [reference for reference in letter.references if reference.kst_id == kst_id]


def refs_dict(found: Found) -> dict[str, Any]:
    """The JSON shape of `briefreader refs --json`."""
    letter = found.letter
    targets = reference_targets(letter, kst_map(found.infos))
    citing = []
    own = own_kst_id(found.info(found.id))
    for other_id in cited_by(found.id, found.infos):
        info = found.info(other_id)
        entry: dict[str, Any] = {"id": other_id, "title": info.title, "date": info.date, "citations": []}
        try:
            other = load_letter(info.path)
        except LetterError:
            other = None
        if other is not None and own:
            entry["citations"] = [
                {"text": r.text, "paragraph": r.paragraph, "footnote": r.footnote} for r in citations_of(other, own)
            ]
        citing.append(entry)
    return {
        "id": found.id,
        "kst_id": own,
        "title": letter.title,
        "date": letter.date.isoformat() if letter.date else None,
        "cites": [
            {
                "kst_id": reference.kst_id,
                "text": reference.text,
                "paragraph": reference.paragraph,
                "footnote": reference.footnote,
                "target": target,
                "target_title": (found.info(target).title if target and found.info(target) else None),
            }
            for reference, target in zip(letter.references, targets, strict=True)
        ],
        "cited_by": citing,
    }


def render_refs(data: dict[str, Any]) -> list[Text]:
    """`refs_dict` output as lines of plain rich Text (letter text never becomes markup)."""
    lines: list[Text] = []
    head = Text()
    head.append(data["id"], style="green")
    if data["kst_id"] and data["kst_id"] != data["id"]:
        head.append(f"  {data['kst_id']}", style="dim")
    head.append("  ")
    head.append(data["title"] or "(no title)", style="bold")
    if data["date"]:
        head.append(f"  {data['date']}", style="cyan")
    lines.append(head)

    cites = data["cites"]
    in_corpus = sum(1 for c in cites if c["target"])
    lines.append(Text(f"\nCites {len(cites)} Kamerstuk{'ken' if len(cites) != 1 else ''} ({in_corpus} in the corpus)", style="bold"))
    for cite in cites:
        line = Text("  ")
        line.append(f"{cite['kst_id']:<20}", style="green" if cite["target"] else "")
        place = where(Reference("", "", "", cite["paragraph"], cite["footnote"]))
        line.append(f" {place:<10} ", style="dim")
        line.append(cite["text"])
        if cite["target"]:
            line.append("  -> ", style="dim")
            line.append(cite["target"], style="green")
            if cite["target_title"]:
                line.append(f"  {cite['target_title']}", style="dim")
        else:
            line.append("  (not in the corpus)", style="dim")
        lines.append(line)

    citing = data["cited_by"]
    lines.append(Text(f"\nCited by {len(citing)} letter{'' if len(citing) == 1 else 's'} in the corpus", style="bold"))
    for entry in citing:
        line = Text("  ")
        line.append(entry["id"], style="green")
        if entry["date"]:
            line.append(f"  {entry['date']}", style="cyan")
        if entry["title"]:
            line.append(f"  {entry['title']}")
        places = [where(Reference("", "", "", c["paragraph"], c["footnote"])) for c in entry["citations"]]
        if places:
            line.append(f"  ({', '.join(places)})", style="dim")
        lines.append(line)
    return lines


def run(args: argparse.Namespace) -> int:
    """Print what the letter cites and what cites it."""
    err = console(stderr=True)
    found = lookup(args, err)
    data = refs_dict(found)
    if args.json:
        dump_json(data)
        return 0
    out = console()
    for line in render_refs(data):
        out.print(line)
    return 0
