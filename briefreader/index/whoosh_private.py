"""Every use of a private Whoosh name in briefreader, in one place, and why.

Whoosh's public API reads an index one posting at a time through Python matcher objects (about
20 µs per matching document for an AND of two words) and opens per-document column files lazily.
Three things need more than that, and they read names Whoosh does not promise to keep:

- **whole posting lists** (`read_postings`): the W3 codec's leaf matcher decodes a block of
  postings at a time; reading `_ids`, `_weights`, `_values` block by block (`_read_ids`,
  `_read_weights`, `_read_values`, `_next_block`, `_atend`) costs about 0.4 µs a posting;
  the positions of a few documents (`read_positions`) skip blocks by their last document
  (`_maxid`) and decode the positions as the `Positions` format encodes them;
- **field lengths and deleted documents** (`length_bytes`, `deleted_docs`): the per-document
  reader (`SegmentReader._perdoc`), its `_cached_reader(name, column)`, the lengths column
  (`whoosh.codec.whoosh3._lenfield`, `LENGTHS_COLUMN`, `STORED_COLUMN`) and the column
  reader's raw bytes (`_dbfile`, `_basepos`, `_count`); `_perdoc.deleted_docs()`;
- **opening column files up front** (`open_columns`), so that a writer in another process that
  merges segments away can't make a search fail halfway;
- **the terms of a field that start with a prefix** (`prefix_terms`): the W3 terms file is an
  ordered hash file of (lengths, key, term info) records (`SegmentReader._terms`,
  `W3TermsReader._tindex`, `_fieldmap`, `OrderedHashReader.closest_key_pos`, `endofdata`,
  `filetables._lengths`; a term info's document frequency as `W3TermInfo._struct` packs it):
  reading the records of a prefix in one read and splitting them here costs a tenth of walking
  them key by key (`expand_prefix`, `iter_prefix`: two file reads and a term info object each);
- **expanding a numeric range or multi-term query to its terms** (`range_terms`):
  `NumericRange._compile_query`, `MultiTerm._btexts`;
- **segments written in worker processes** (`worker_writer`, `finish_worker_segment`,
  `commit_segments`): `SegmentWriter(_lk=False)`, `_finalize_segment`, `_commit_toc`, `_finish`,
  as Whoosh's own `whoosh.multiproc.MpWriter` uses them;
- **writing a segment's postings a term at a time** (`fast_flush`): Whoosh's
  `SegmentWriter._flush_segment` hands the sorted postings one by one to the field writer, which
  looks up each posting's field length in the lengths column just written (a file read a
  posting) and checks its types; a third of a build's indexing time. `fast_flush` replaces the
  writer's `_flush_segment` with one that reads each field's lengths column once and fills the
  W3 postings writer's block buffer a block at a time (`W3FieldWriter._postwriter`,
  `W3PostingsWriter._ids`, `_weights`, `_values`, `_minlength`, `_maxlength`, `_maxweight`,
  `_write_block`, `W3Codec._blocklimit`): the files are byte for byte those Whoosh writes
  (tests/test_whoosh_private.py compares them).

They were checked against the versions in `CHECKED_VERSIONS`. `AVAILABLE` is False for any other
version (or a codec other than W3): every function here then raises `Unavailable` (or does
nothing, for `open_columns`) and the callers take the public, slower way, which gives the same
results. tests/test_search_engine.py compares both ways.
"""

from __future__ import annotations

import bisect
import pickle
import struct
from collections.abc import Callable, Iterable
from itertools import accumulate
from typing import Any

import whoosh
from whoosh.formats import Positions
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from briefreader.index.errors import IndexDamaged

#: Whoosh versions whose private names below were read and tested (whoosh-reloaded).
CHECKED_VERSIONS = ((2, 7, 5),)


def _check() -> bool:
    if tuple(whoosh.__version__[:3]) not in CHECKED_VERSIONS:
        return False
    try:
        from whoosh.codec import whoosh3

        whoosh3.W3LeafMatcher._read_ids  # noqa: B018 - probing that the names exist
        whoosh3.W3LeafMatcher._next_block  # noqa: B018
        whoosh3.W3PostingsWriter._write_block  # noqa: B018
        whoosh3.W3PerDocReader._cached_reader  # noqa: B018
        whoosh3._lenfield  # noqa: B018
        whoosh3.LENGTHS_COLUMN  # noqa: B018
        whoosh3.STORED_COLUMN  # noqa: B018
        whoosh3.W3TermsReader._keycoder  # noqa: B018
        from whoosh.filedb import filetables

        filetables.OrderedHashReader.closest_key_pos  # noqa: B018
        filetables._lengths  # noqa: B018
        if whoosh3.W3TermInfo._struct.format not in ("!BfIBBfII", b"!BfIBBfII"):
            return False
    except (ImportError, AttributeError):
        return False
    return True


