"""`briefreader parse FILE [--json]`: the clean document of one letter."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Group
from rich.padding import Padding
from rich.rule import Rule
from rich.text import Text

from briefreader.display import superscript
from briefreader.load import load_letter
from briefreader.model import Letter
from briefreader.terminal import console, dump_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a letter file (.txt, .pdf or the official .xml)")
    parser.add_argument("--json", action="store_true", help="print the document as JSON")
    parser.add_argument(
        "--corpus",
        metavar="DIR",
        help="link citations to the letters of this corpus (default: the corpus the file is in, "
        "when that is the default corpus or one named in the config)",
    )
    parser.add_argument("--index", metavar="DIR", help="where that corpus's index is (default: the user cache)")


def run(args: argparse.Namespace) -> int:
    letter = load_letter(args.file)
    targets = _targets(letter, args)
    if args.json:
        data = letter.to_dict()
        for reference, target in zip(data["references"], targets, strict=True):
            reference["target"] = target
        dump_json(data)
    else:
        console().print(render_letter(letter, targets))
    return 0


def _targets(letter: Letter, args: argparse.Namespace) -> list[str | None]:
    """For each reference, the id of the corpus letter it cites, or None."""
    corpus = _corpus_of(Path(args.file), args.corpus)
    if corpus is None:
        return [None] * len(letter.references)
    from rich.text import Text

    from briefreader.commands.index import refresh_for_reading
    from briefreader.index import open_index
    from briefreader.links import reference_targets

    index = open_index(corpus, args.index)
    err = console(stderr=True)
    problem = refresh_for_reading(index, err)
    if problem is not None:
        err.print(Text(f"warning: {problem}; references are not linked to corpus letters", style="yellow"), soft_wrap=True)
        return [None] * len(letter.references)
    return reference_targets(letter, index.letters())


def _corpus_of(path: Path, named: str | None) -> Path | None:
    """The corpus to link against: the one named, else the known corpus the file lies in."""
    from briefreader.config import load_config
    from briefreader.corpus import resolve_corpus

    if named is not None:
        return resolve_corpus(named)
    folder = path.resolve().parent
    known = {resolve_corpus(None), *(p.expanduser().resolve() for p in load_config().corpora.values())}
    return folder if folder in known else None


def paragraph_text(text: str, notes, style: str = "") -> Text:
    """A paragraph as rich Text with its footnote markers put back as superscript numbers."""
    out = Text(style=style)
    position = 0
    for note in sorted(notes, key=lambda n: n.at):
        out.append(text[position : note.at])
        out.append(superscript(note.n), style="bold cyan")
        position = note.at
    out.append(text[position:])
    return out


def _meta(letter: Letter) -> Text:
    rows: list[tuple[str, str]] = []
    if letter.date:
        rows.append(("Datum", f"{letter.place + ', ' if letter.place else ''}{letter.date.isoformat()}"))
    for dossier in letter.dossiers:
        rows.append(("Dossier", dossier.number + (f"  {dossier.title}" if dossier.title else "")))
    if letter.number:
        rows.append(("Nummer", letter.number + (f"  ({letter.kst_id})" if letter.kst_id else "")))
    if letter.session:
        rows.append(("Vergaderjaar", letter.session))
    if letter.addressee:
        rows.append(("Adres", letter.addressee))
    for signatory in letter.signatories:
        rows.append(("Van", f"{signatory.function}, {signatory.name}"))
    if letter.tags:
        rows.append(("Tags", ", ".join(letter.tags)))
    out = Text()
    for label, value in rows:
        out.append(f"{label:<13}", style="dim")
        out.append(value)
        out.append("\n")
    out.rstrip()
    return out


def render_letter(letter: Letter, targets: list[str | None] | None = None) -> Group:
    """The letter as rich renderables: title, metadata, sections, footnotes, references (with the
    corpus letter each one cites, where known), warnings."""
    parts: list = [Text(letter.title or "(untitled letter)", style="bold"), _meta(letter)]
    for section in letter.sections:
        if section.title:
            parts.append(Text("\n" + section.title, style="bold underline"))
        for paragraph in section.paragraphs:
            if paragraph.kind == "item":
                parts.append(Padding(Text("• ").append_text(paragraph_text(paragraph.text, paragraph.notes)), (0, 0, 0, 2)))
            else:
                parts.append(Text(""))
                parts.append(paragraph_text(paragraph.text, paragraph.notes))
    if letter.footnotes:
        parts.append(Rule(style="dim"))
        for note in letter.footnotes:
            line = Text(f"{note.n:>3} ", style="bold cyan")
            line.append(note.text)
            parts.append(line)
    if letter.references:
        parts.append(Rule("Verwijzingen", style="dim"))
        for ref, target in zip(letter.references, targets or [None] * len(letter.references), strict=True):
            where = f"noot {ref.footnote}" if ref.footnote is not None else f"alinea {ref.paragraph + 1}"
            line = Text(f"{ref.kst_id:<22}", style="green")
            line.append(f"{ref.text}  ")
            line.append(f"({where})", style="dim")
            if target:
                line.append(f"  -> {target}", style="bold green")
            parts.append(line)
    if letter.warnings:
        parts.append(Rule("Waarschuwingen", style="yellow"))
        for warning in letter.warnings:
            parts.append(Text(warning, style="yellow"))
    return Group(*parts)
