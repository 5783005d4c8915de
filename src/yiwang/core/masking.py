"""Masking of personal data for display (DESIGN §3.8, REQUIREMENTS §2 "Display").

Listings, search results, case timelines, receipts and exports show who a record concerns without
showing the data itself: an ID number with its birth date hidden identifies the applicant to the
clerk who holds the original, yet reveals neither age nor the full number to anyone looking over
the shoulder or reading an export. The full value is shown only with a permission, and that view
is audited (not this module's job).

Every function here:

* never raises — whatever it is given (``None``, a number, a malformed value) it returns a string,
  because a display helper that crashes a listing over one bad row is worse than useless;
* returns ``""`` for empty input (``None`` or whitespace only);
* keeps the length of the (stripped) value, one ``*`` per hidden character;
* reveals at most what its rule allows. A value that does not have the expected shape is masked
  by the conservative fallback: only the last ``min(4, n // 4)`` characters stay visible, which
  is never more than the rule reveals of a well-formed value.

The values are masked as given (after stripping surrounding whitespace); they are not validated.
"""

from __future__ import annotations

MASK = "*"


def _text(value: object) -> str:
    if value is None:
        return ""
    try:
        return str(value).strip()
    except Exception:  # a display helper never raises, not even for a broken __str__
        return ""


def _keep(value: str, head: int, tail: int) -> str:
    hidden = len(value) - head - tail
    return value[:head] + MASK * hidden + (value[len(value) - tail :] if tail else "")


def _fallback(value: str) -> str:
    """Hide everything but the last min(4, n // 4) characters (at least 3/4 hidden)."""
    return _keep(value, 0, min(4, len(value) // 4))


def mask_person_id(value: str | None) -> str:
    """``330203199001011234`` → ``330203********1234``: hide the 8-digit birth date.

    The address code (first 6) and the order code + check character (last 4) stay visible,
    as REQUIREMENTS §2 allows ("ID numbers may hide the birth date"): enough for a clerk or the
    holder to recognise the number, not enough to learn the birth date. A 15-digit first-generation
    number hides its 6-digit birth date the same way (``330203******123``).
    """
    text = _text(value)
    if len(text) == 18:
        return _keep(text, 6, 4)
    if len(text) == 15:
        return _keep(text, 6, 3)
    return _fallback(text)


def mask_phone(value: str | None) -> str:
    """``13812345678`` → ``138****5678``: the usual mainland mobile-number mask.

    The network prefix and the last 4 digits let the user recognise their own number (e.g. "we
    sent a code to 138****5678") without disclosing it. Any other shape (landlines, foreign
    numbers, typing errors) gets the conservative fallback: ``87654321`` → ``******21``.
    """
    text = _text(value)
    if len(text) == 11 and text.isascii() and text.isdigit() and text[0] == "1":
        return _keep(text, 3, 4)
    return _fallback(text)


def mask_name(value: str | None) -> str:
    """``张三`` → ``张*``, ``欧阳小明`` → ``欧***``: keep only the first character.

    Used where a listing must show whose record it is (complaints shown publicly with the
    complainant hidden, suggestions published without private data, queue screens). A
    one-character name shows nothing (``*``), since its first character would be all of it.
    """
    text = _text(value)
    if len(text) <= 1:
        return MASK * len(text)
    return _keep(text, 1, 0)


def mask_uscc(value: str | None) -> str:
    """``91330200MA2AAAAAAX`` → ``91************AAAX``: keep the first 2 and the last 4.

    An enterprise's USCC is public (国家企业信用信息公示系统), but the code of a 个体工商户
    (authority 9, category 2) belongs to a natural person, and listings do not need the whole
    code. The first two characters say what kind of body it is (registration authority and
    category); the last four let the holder recognise it. The region (positions 3–8) is hidden
    as well, since for a sole trader it locates the person.
    """
    text = _text(value)
    if len(text) == 18:
        return _keep(text, 2, 4)
    return _fallback(text)
