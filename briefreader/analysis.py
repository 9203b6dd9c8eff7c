"""Dutch text analysis for the search index: the one place words become index terms.

Indexing and querying must agree on every step, so both use `dutch_analyzer()`:

1. split into words (runs of letters and digits; `EU-lidstaten` is two words),
2. lower-case and fold accents (`Moldavië` -> `moldavie`, `coördinator` -> `coordinator`), so a user typing
   without accents still finds the word,
3. drop Dutch stop words (`de`, `het`, `van`, ...),
4. Snowball-stem (`migratiestromen` and `migratiestroom` -> `migratiestrom`), then remove the plural
   endings Snowball keeps (`brieven` -> `brief`, `moties` -> `motie`; see `stem_word`).

The highlighter re-runs the same analyzer over a paragraph with character offsets, so a stemmed
match (`asielzoekers` for the query `asielzoeker`) is highlighted where it stands.

Whoosh pickles the analyzer into the index's table of contents, so the stem function must be a
module-level function (pickled by name) and the schema version in `briefreader.index` must change
whenever what this module produces changes.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from whoosh.analysis import Analyzer, Filter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import stopwords_for_language
from whoosh.lang.snowball.dutch import DutchStemmer
from whoosh.support.charset import accent_map

#: Dutch stop words (Snowball's list, as shipped with Whoosh), accent-folded like the text.
STOP_WORDS: frozenset[str] = frozenset(stopwords_for_language("nl"))

#: A word: a run of letters and digits. Hyphens and dots split, so `EU-lidstaten` indexes both
#: parts and `www.tweedekamer.nl` is found by `tweedekamer`; a query word that splits becomes a phrase.
WORD_PATTERN = r"\w+"

_STEMMER = DutchStemmer()

# --- plurals Snowball leaves apart -----------------------------------------------------------
#
# Dutch Snowball (the Porter-style algorithm Whoosh ships) removes one ending: `-en`, `-s` after
# a consonant, or `-heden`. Plurals it leaves apart from their singular (measured on 319 pairs
# from real Kamerbrieven, tests/search_fixtures/dutch_plurals.txt: Snowball conflates 228):
#
# - f/v and s/z alternation: brief/brieven, huis/huizen, prijs/prijzen, grens/grenzen;
# - `-s` after a vowel: motie/moties, gemeente/gemeentes, bureau/bureaus, industrie/industrieën;
# - a doubled consonant before `-en`: stap/stappen, cel/cellen, staatssecretaris/staatssecretarissen;
# - two endings: haven/havens (`-en` + `-s`), kans/kansen (`-s` + `-en`);
# - a few irregular plurals: lid/leden, stad/steden, schip/schepen, kind/kinderen.
#
# `stem_word` adds these steps after Snowball and conflates all 319. PyStemmer's newer `dutch`
# algorithm (Snowball 3) conflates 285 and also merges words that differ (gevolg/volgen,
# gelijk/lijken, gesteld/stelsel), so it is not used (README, "Dependencies").

_VOWELS = frozenset("aeiouy")
#: Singular nouns ending in `-es` (and their compounds): not the plural `-s` of a word in `-e`.
SINGULAR_ES = ("proces", "adres", "congres", "succes", "exces", "progres", "kompres")
#: A stem ending in `-es` is a plural of a word in `-e` only when it is longer than this (`les`, `mes`).
SHORT_ES_STEM = 5
#: Irregular plurals (stems after the steps above) and the stem of their singular.
IRREGULAR_STEMS = {
    "sted": "stad",
    "schep": "schip",
    "kinder": "kind",
    "uren": "uur",
    "ur": "uur",
    "crises": "crisis",
    "cris": "crisis",
    "quota": "quotum",
    "decennia": "decennium",
}


def _plural_normalised(word: str, stem: str) -> str:
    """The stem of `word` (Snowball gave `stem`) with the plural endings Snowball keeps removed."""
    again = None
    if stem.endswith("ieen"):  # industrieën, knieën: -ën after -ie
        again = stem[:-2]
    elif stem.endswith(("ies", "aus")):  # moties, bureaus: -s after a vowel
        again = stem[:-1]
    elif len(stem) > SHORT_ES_STEM and stem.endswith("es") and stem[-3] not in _VOWELS and not stem.endswith(SINGULAR_ES):
        again = stem[:-1]  # gemeentes -> gemeente
    elif word.endswith("ens") and stem == word[:-1] and len(stem) > 4:
        again = stem  # havens: Snowball took the -s, the -en stays
    elif word.endswith("sen") and stem.endswith("s") and len(stem) > 3 and stem[-2] not in _VOWELS and stem[-2] != "j":
        again = stem  # kansen: Snowball took the -en, the -s stays
    if again is not None and again != word:
        stem = stem_word(again)
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
        stem = stem[:-1]  # stapp -> stap (Snowball undoubles only kk, dd, tt)
    if stem.endswith(("z", "v")):  # huiz -> huis, briev -> brief
        stem = stem_word(stem[:-1] + ("s" if stem[-1] == "z" else "f"))
    if stem.endswith("led") and word.endswith("leden"):  # kamerleden -> kamerlid
        stem = stem[:-3] + "lid"
    return IRREGULAR_STEMS.get(stem, stem)


@functools.lru_cache(maxsize=200_000)
def stem_word(word: str) -> str:
    """The stem of one lower-cased, accent-folded word: Dutch Snowball, then the plural
    endings Snowball keeps (see above) removed, so a plural meets its singular.

    Cached with functools (thread-safe), not Whoosh's own cache, because searches run in worker
    threads while an indexing thread analyses letters.
    """
    return _plural_normalised(word, _STEMMER.stem(word))


def fold(text: str) -> str:
    """Lower-case and strip accents the way the analyzer does (`Moldavië` -> `moldavie`)."""
    text = text.lower().translate(accent_map)
    # accent_map covers Latin letters; NFKD catches what it misses (combining marks).
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """The index term for one word as typed (`Asielzoekers` -> `asielzoeker`)."""
    return stem_word(fold(word))


class FoldFilter(Filter):
    """Lower-cases and accent-folds each token with `fold()`, so index and highlighter agree."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = fold(token.text)
            yield token


