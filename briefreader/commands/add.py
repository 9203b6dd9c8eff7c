"""`briefreader add FILE|DIR|GLOB... [--corpus DIR] [--recursive] [--dry-run]`: copy letters into a corpus.

Each file is read, parsed and only then copied into the corpus folder, so a file that is not a
letter never gets in. The original is never moved or changed. A sidecar `NAME.yaml` beside the file
comes along, and so does the `metadata.xml` of an XML letter (stored as `NAME.metadata.xml`). A
file whose content is already in the corpus (same SHA-256) is left out: adding twice is a no-op.

Which corpus: `--corpus DIR` (a folder, or a corpus name from the config file), else the config
file's default corpus, else `<user data dir>/briefreader/corpus` (e.g.
`~/.local/share/briefreader/corpus` on Linux), which is created when needed. Never the corpus
bundled with briefreader: that one belongs to the installation.
"""

from __future__ import annotations

import argparse
import glob
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.text import Text

from briefreader.cli import UsageError
from briefreader.load import (
    LETTER_SUFFIXES,
    METADATA_SUFFIX,
    is_letter_file,
    is_metadata_file,
    kind_of,
    metadata_path,
    parse_letter_bytes,
    read_bytes,
)
from briefreader.model import Letter, LetterError
from briefreader.sanitise import is_clean
from briefreader.sidecar import SIDECAR_SUFFIXES, apply_sidecar, sidecar_path
from briefreader.store import Companion, CorpusFiles, looks_like_a_letter, store_new
from briefreader.terminal import console

