"""`briefreader show LETTER [--paragraph N | --footnote N] [--cite] [--format text|json|markdown]`.

LETTER is what `briefreader refs` takes: a letter id, a kst id (`kst-32317-703`, `32317-703`) or a
file name. By default the letter is printed as `briefreader parse` prints it, followed by its links:
which cited Kamerstukken are in the corpus (and as which letter), and which corpus letters cite it.

- `--format json` (or `--json`) gives `parse --json`'s shape with `id`, a `target` on every
  reference, and `cited_by`.
- `--format markdown` writes the clean letter as Markdown (`briefreader.export`).
- `--paragraph N` prints only paragraph N (counted from 0 through the letter, as `paragraph` in
  `search --json`), `--footnote N` only footnote N; `--cite` adds the citation,
  `(Kamerstuk 32 317, nr. 704, p. 2)` (`briefreader.cite`). `--cite` alone prints the letter's citation.
"""

from __future__ import annotations

import argparse

from rich.console import Group
from rich.rule import Rule
from rich.text import Text

from briefreader import cite
from briefreader.cli import UsageError
from briefreader.commands.index import add_corpus_arguments
from briefreader.commands.parse import render_letter
from briefreader.commands.refs import lookup, refs_dict, render_refs
from briefreader.export import letter_markdown
from briefreader.links import cited_by, kst_map, with_targets
from briefreader.model import LetterError
from briefreader.terminal import console, dump_json

FORMATS = ("text", "json", "markdown")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `briefreader show`."""
    parser.add_argument("letter", metavar="LETTER", help="a letter id, a kst id (kst-32317-703 or 32317-703) or a file name")
    add_corpus_arguments(parser)
    parser.add_argument("--format", choices=FORMATS, default=None, help="text (default), json, or markdown (the clean letter)")
    parser.add_argument("--json", action="store_true", help="the same as --format json")
    part = parser.add_mutually_exclusive_group()
    part.add_argument("--paragraph", type=int, metavar="N", help="only paragraph N (counted from 0, as in search --json)")
    part.add_argument("--footnote", type=int, metavar="N", help="only footnote N")
    parser.add_argument("--cite", action="store_true", help="add the citation, e.g. (Kamerstuk 32 317, nr. 704, p. 2)")


def _format(args: argparse.Namespace) -> str:
    if args.json and args.format not in (None, "json"):
        raise UsageError("--json and --format markdown/text: give one of them")
    return "json" if args.json else args.format or "text"


def run(args: argparse.Namespace) -> int:
    """Print the letter (or one paragraph or footnote of it)."""
    form = _format(args)
    part = args.paragraph is not None or args.footnote is not None
    if form == "markdown" and (part or args.cite):
        raise UsageError("--format markdown writes the whole letter; leave out --paragraph, --footnote and --cite")
    err = console(stderr=True)
    found = lookup(args, err)
    letter = found.letter
    out = console()
    if part or args.cite:
        return _print_part(args, found.id, letter, form, out)
    if form == "json":
        data = with_targets(letter.to_dict(), letter, kst_map(found.infos))
        data = {"id": found.id, **data, "cited_by": cited_by(found.id, found.infos)}
        dump_json(data)
        return 0
    if form == "markdown":
        out.print(Text(letter_markdown(letter, letter_id=found.id)), soft_wrap=True, end="")
        return 0
    links = render_refs(refs_dict(found))
    out.print(Group(render_letter(letter), Rule("Links", style="dim"), *links[1:]))
    return 0


def _print_part(args: argparse.Namespace, letter_id: str, letter, form: str, out) -> int:
    """`--paragraph N`, `--footnote N` and/or `--cite`."""
    text: str | None = None
    page: int | None = None
    if args.paragraph is not None:
        paragraph = cite.paragraph_at(letter, args.paragraph)
        if paragraph is None:
            count = sum(1 for _ in letter.paragraphs())
            raise LetterError(letter_id, f"has no paragraph {args.paragraph} (it has {count}, counted from 0)")
        text, page = paragraph.text, paragraph.page
        citation = cite.citation(letter, page=page, letter_id=letter_id)
    elif args.footnote is not None:
        footnote = letter.footnote(args.footnote)
        if footnote is None:
            numbers = ", ".join(str(f.n) for f in letter.footnotes) or "none"
            raise LetterError(letter_id, f"has no footnote {args.footnote} (its footnotes: {numbers})")
        text, page = footnote.text, footnote.page
        citation = cite.citation(letter, page=page, footnote=args.footnote, letter_id=letter_id)
    else:
        citation = cite.citation(letter, letter_id=letter_id)
    if form == "json":
        data = {"id": letter_id, "paragraph": args.paragraph, "footnote": args.footnote, "text": text, "page": page,
                "citation": citation}
        dump_json(data)
        return 0
    if text is None:
        line = citation
    elif args.cite:
        line = f"{text} {citation}"
    else:
        line = text
    out.print(Text(line), soft_wrap=True)
    return 0
