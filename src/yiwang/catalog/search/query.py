"""From what a citizen typed to a structured query: words, synonyms, stop words.

A query is a sequence of *units* that must all match (or, relaxed, as many as possible). A unit
is a choice of *alternatives* — the words as typed, or what a synonym group says they mean — and
an alternative is a sequence of *words* that must all occur. A word occurs in a document when the
document has it as a token, or has all the dictionary words inside it (公积金 = 公积 + 积金), so
that a different cut of the same text still matches.

Nothing of the raw query reaches a database: the backends quote each token as a phrase
(FTS5 ``"…"``, tsquery ``'…'``), and :func:`~yiwang.catalog.search.text.normalize` has already
removed every character that is not a letter or a digit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yiwang.catalog.search import synonyms
from yiwang.catalog.search.text import (
    MAX_QUERY_LENGTH,
    is_latin,
    normalize,
    query_words,
    subwords,
)
from yiwang.core.errors import DomainError

__all__ = [
    "STOP_WORDS",
    "Alternative",
    "ParsedQuery",
    "Unit",
    "Word",
    "check_length",
    "parse",
    "phrase_alternative",
]

TYPED, EXPANDED = 1.0, 0.9

# Words that say how, not what ("公积金怎么取", "我要结婚"): dropped unless nothing else is left.
STOP_WORDS = frozenset(
    [
        "我",
        "我要",
        "我想",
        "想",
        "要",
        "想要",
        "需要",
        "请问",
        "请",
        "你好",
        "您好",
        "怎么",
        "怎么办",
        "怎样",
        "如何",
        "咋",
        "咋办",
        "在哪",
        "在哪里",
        "哪里",
        "哪儿",
        "去哪",
        "到哪",
        "什么",
        "啥",
        "哪些",
        "哪个",
        "可以",
        "能",
        "能否",
        "是否",
        "吗",
        "呢",
        "啊",
        "吧",
        "呀",
        "了",
        "的",
        "地",
        "得",
        "和",
        "与",
        "及",
        "或",
        "在",
        "去",
        "到",
        "给",
        "帮",
        "帮我",
        "一下",
        "一个",
        "办理",
        "办",
        "怎么样",
        "流程",
        "手续",
        "需要",
        "多久",
        "多少",
        "哪",
        "是",
        "有",
        "有没有",
        "应该",
        "该",
    ]
)


def check_length(raw: str) -> None:
    if len(raw) > MAX_QUERY_LENGTH:
        raise DomainError(
            f"搜索词太长：最多 {MAX_QUERY_LENGTH} 个字，现有 {len(raw)} 个字", field="q"
        )


@dataclass(frozen=True)
class Word:
    text: str
    parts: tuple[str, ...] = ()

    def tokens(self) -> tuple[str, ...]:
        return (self.text, *self.parts)


@dataclass(frozen=True)
class Alternative:
    words: tuple[Word, ...]
    weight: float = TYPED


@dataclass(frozen=True)
class Unit:
    alternatives: tuple[Alternative, ...]


@dataclass
class ParsedQuery:
    raw: str
    normalized: str
    units: tuple[Unit, ...]
    # Normalised names that count as an exact hit, with their weight (the query itself, and
    # the targets of a synonym that covers the whole query).
    exact: dict[str, float] = field(default_factory=dict)
    latin: bool = False

    @property
    def empty(self) -> bool:
        return not self.units

    def highlight_terms(self) -> list[str]:
        """What to mark in names and summaries: every word and part of every alternative;
        single characters only when the query is a single character (else 取 would light up
        every 取 in a text)."""
        terms: set[str] = set()
        for unit in self.units:
            for alternative in unit.alternatives:
                for word in alternative.words:
                    terms.update(word.tokens())
        single = len(self.normalized) == 1
        return sorted(t for t in terms if single or len(t) > 1)


def _word(text: str) -> Word:
    return Word(text, subwords(text))


def phrase_alternative(phrase: str, weight: float) -> Alternative | None:
    """An alternative that stands for a whole phrase (a synonym target, a pinyin term)."""
    words = tuple(_word(w) for w, _, _ in query_words(normalize(phrase)) if w.strip())
    return Alternative(words, weight) if words else None


def parse(raw: str) -> ParsedQuery:
    """Parse a query; raises DomainError (400) beyond :data:`MAX_QUERY_LENGTH` characters and
    never for any content."""
    check_length(raw)
    normalized = normalize(raw)
    words = query_words(normalized)
    if not words:
        return ParsedQuery(raw, normalized, ())
    meaningful = [w for w in words if w[0] not in STOP_WORDS] or words
    expansions = synonyms.find(normalized)

    def covering(start: int, end: int) -> synonyms.Expansion | None:
        for expansion in expansions:
            if start < expansion.end and expansion.start < end:
                return expansion
        return None

    units: list[Unit] = []
    index = 0
    while index < len(words):
        text, start, end = words[index]
        expansion = covering(start, end)
        if expansion is None:
            index += 1
            if (text, start, end) in meaningful:
                units.append(Unit((Alternative((_word(text),)),)))
            continue
        # Every word overlapping the synonym's span forms one unit with the synonym's targets.
        typed: list[Word] = []
        while index < len(words) and covering(words[index][1], words[index][2]) is expansion:
            typed.append(_word(words[index][0]))
            index += 1
        alternatives = [Alternative(tuple(typed))]
        for target in expansion.targets:
            alternative = phrase_alternative(target, EXPANDED)
            if alternative is not None:
                alternatives.append(alternative)
        units.append(Unit(tuple(alternatives)))

    core = "".join(w for w, _, _ in meaningful) if not is_latin(normalized) else normalized
    exact = {normalized: TYPED, core: TYPED}
    for expansion in expansions:
        if expansion.word in (core, normalized):
            for target in expansion.targets:
                exact.setdefault(target, EXPANDED)
    # A word typed twice is one condition, not twice the score.
    units = list(dict.fromkeys(units))
    return ParsedQuery(raw, normalized, tuple(units), exact, latin=is_latin(normalized))