#: Show a progress bar for at least this many files (and only when stderr is a terminal).
PROGRESS_THRESHOLD = 5
#: How long `add` waits for another process that is updating the search index before leaving the
#: new letters to the next search (a rebuild of a big corpus takes minutes).
INDEX_WAIT_SECONDS = 5.0
_GLOB_CHARS = set("*?[")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `briefreader add`."""
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="letter files (.txt, .pdf, .xml), folders of them, or glob patterns"
    )
    parser.add_argument(
        "--corpus",
        metavar="DIR",
        help="the corpus folder, or a corpus name from the config file "
        "(default: the config's default corpus, else the user data folder, see README)",
    )
    parser.add_argument("-r", "--recursive", action="store_true", help="also take letters from subfolders")
    parser.add_argument("-n", "--dry-run", action="store_true", help="parse and report, but copy nothing")


def target_corpus(name: str | None, err: Console) -> Path:
    """The folder letters are added to (not yet created). UsageError for the bundled corpus or a file."""
    from briefreader.config import load_config
    from briefreader.corpus import bundled_corpus, user_corpus

    config = load_config()
    for warning in config.warnings:
        err.print(Text("warning: " + warning, style="yellow"))
    if name is not None:
        folder = config.corpus_path(name) if name in config.corpora else Path(name).expanduser()
    else:
        folder = config.default_corpus() or user_corpus()
    folder = folder.resolve()
    if folder == bundled_corpus().resolve():
        raise UsageError(f"{folder}: is briefreader's bundled corpus; add letters to a corpus of your own (--corpus DIR)")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder}: is a file, not a corpus folder")
    if folder.exists() and not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        raise UsageError(f"{folder}: permission denied (adding letters needs to read and write this folder)")
    return folder


def _safe_stem(stem: str, letter: Letter) -> tuple[str, str | None]:
    """The corpus name for a letter file called `stem`, and why it was changed (None: it wasn't).

    A name that is not valid UTF-8 (its bytes arrive as lone surrogates) or holds control
    characters would break every listing and terminal that shows it: the letter is stored under
    its Kamerstuk id, or else under the name with those characters replaced by `_`.
    """
    if is_clean(stem, newlines=False):
        return stem, None
    why = "its file name is not valid UTF-8" if any(0xD800 <= ord(c) <= 0xDFFF for c in stem) else "its file name holds control characters"
    if letter.kst_id:
        return letter.kst_id, why
    cleaned = "".join(c if is_clean(c, newlines=False) else "_" for c in stem).strip("_-. ") or "brief"
    return cleaned, why


# --- which files ---------------------------------------------------------------------------------


@dataclass
class Inputs:
    """The letter files to add, and the arguments that named none (with the reason)."""

    files: list[Path] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)


def _folder_letters(folder: Path, recursive: bool) -> list[Path]:
    pattern = "**/*" if recursive else "*"
    return sorted(p for p in folder.glob(pattern) if p.is_file() and is_letter_file(p))


def collect_inputs(arguments: list[str], recursive: bool = False) -> Inputs:
    """Expand files, folders and glob patterns into letter files (each once, in the order given)."""
    inputs = Inputs()
    seen: set[Path] = set()

    def take(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            inputs.files.append(path)

    for argument in arguments:
        path = Path(argument).expanduser()
        if path.is_dir():
            found = _folder_letters(path, recursive)
            if not found:
                inputs.problems.append((argument, f"no letter files ({', '.join(LETTER_SUFFIXES)}) in this folder"))
            for file in found:
                take(file)
        elif path.exists():
            if is_metadata_file(path) or path.suffix in SIDECAR_SUFFIXES:
                inputs.problems.append((argument, "is a sidecar; it is copied along with its letter, not on its own"))
            elif not is_letter_file(path):
                inputs.problems.append((argument, f"is not a letter file (briefreader reads {', '.join(LETTER_SUFFIXES)})"))
            else:
                take(path)
        elif _GLOB_CHARS & set(argument):
            matches = sorted(Path(p) for p in glob.glob(os.path.expanduser(argument), recursive=True))
            letters = [p for p in matches if p.is_file() and is_letter_file(p)]
            if not letters:
                inputs.problems.append((argument, "matches no letter files"))
            for file in letters:
                take(file)
        else:
            inputs.problems.append((argument, "no such file or folder"))
    return inputs


# --- one letter ----------------------------------------------------------------------------------


def _metadata_belongs(metadata: bytes, letter: Letter) -> bool:
    """A metadata.xml is copied with a letter only when it is that letter's (or says of no letter)."""
    from briefreader.parse.xml import metadata_matches, read_metadata

    try:
        fields = read_metadata(metadata)
    except LetterError:
        return False
    return metadata_matches(fields, letter.dossier.number if letter.dossier else None, letter.number)


@dataclass
class Outcome:
    """What happened to one file."""

    source: Path
    status: str  # "added", "present", "error", "checked" (dry run)
    letter: Letter | None = None
    target: Path | None = None
    problem: str | None = None
    extras: list[str] = field(default_factory=list)


def add_one(source: Path, corpus: CorpusFiles, dry_run: bool = False) -> Outcome:
    """Read, parse and (unless `dry_run`) copy one letter file into the corpus."""
    try:
        data = read_bytes(source)
    except LetterError as error:
        return Outcome(source, "error", problem=error.problem)
    existing = corpus.holding(data)
    if existing is not None:
        return Outcome(source, "present", target=existing)

    kind = kind_of(source, data)
    metadata_file = metadata_path(source) if kind == "xml" else None
    metadata = None
    if metadata_file is not None:
        try:
            metadata = metadata_file.read_bytes()
        except OSError:
            metadata_file = None
    try:
        letter = parse_letter_bytes(data, str(source), kind, metadata, str(metadata_file))
    except LetterError as error:
        return Outcome(source, "error", problem=error.problem)
    missing = looks_like_a_letter(letter)
    if missing:
        return Outcome(source, "error", letter=letter, problem=missing)
    sidecar = sidecar_path(source)
    if sidecar is not None:
        letter = apply_sidecar(letter, sidecar)

    if letter.kst_id and letter.kst_id != source.stem:
        twin = next((name for name in corpus.names if name.rsplit(".", 1)[0] == letter.kst_id.lower()), None)
        if twin is not None:
            letter = replace(letter, warnings=letter.warnings + (f"{letter.kst_id} is already in the corpus as {twin}",))
    elif letter.kst_id and any(name.rsplit(".", 1)[0] == source.stem.lower() for name in corpus.names if is_letter_file(name)):
        letter = replace(letter, warnings=letter.warnings + (f"{letter.kst_id} is already in the corpus in another format",))
    wanted, renamed = _safe_stem(source.stem, letter)
    if renamed:
        letter = replace(letter, warnings=letter.warnings + (f"stored as {wanted}{source.suffix.lower()}: {renamed}",))
    stem = corpus.free_stem(wanted)
    target = corpus.folder / (stem + source.suffix.lower())
    companions: list[Companion] = []
    extras = []
    if sidecar is not None:
        try:
            companions.append(Companion(sidecar.suffix, sidecar.read_bytes()))
        except OSError as error:
            # Adding the letter without it would lose what the user wrote there, and a second
            # `add` would then find the letter present and never copy the sidecar.
            return Outcome(source, "error", letter=letter, problem=f"its sidecar {sidecar} can't be read ({error.strerror or error})")
        extras.append("sidecar")
    if dry_run:
        return Outcome(source, "checked", letter=letter, target=target)
    if metadata_file is not None and metadata is not None and _metadata_belongs(metadata, letter):
        companions.append(Companion(METADATA_SUFFIX, metadata))
        extras.append("metadata.xml")
    try:
        # Sidecar and metadata first: the letter appears last, whole, with what belongs to it.
        store_new(corpus.folder, stem, target.suffix, data, tuple(companions), tag="adding")
    except OSError as error:
        return Outcome(source, "error", letter=letter, problem=f"could not be copied to {target.parent} ({error.strerror or error})")
    corpus.record(target, data)
    for companion in companions:
        corpus.names.add((stem + companion.suffix).lower())
    return Outcome(source, "added", letter=letter, target=target, extras=extras)


# --- output --------------------------------------------------------------------------------------


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def summary_line(outcome: Outcome) -> Text:
    """One line per letter: what happened, the date, the id, the title and what the parser found."""
    line = Text()
    if outcome.status == "present":
        line.append("present  ", style="dim")
        line.append(str(outcome.source))
        line.append(f"  already in the corpus as {outcome.target.name}", style="dim")
        return line
    letter = outcome.letter
    label = {"added": "added    ", "checked": "would add"}[outcome.status]
    line.append(label + " ", style="green" if outcome.status == "added" else "cyan")
    line.append(f"{letter.date.isoformat() if letter.date else '----------'}  ", style="cyan")
    line.append(outcome.target.stem, style="green")
    line.append("  ")
    line.append(letter.title or "(no title)", style="bold" if letter.title else "dim")
    paragraphs = sum(len(s.paragraphs) for s in letter.sections)
    sections = sum(1 for s in letter.sections if s.title)
    found = [
        _count(sections, "section"),
        _count(paragraphs, "paragraph"),
        _count(len(letter.footnotes), "footnote"),
        _count(len(letter.references), "reference"),
    ]
    if letter.kst_id:
        found.insert(0, letter.kst_id)
    if letter.warnings:
        found.append(_count(len(letter.warnings), "warning"))
    if outcome.extras:
        found.append("with " + " and ".join(outcome.extras))
    line.append("  (" + ", ".join(found) + ")", style="dim")
    return line


def run(args: argparse.Namespace) -> int:
    """Add the files; exit status 1 if any could not be added, 0 otherwise (also if all were present)."""
    out = console(soft_wrap=True)
    err = console(stderr=True, soft_wrap=True)
    folder = target_corpus(args.corpus, err)
    inputs = collect_inputs(args.files, args.recursive)
    for argument, problem in inputs.problems:
        err.print(Text(f"briefreader: {argument}: {problem}", style="red"))
    created = not folder.exists()
    try:
        corpus = CorpusFiles(folder)
    except OSError as error:
        raise UsageError(f"{folder}: can't be read ({error.strerror or error})") from None

    outcomes: list[Outcome] = []
    progress = None
    if len(inputs.files) >= PROGRESS_THRESHOLD and (out.is_terminal or err.is_terminal):
        # On the terminal the report lines go to, so they print above the bar instead of into it.
        bar_console = out if out.is_terminal else err
        progress = Progress(TextColumn("Adding letters"), BarColumn(), MofNCompleteColumn(), console=bar_console, transient=True)
        task = progress.add_task("add", total=len(inputs.files))
        progress.start()
    deferred: list[Text] = []
    try:
        for source in inputs.files:
            outcome = add_one(source, corpus, dry_run=args.dry_run)
            outcomes.append(outcome)
            if outcome.status == "error":
                message = Text(f"briefreader: {source}: {outcome.problem} (not added)", style="red")
                # Under a live bar another stream's lines would land inside it: they wait for its end.
                (deferred.append(message) if progress is not None else err.print(message))
            else:
                out.print(summary_line(outcome))
                for warning in outcome.letter.warnings if outcome.letter and outcome.status != "present" else ():
                    out.print(Text(f"          warning: {warning}", style="yellow"))
            if progress is not None:
                progress.advance(task)
                progress.refresh()
    finally:
        if progress is not None:
            progress.stop()
        for message in deferred:
            err.print(message)

    added = sum(1 for o in outcomes if o.status == "added")
    present = sum(1 for o in outcomes if o.status == "present")
    failed = sum(1 for o in outcomes if o.status == "error") + len(inputs.problems)
    closing = Text(style="dim")
    if args.dry_run:
        closing.append(f"dry run: {_count(sum(1 for o in outcomes if o.status == 'checked'), 'letter')} would be added to {folder}")
    else:
        closing.append(f"{_count(added, 'letter')} added to {folder}" + (" (new folder)" if created and added else ""))
    if present:
        closing.append(f", {present} already there")
    if failed:
        closing.append(f", {failed} not added")
    err.print(closing)
    if added:
        _index_added(folder, [o.target.stem for o in outcomes if o.status == "added" and o.target is not None], err)
    return 1 if failed else 0


def _index_added(folder: Path, ids: list[str], err: Console) -> None:
    """Index the letters just added, when the corpus has a search index already (else the next
    search or the reader builds one): only those letters are looked at, so at 100,000 letters it
    takes a second, not a scan of the corpus. The letters are in whatever happens here."""
    from briefreader.commands.index import refresh_index
    from briefreader.index import CacheUnwritable, open_index

    index = open_index(folder)
    if not index.exists():
        return
    try:
        report = refresh_index(index, err, quiet=True, only=ids, wait=INDEX_WAIT_SECONDS)
    except (UsageError, CacheUnwritable) as error:
        err.print(Text(f"warning: the search index was not updated ({error}); the next search or the reader will", style="yellow"), soft_wrap=True)
        return
    err.print(Text(f"search index updated: {_count(report.letters, 'letter')}", style="dim"))