@functools.lru_cache(maxsize=1)
def dutch_analyzer() -> Analyzer:
    """The analyzer used for every text field: tokenize, lower-case, fold, drop stop words, stem."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | FoldFilter()
        # minsize=1: keep single digits and letters (`nr 7`, `artikel 2`); Whoosh drops them by default.
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | StemFilter(stemfn=stem_word, cachesize=None)
    )


def analyze(text: str) -> list[str]:
    """The index terms of `text`, in order (stop words left out)."""
    return [token.text for token in dutch_analyzer()(text)]


_WORD = re.compile(WORD_PATTERN)
#: A word as written -> its index term ("" for a stop word). Indexing looks every word up here
#: (one dict lookup a word, instead of Whoosh's chain of token filters); bounded, so a corpus with
#: a huge vocabulary can't make it grow without end.
_TERMS: dict[str, str] = {}
TERM_CACHE_SIZE = 200_000


def term(word: str) -> str:
    """The index term of one word as written (`Asielzoekers` -> `asielzoeker`), "" for a stop word.

    The same as `dutch_analyzer()` gives for that word (tests/test_analysis.py checks it).
    """
    found = _TERMS.get(word)
    if found is None:
        folded = fold(word)
        found = "" if folded in STOP_WORDS else stem_word(folded)
        if len(_TERMS) < TERM_CACHE_SIZE:
            _TERMS[word] = found
    return found


def words(text: str) -> list[str]:
    """The words of `text` as written, in order (stop words included)."""
    return _WORD.findall(text)


def word_matches(text: str) -> Iterator[re.Match[str]]:
    """The words of `text` with where each stands (`match.start()`, `match.end()`)."""
    return _WORD.finditer(text)


def tokens_with_offsets(text: str) -> list[tuple[str, str, int, int]]:
    """Every word of `text` as (term, folded word, start, end); stop words have term ``""``.

    The highlighter needs the stop words' places too, to follow a phrase word by word, so this
    walks the tokenizer itself rather than the analyzer chain.
    """
    return [(term(match.group()), fold(match.group()), match.start(), match.end()) for match in _WORD.finditer(text)]


__all__ = [
    "IRREGULAR_STEMS",
    "SINGULAR_ES",
    "STOP_WORDS",
    "WORD_PATTERN",
    "analyze",
    "dutch_analyzer",
    "fold",
    "stem",
    "stem_word",
    "term",
    "tokens_with_offsets",
    "word_matches",
    "words",
]