#: Whether the installed Whoosh is one these private names were checked against.
AVAILABLE = _check()


class Unavailable(Exception):
    """The private way can't be taken here (another Whoosh version or codec): use the public one."""


def _perdoc(reader: IndexReader) -> Any:
    perdoc = getattr(reader, "_perdoc", None)
    if not AVAILABLE or perdoc is None or not hasattr(perdoc, "_cached_reader"):
        raise Unavailable("per-document reader")
    return perdoc


def open_columns(searcher: Searcher) -> None:
    """Open every column file of every segment now, while the table of contents still lists them.

    Whoosh opens column files (stored fields, field lengths, `ndocs`) lazily, on first use. A
    writer in another process may by then have merged the segment and deleted its files (or a
    rebuild removed the whole generation), and the read would fail halfway through a search. A
    file that is open stays readable after it is deleted (POSIX), so open them all up front.
    Raises `IndexDamaged` when a segment with documents has no stored fields.
    """
    if not AVAILABLE:
        return
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, STORED_COLUMN, _lenfield

    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        try:
            perdoc = _perdoc(reader)
        except Unavailable:
            continue  # not the W3 codec: nothing we know how to open early
        if reader.doc_count_all() and perdoc._cached_reader("_stored", STORED_COLUMN) is None:
            raise IndexDamaged(f"stored fields of {reader} are missing")
        for name, fieldtype in reader.schema.items():
            if fieldtype.scorable:
                perdoc._cached_reader(_lenfield(name), LENGTHS_COLUMN)
            if fieldtype.column_type is not None and perdoc.has_column(name):
                reader.column_reader(name)


def deleted_docs(reader: IndexReader) -> frozenset[int]:
    """The deleted document numbers of one segment's reader."""
    if not reader.has_deletions():
        return frozenset()
    try:
        return frozenset(_perdoc(reader).deleted_docs())
    except Unavailable:
        return frozenset(set(range(reader.doc_count_all())) - set(reader.all_doc_ids()))


def read_postings(reader: IndexReader, fieldname: str, text: str, values: bool = False) -> tuple[list[int], list[float], list[Any]]:
    """A word's whole posting list in one segment: ids, weights and (if asked) encoded values.

    Deleted documents are included (filter them with `deleted_docs`); read a block at a time
    when the codec allows, else posting by posting through the public matcher.
    """
    if (fieldname, text) not in reader:
        return [], [], []
    matcher = reader.postings(fieldname, text)
    leaf = getattr(matcher, "child", matcher)  # unwrap the filter for deleted documents
    ids: list[int] = []
    weights: list[float] = []
    encoded: list[Any] = []
    if AVAILABLE and hasattr(leaf, "_read_ids") and hasattr(leaf, "_next_block"):
        while not leaf._atend:
            leaf._read_ids()
            leaf._read_weights()
            ids.extend(leaf._ids)
            weights.extend(leaf._weights)
            if values:
                leaf._read_values()
                encoded.extend(leaf._values)
            leaf._next_block()
        return ids, weights, encoded
    # The public way (deleted documents are already left out here, which is also right).
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if values:
            encoded.append(matcher.value())
        matcher.next()
    return ids, weights, encoded


def _decoder(reader: IndexReader, fieldname: str) -> Callable[[bytes], list[int]]:
    """Encoded positions -> positions. Whoosh's `Positions` format pickles the gaps after a
    4-byte count (`whoosh.formats.Positions.encode`); adding them up in C is faster than its
    own `decode_positions` loop, which is the public way."""
    fmt = reader.schema[fieldname].format
    if not AVAILABLE or not isinstance(fmt, Positions):
        return fmt.decode_positions
    loads = pickle.loads

    def decode(value: bytes) -> list[int]:
        return list(accumulate(loads(value[4:] if value.endswith(b".") else value[4:] + b".")))

    return decode


