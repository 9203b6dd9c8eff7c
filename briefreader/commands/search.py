"""`briefreader search QUERY [--corpus DIR] [--index DIR] [--limit N] [--json]`: search the corpus.

The index is refreshed first if letters were added, changed or removed. Exit status 0 when the
query ran (also with no hits), 2 for bad usage (an empty or unusable query, a missing corpus), 1
when searching failed (an index that can't be read or made, or a bug in briefreader: one line
naming the query, and the index is left alone).
"""

from __future__ import annotations

import argparse

from rich.text import Text

from briefreader.cli import UsageError
from briefreader.commands.index import add_corpus_arguments, open_corpus_index, refresh_for_reading, refresh_index
from briefreader.index import CacheUnwritable
from briefreader.search import Hit, LetterHit, SearchResult, search
from briefreader.terminal import console, dump_json, error_line

HIGHLIGHT_STYLE = "bold black on yellow"

SYNTAX_HELP = """\
query syntax:
  frontex litouwen          both words, anywhere in the letter (AND is the default)
  frontex OR easo           either word (also OF)
  frontex NOT litouwen      letters without a word (also -litouwen, NIET)
  "raad van justitie"       a phrase (within one paragraph)
  migratie*                 words that start with migratie
  date:2021                 a year, month (date:2021-08) or day (date:2021-08-26)
  date:2020..2021           a range (also date:[2020 TO 2021], date:>2021-06)
  dossier:32317             a dossier (dossier:21501-20)
  title:afghanistan         words in the letter's title (titel:)
  from:grapperhaus          words in the signatories (van:)
  section:ipcr, tag:migratie, nr:703
Case and accents don't matter; word forms are matched (asielzoeker finds asielzoekers).
Each letter is shown once, with its best paragraphs. Filters alone (dossier:32317) list
letters newest first."""


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `briefreader search`."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = SYNTAX_HELP
    parser.add_argument("query", nargs="+", metavar="QUERY", help="what to look for (several words are joined)")
    add_corpus_arguments(parser)
    parser.add_argument("--limit", type=_positive, default=10, metavar="N", help="show at most N letters (default 10)")
    parser.add_argument("--json", action="store_true", help="print the matching letters, each with its best paragraphs, as JSON")


def highlighted(text: str, spans, style: str = HIGHLIGHT_STYLE) -> Text:
    """`text` as plain rich Text with `spans` styled (no markup is ever parsed)."""
    out = Text(text)
    for start, end in spans:
        out.stylize(style, start, end)
    return out


def where(hit: Hit) -> str:
    """Where in its letter a hit stands: section, `alinea N` or `noot N`."""
    parts = []
    if hit.section:
        parts.append(hit.section)
    if hit.footnote is not None:
        parts.append(f"noot {hit.footnote}")
    elif hit.paragraph is not None:
        parts.append(f"alinea {hit.paragraph + 1}")
    return " · ".join(parts)


def render_letter(number: int, letter: LetterHit) -> Text:
    """One matching letter: number, title and date, its id, then its best snippets with where
    each stands and its matches highlighted."""
    out = Text()
    out.append(f"{number:>3}  ", style="dim")
    out.append(letter.title or letter.letter, style="bold")
    if letter.date:
        out.append(f"  {letter.date}", style="cyan")
    out.append("\n     ")
    out.append(letter.letter, style="green")
    for hit in letter.paragraphs:
        place = where(hit)
        if place:
            out.append("\n     ")
            out.append(place, style="dim")
        if hit.snippet:
            out.append("\n       " if place else "\n     ")
            out.append_text(highlighted(hit.snippet, hit.highlights))
    return out


def suggestion_line(result: SearchResult) -> Text | None:
    """`Did you mean …?` for a result with suggestions."""
    if not result.suggestions:
        return None
    line = Text("Did you mean ")
    for n, suggestion in enumerate(result.suggestions):
        if n:
            line.append(" or ")
        line.append(suggestion, style="bold")
    line.append("?")
    return line


def run(args: argparse.Namespace) -> int:
    """Refresh the index if needed, run the query, print the matching letters."""
    query = " ".join(args.query)
    err = console(stderr=True)
    index = open_corpus_index(args, err)
    if not index.is_fresh():
        problem = refresh_for_reading(index, err)
        if problem is not None:
            error_line(f"briefreader: search: searching needs an index, and none can be made: {problem}")
            return 1
    result = search(index, query, limit=args.limit)
    if result.internal_error:
        # A bug in briefreader, not damage: say so, and leave the index alone.
        error_line(f"briefreader: search: {result.message}")
        return 1
    if result.index_error:
        # Damage that the freshness check could not see: rebuild once and try again.
        err.print(Text(f"The search index can't be read ({index.index_dir}); rebuilding it.", style="yellow"), soft_wrap=True)
        try:
            refresh_index(index, err, rebuild=True, quiet=True)
        except CacheUnwritable as error:
            error_line(f"briefreader: search: the search index can't be read, and can't be rebuilt: {error}")
            return 1
        result = search(index, query, limit=args.limit)
        if result.internal_error:
            error_line(f"briefreader: search: {result.message}")
            return 1
        if result.index_error:
            error_line(f"briefreader: search: the search index in {index.index_dir} can't be read, even after rebuilding it")
            return 1
    if result.message:
        raise UsageError(f"search: {result.message}")
    if result.notice:
        err.print(Text(result.notice, style="dim"), soft_wrap=True)
    if args.json:
        suggestion = suggestion_line(result)
        if suggestion is not None:
            err.print(suggestion, soft_wrap=True)
        dump_json([letter.to_dict() for letter in result.letters])
        return 0
    out = console()
    header = Text()
    if not result.letters:
        header.append("No letters found for ")
        header.append(query, style="bold")
        out.print(header, soft_wrap=True)
        suggestion = suggestion_line(result)
        if suggestion is not None:
            out.print(suggestion, soft_wrap=True)
        return 0
    header.append(f"{result.total} letter{'' if result.total == 1 else 's'} for ")
    header.append(query, style="bold")
    if result.total > len(result.letters):
        header.append(f" (the best {len(result.letters)}; --limit N shows more)", style="dim")
    out.print(header, soft_wrap=True)
    suggestion = suggestion_line(result)
    if suggestion is not None:
        out.print(suggestion, soft_wrap=True)
    for number, letter in enumerate(result.letters, 1):
        out.print()
        out.print(render_letter(number, letter))
    return 0
