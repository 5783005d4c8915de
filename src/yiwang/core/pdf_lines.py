"""Chinese line breaking for reportlab paragraphs (GB/T 15834-2011 标点符号用法).

reportlab's CJK wrapping knows only a Japanese list of forbidden marks and lets a line start with
"，" or end with "《". :class:`ChineseParagraph` wraps a plain run of text by the Chinese rules
instead; official documents (notices, later licences) use it.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

__all__ = ["HARD_BREAK", "NO_LINE_END", "NO_LINE_START", "ChineseParagraph", "break_lines"]

# GB/T 15834-2011 标点符号用法: these marks never start a line, and opening quotes, brackets and
# 书名号 never end one. reportlab's CJK wrapping knows only a Japanese list and lets a line start
# with "，" or end with "《", so documents wrap their text themselves (ChineseParagraph).
NO_LINE_START = "，。、；：？！”’）》〉」』】〕"
NO_LINE_END = "“‘（《〈「『【〔"
HARD_BREAK = "\ue000"  # a line break in user text; <br/> would split the paragraph into frags


def _latin(char: str) -> bool:
    return char.isascii() and not char.isspace()


def _breakable(text: str, at: int) -> bool:
    """May a line end before ``text[at]``?"""
    before, after = text[at - 1], text[at]
    return (
        after not in NO_LINE_START
        and before not in NO_LINE_END
        and not (_latin(before) and _latin(after))  # inside a number, a code or a URL
    )


def break_lines(text: str, width, max_widths: list[float]) -> list[tuple[float, str]]:
    """Greedy line breaking for Chinese with Latin runs: ``(unused width, line)`` per line.

    A line is as long as fits; where the next character may not start a line (or the last may
    not end one, or a Latin word would be cut) the break moves back to the nearest allowed
    place, which pushes one or two characters to the next line. A Latin run longer than a whole
    line (a URL) is cut where the line is full."""
    lines: list[tuple[float, str]] = []
    for part in text.split(HARD_BREAK):
        widths = [width(char) for char in part]
        start = 0
        while True:
            limit = max_widths[min(len(lines), len(max_widths) - 1)]
            end, used = start, 0.0
            while end < len(part) and used + widths[end] <= limit + 1e-6:
                used += widths[end]
                end += 1
            if end == start < len(part):
                end += 1  # a glyph wider than the line: it still has to go somewhere
            elif end < len(part):
                end = next((at for at in range(end, start, -1) if _breakable(part, at)), end)
            line = part[start:end].rstrip()
            lines.append((limit - sum(width(char) for char in line), line))
            start = end
            while start < len(part) and part[start].isspace():
                start += 1
            if start >= len(part):
                break
    return lines


class ChineseParagraph(Paragraph):
    """A Paragraph whose single run of plain text wraps by the Chinese rules (``break_lines``)."""

    def breakLinesCJK(self, maxWidths):  # reportlab's name
        frags = self.frags
        if len(frags) != 1 or getattr(self, "_splitpara", 0) or hasattr(frags[0], "cbDefn"):
            return super().breakLinesCJK(maxWidths)
        if not isinstance(maxWidths, list | tuple):
            maxWidths = [maxWidths]
        frag = frags[0]
        text = frag.text if hasattr(frag, "text") else "".join(getattr(frag, "words", []))
        font, size = frag.fontName, frag.fontSize
        lines = break_lines(text, lambda char: stringWidth(char, font, size), list(maxWidths))
        return frag.clone(
            kind=0,
            lines=[(space, [line]) for space, line in lines],
            ascent=size,
            descent=-0.2 * size,
        )