def read_positions(reader: IndexReader, fieldname: str, text: str, docnums: list[int]) -> dict[int, list[int]]:
    """The positions of a term in each of `docnums` (ascending, this segment's numbers) that
    holds it. Reads only the posting blocks that can hold them (block headers say their last
    document), and finds the documents in a block by bisection."""
    found: dict[int, list[int]] = {}
    if not docnums or (fieldname, text) not in reader:
        return found
    decode = _decoder(reader, fieldname)
    matcher = reader.postings(fieldname, text)
    leaf = getattr(matcher, "child", matcher)
    if AVAILABLE and hasattr(leaf, "_read_ids") and hasattr(leaf, "_maxid"):
        i, count = 0, len(docnums)
        while not leaf._atend and i < count:
            if leaf._maxid >= docnums[i]:
                leaf._read_ids()
                leaf._read_values()
                ids, values = leaf._ids, leaf._values
                while i < count and docnums[i] <= leaf._maxid:
                    j = bisect.bisect_left(ids, docnums[i])
                    if j < len(ids) and ids[j] == docnums[i]:
                        found[docnums[i]] = decode(values[j])
                    i += 1
            leaf._next_block()
        return found
    for docnum in docnums:  # the public way
        if not matcher.is_active():
            break
        matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            found[docnum] = list(matcher.value_as("positions"))
    return found


def positions_decoder(reader: IndexReader, fieldname: str) -> Callable[[bytes], list[int]]:
    """A function turning a posting's encoded value (from `read_postings(values=True)`) into positions."""
    return _decoder(reader, fieldname)


def length_bytes(reader: IndexReader, fieldname: str) -> bytes:
    """The field-length column of one segment as raw bytes, one per document (decode a byte
    with `whoosh.util.numeric.byte_to_length`); `Unavailable` when it can't be read this way."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

    column = _perdoc(reader)._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        raise Unavailable(f"no lengths for {fieldname}")
    try:
        return column._dbfile.get(column._basepos, column._count)
    except AttributeError:
        raise Unavailable("lengths column") from None


def worker_writer(whoosh_ix: Any, limitmb: int) -> Any:
    """A writer for a worker process that writes a segment of its own: Whoosh's `SegmentWriter`
    without the index lock (`_lk=False`; the parent holds it), as its own `MpWriter` makes them."""
    if not AVAILABLE:
        raise Unavailable("segments written in worker processes")
    from whoosh.writing import SegmentWriter

    writer = SegmentWriter(whoosh_ix, _lk=False, limitmb=limitmb, compound=False)
    fast_flush(writer)
    return writer


def finish_worker_segment(writer: Any) -> Any:
    """Write out a worker's segment (`_finalize_segment`) and return it, or None if it is empty.

    The writer's temporary folder is shared with the parent, which removes it when it commits."""
    if writer.doc_count() == 0:
        writer.pool.cleanup()
        return None
    return writer._finalize_segment()


def fast_flush(writer: Any) -> None:
    """Make `writer` (a `SegmentWriter`) write its postings with `_flush_postings` when it
    commits or finishes its segment; nothing changes where that is `Unavailable`."""
    from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter

    if not AVAILABLE or type(writer.codec) is not W3Codec or type(writer.fieldwriter) is not W3FieldWriter:
        return
    writer._flush_segment = lambda: _flush_segment(writer)


def _flush_segment(writer: Any) -> None:
    """`SegmentWriter._flush_segment`, with the postings written by `_flush_postings`."""
    writer.perdocwriter.close()
    lengths = writer.per_document_reader() if writer.codec.length_stats else None
    try:
        _flush_postings(writer.fieldwriter, writer.schema, lengths, writer.pool.iter_postings(), writer.codec._blocklimit)
        writer.fieldwriter.close()
    finally:
        if lengths is not None:
            lengths.close()


