"""Text handling of the search: normalisation, jieba segmentation, pinyin and highlighting (飘红).

Everything the databases see has gone through :func:`normalize`: NFKC, case-folded, and every
character that is not a letter or a digit replaced by a space. That leaves nothing a full-text
syntax could read as an operator (``"``, ``*``, ``:``, ``^``, ``-``, parentheses …), and it makes
SQLite's ``unicode61`` tokenizer and PostgreSQL's default parser split the segmented text exactly
where jieba put the spaces, so both databases see the same tokens.

jieba is initialised once per process (:func:`warm_up`, called when this module is first
imported, i.e. at start-up through the models): its first cut loads the dictionary and takes
about 1.2 s (DESIGN §6), which must never happen inside a request. ``HMM=False`` everywhere: the
HMM guesses new words from context, so the same text could be cut differently in a document and
in a query; without it, unknown sequences fall apart into single characters on both sides.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from functools import lru_cache

import jieba
from pypinyin import Style, lazy_pinyin

__all__ = [
    "MAX_QUERY_LENGTH",
    "clean",
    "highlight",
    "index_tokens",
    "is_latin",
    "normalize",
    "pinyin_full",
    "pinyin_initials",
    "query_words",
    "subwords",
    "tokens_text",
    "warm_up",
]

MAX_QUERY_LENGTH = 100

_LATIN = re.compile(r"[a-z]+")
_MARK_OPEN, _MARK_CLOSE = "<mark>", "</mark>"


def warm_up() -> None:
    """Load jieba's dictionary now rather than in the first request that searches."""
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()


def _keep(char: str) -> bool:
    # Letters and digits are what unicode61 and PostgreSQL's parser treat as word characters;
    # everything else (punctuation, symbols, emoji, controls, operators) separates words.
    return unicodedata.category(char)[0] in "LN"


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """NFKC, case-folded, non-word characters as single spaces, trimmed: the form stored and
    compared (``"「营业执照」 办理！"`` → ``"营业执照 办理"``)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    # casefold() can produce characters NFKC would change again (rare): normalise once more.
    folded = unicodedata.normalize("NFKC", folded)
    cleaned = "".join(c if _keep(c) else " " for c in folded)
    return " ".join(cleaned.split())


def clean(text: str) -> str:
    """The query as typed, fit to be stored and shown: control characters and lone surrogates
    removed (PostgreSQL refuses NUL in text), runs of white space as one space."""
    kept = "".join(" " if unicodedata.category(c) in ("Cc", "Cs") else c for c in text)
    return " ".join(kept.split())


def _words(text: str) -> list[str]:
    return [w for w in jieba.cut(text, HMM=False) if w.strip()]


@lru_cache(maxsize=65536)
def index_tokens(text: str) -> tuple[str, ...]:
    """The tokens a document is indexed under: jieba's search mode, which keeps each word and
    adds the dictionary words inside it (营业执照 → 营业, 执照, 营业执照), so a query for a part
    finds the whole. Cached: at volume the same names and material lists recur across regions."""
    normalized = normalize(text)
    if not normalized:
        return ()
    return tuple(t for t in jieba.cut_for_search(normalized, HMM=False) if t.strip())


def tokens_text(*texts: str) -> str:
    """Segmented text as stored: tokens separated by single spaces, with a space before the
    first and after the last so that ``' 营业 '`` is found by a plain substring test."""
    tokens = [t for text in texts if text for t in index_tokens(text)]
    return f" {' '.join(tokens)} " if tokens else ""


def query_words(normalized: str) -> list[tuple[str, int, int]]:
    """The words of a normalised query with their [start, end) offsets (precise mode)."""
    words = []
    for word, start, end in jieba.tokenize(normalized, HMM=False):
        if word.strip():
            words.append((word, start, end))
    return words


@lru_cache(maxsize=4096)
def subwords(word: str) -> tuple[str, ...]:
    """The dictionary words inside ``word`` (公积金 → 公积, 积金), for documents where the word
    itself was cut differently; empty when there are none."""
    parts = [t for t in jieba.cut_for_search(word, HMM=False) if t.strip() and t != word]
    if not parts:
        return ()
    covered = set()
    for part in parts:
        start = word.find(part)
        covered.update(range(start, start + len(part)))
    # Only a set of parts that covers every character stands for the word.
    return tuple(dict.fromkeys(parts)) if len(covered) == len(word) else ()


def is_latin(normalized: str) -> bool:
    """True for a query of ASCII letters only (``yyzz``, ``ying ye zhi zhao``)."""
    return bool(normalized) and all(_LATIN.fullmatch(part) for part in normalized.split())


@lru_cache(maxsize=65536)
def pinyin_full(text: str) -> str:
    """Toneless pinyin of the Chinese characters, without separators: 营业执照 → yingyezhizhao."""
    normalized = normalize(text).replace(" ", "")
    return "".join(lazy_pinyin(normalized, errors="ignore"))


@lru_cache(maxsize=65536)
def pinyin_initials(text: str) -> str:
    """The first letter of each character's pinyin: 营业执照 → yyzz."""
    normalized = normalize(text).replace(" ", "")
    return "".join(lazy_pinyin(normalized, style=Style.FIRST_LETTER, errors="ignore"))


def highlight(text: str, terms: list[str] | tuple[str, ...]) -> str:
    """``text`` as HTML with every occurrence of ``terms`` wrapped in ``<mark>``.

    The text is escaped piece by piece, so nothing of it can become markup, and a term can never
    match inside an entity the escaping produced (``amp`` in ``&amp;``). Longer terms win over
    the shorter ones they contain; touching marks are merged (营业 + 执照 → one mark). Matching
    ignores case; a text whose lower-casing changes its length is matched as it is.
    """
    if not text:
        return ""
    lowered = text.lower()
    haystack = lowered if len(lowered) == len(text) else text
    marked = [False] * len(text)
    for term in sorted({t.lower() for t in terms if t}, key=len, reverse=True):
        start = haystack.find(term)
        while start != -1:
            end = start + len(term)
            if not any(marked[start:end]):
                marked[start:end] = [True] * len(term)
            start = haystack.find(term, start + 1)
    pieces = []
    position = 0
    while position < len(text):
        state = marked[position]
        end = position
        while end < len(text) and marked[end] == state:
            end += 1
        piece = html.escape(text[position:end], quote=True)
        pieces.append(f"{_MARK_OPEN}{piece}{_MARK_CLOSE}" if state else piece)
        position = end
    return "".join(pieces)


warm_up()
