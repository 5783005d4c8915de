"""QR codes (segno) for guide pages, acceptance notices and licences."""

from __future__ import annotations

import io

import segno

__all__ = ["qr_png", "qr_svg"]


def qr_svg(data: str, *, scale: int = 4, title: str = "") -> str:
    """An inline SVG; error correction M survives a scuffed printout."""
    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer,
        kind="svg",
        scale=scale,
        xmldecl=False,
        svgns=True,
        title=title or None,
        dark="#000",
        light="#fff",
        border=2,
    )
    return buffer.getvalue().decode()


def qr_png(data: str, *, scale: int = 4) -> bytes:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