def _field_lengths(lengths: Any, fieldname: str) -> list[int | None]:
    """The length of `fieldname` in every document, as `doc_field_length` gives it (None for 0)."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.util.numeric import byte_to_length

    column = lengths._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN) if lengths is not None else None
    if column is None:
        return []
    table = [None, *(byte_to_length(b) for b in range(1, 256))]
    return [table[b] for b in column._dbfile.get(column._basepos, column._count)]


def _flush_postings(fieldwriter: Any, schema: Any, lengths: Any, postings: Iterable[tuple], blocklimit: int) -> None:
    """`FieldWriter.add_postings` for the W3 codec, a term's postings at a time (see the module
    docstring): the same calls of `start_field`, `start_term`, `finish_term`, `finish_field`, and
    the same blocks as `W3PostingsWriter.add_posting` fills one posting at a time."""
    from array import array
    from itertools import groupby
    from operator import itemgetter

    field_lengths: list[int | None] = []
    current = None
    for (fieldname, btext), group in groupby(postings, key=itemgetter(0, 1)):
        if fieldname != current:
            if current is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            field_lengths = _field_lengths(lengths, fieldname)
            current = fieldname
        rows = [row for row in group if row[2] != -1]  # docnum -1: a spelling word (none here)
        if not rows:
            continue
        _, _, ids, weights, values = zip(*rows, strict=True)
        count = len(ids)
        fieldwriter.start_term(btext)
        writer = fieldwriter._postwriter
        for start in range(0, count, blocklimit):
            end = min(start + blocklimit, count)
            block = ids[start:end]
            writer._ids = array("I", block)
            writer._weights = array("f", weights[start:end])
            writer._values = [value for value in values[start:end] if value]
            found = [length for length in map(field_lengths.__getitem__, block) if length] if field_lengths else []
            writer._minlength = min(found) if found else None
            writer._maxlength = max(found) if found else 0
            writer._maxweight = max(0, *weights[start:end])
            if end < count:
                writer._write_block()
        fieldwriter.finish_term()
    if current is not None:
        fieldwriter.finish_field()


def commit_segments(writer: Any, segments: list[Any]) -> None:
    """Commit the parent's writer with the segments written by worker processes: the existing
    segments as they are (deletions included, no merge), then the new ones (`_commit_toc`,
    `_finish`, as `MpWriter` does with `multisegment`)."""
    from whoosh.writing import NO_MERGE

    existing = NO_MERGE(writer, writer.segments)
    writer._commit_toc(existing + segments)
    writer._finish()


def prefix_terms(reader: IndexReader, fieldname: str, prefix: str) -> list[tuple[bytes, int]]:
    """Every term of one segment's field that starts with `prefix`, in order, with its document
    frequency: what `reader.iter_prefix(fieldname, prefix)` yields as (text, doc_frequency()),
    and by that public way where the terms file can't be read in one piece."""
    try:
        return _read_prefix_terms(reader, fieldname, prefix)
    except Unavailable:
        return [(text, info.doc_frequency()) for text, info in reader.iter_prefix(fieldname, prefix)]


def _read_prefix_terms(reader: IndexReader, fieldname: str, prefix: str) -> list[tuple[bytes, int]]:
    from whoosh.codec.whoosh3 import W3TermsReader
    from whoosh.filedb.filetables import _lengths

    terms = getattr(reader, "_terms", None)
    if not AVAILABLE or type(terms) is not W3TermsReader:
        raise Unavailable("terms file")
    if fieldname not in reader.schema or fieldname not in terms._fieldmap:
        return []
    key = terms._keycoder(fieldname, reader.schema[fieldname].to_bytes(prefix))
    table = terms._tindex
    start = table.closest_key_pos(key)
    if start is None:
        return []
    # The records of the keys starting with `key` end where the first key after them starts.
    following = key.rstrip(b"\xff")
    end = table.closest_key_pos(following[:-1] + bytes((following[-1] + 1,))) if following else None
    end = table.endofdata if end is None else end
    if not start <= end <= table.endofdata:
        raise IndexDamaged(f"the terms file of {reader} is out of order")
    data = table.dbfile.get(start, end - start)
    unpack, head, size = _lengths.unpack_from, _lengths.size, len(data)
    frequency = _DOC_FREQUENCY.unpack_from
    skip, field = len(key), len(terms._keycoder(fieldname, b""))
    found: list[tuple[bytes, int]] = []
    position = 0
    while position < size:
        key_length, data_length = unpack(data, position)
        at = position + head
        if key_length < skip or data_length < 5 + _DOC_FREQUENCY.size or at + key_length + data_length > size:
            raise IndexDamaged(f"a term record of {reader} is cut short")
        if data[at : at + skip] != key:
            raise IndexDamaged(f"the terms file of {reader} is out of order")
        found.append((data[at + field : at + key_length], frequency(data, at + key_length + 5)[0]))
        position = at + key_length + data_length
    return found


#: Where a W3 term info keeps its document frequency: after the flags byte and the total weight.
_DOC_FREQUENCY = struct.Struct("!I")


def range_terms(node: Any, reader: IndexReader) -> Iterable[Any] | None:
    """What a numeric range or another multi-term query stands for in this segment: a compiled
    query (for a numeric range) or the terms' bytes (other multi-term queries); None if unknown."""
    if not AVAILABLE:
        return None
    from whoosh import query as wq

    if isinstance(node, wq.NumericRange):
        return node._compile_query(reader)
    if isinstance(node, wq.MultiTerm):
        return node._btexts(reader)
    return None


__all__ = [
    "AVAILABLE",
    "commit_segments",
    "fast_flush",
    "finish_worker_segment",
    "worker_writer",
    "positions_decoder",
    "prefix_terms",
    "read_positions",
    "CHECKED_VERSIONS",
    "Unavailable",
    "deleted_docs",
    "length_bytes",
    "open_columns",
    "range_terms",
    "read_postings",
]
