"""`briefreader show LETTER [--corpus DIR] [--json]`: print a letter of the corpus, found by id.

LETTER is what `briefreader refs` takes: a letter id, a kst id (`kst-32317-703`, `32317-703`) or a
file name. The letter is printed as `briefreader parse` prints it, followed by its links: which
cited Kamerstukken are in the corpus (and as which letter), and which corpus letters cite it.
`--json` gives `parse --json`'s shape with `id`, a `target` on every reference, and `cited_by`.
"""

from __future__ import annotations

import argparse
import sys

from rich.console import Console, Group
from rich.rule import Rule

from briefreader.terminal import console, dump_json
from briefreader.commands.index import add_corpus_arguments
from briefreader.commands.parse import render_letter
from briefreader.commands.refs import lookup, refs_dict, render_refs
from briefreader.links import cited_by, kst_map, with_targets


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `briefreader show`."""
    parser.add_argument("letter", metavar="LETTER", help="a letter id, a kst id (kst-32317-703 or 32317-703) or a file name")
    add_corpus_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the letter as JSON, with link targets")


def run(args: argparse.Namespace) -> int:
    """Print the letter and its links."""
    err = console(stderr=True)
    found = lookup(args, err)
    if args.json:
        data = with_targets(found.letter.to_dict(), found.letter, kst_map(found.infos))
        data = {"id": found.id, **data, "cited_by": cited_by(found.id, found.infos)}
        dump_json(data)
        return 0
    out = console()
    links = render_refs(refs_dict(found))
    out.print(Group(render_letter(found.letter), Rule("Links", style="dim"), *links[1:]))
    return 0
