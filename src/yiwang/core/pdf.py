"""PDF documents with Chinese text that every viewer renders: guides, notices, receipts.

reportlab's built-in CID font ``STSong-Light`` is not embedded and shows blank in viewers without
CJK data (poppler, many browsers), and reportlab cannot embed CFF-flavoured fonts such as Noto
CJK (DESIGN §6). WenQuanYi Micro Hei is TrueType (a TTC; Debian ``fonts-wqy-microhei``, installed
by ``.ci/run`` and the README's setup), so its glyph subset is embedded in every document.
"""

from __future__ import annotations

import functools
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

__all__ = ["FONT", "CJKFontMissing", "register_cjk_font", "styles"]

FONT = "YiwangCJK"
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
)


class CJKFontMissing(RuntimeError):
    """No embeddable CJK TrueType font on this machine: say which package provides one."""


@functools.cache
def register_cjk_font() -> str:
    """Register the CJK font once per process and return its reportlab name."""
    for path in FONT_CANDIDATES:
        if path.exists():
            pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
            return FONT
    raise CJKFontMissing(
        "找不到可嵌入的中文字体：请安装 fonts-wqy-microhei（apt-get install -y fonts-wqy-microhei）"
    )


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles of yiwang's documents; Chinese wraps anywhere (``wordWrap='CJK'``)."""
    font = register_cjk_font()
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "body": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=8.5, leading=12, textColor=colors.HexColor("#4a4a4a")
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=6
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=base,
            fontSize=10,
            leading=14,
            alignment=TA_CENTER,
            textColor=colors.HexColor("#4a4a4a"),
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontSize=13,
            leading=20,
            spaceBefore=10,
            spaceAfter=4,
            textColor=colors.HexColor("#0b4f9c"),
            keepWithNext=1,  # a section heading never ends a page alone
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=14),
    }
