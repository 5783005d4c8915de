"""The printable guide: a real PDF with the CJK font embedded, that a viewer renders in Chinese."""

import pypdfium2
import pytest

from yiwang.catalog.documents import guide_pdf
from yiwang.catalog.tests.factories import ItemVersionFactory

pytestmark = pytest.mark.django_db


def test_guide_pdf_embeds_the_font_and_reads_back_in_chinese():
    version = ItemVersionFactory(published=True, with_fee=True)
    url = f"https://example.gov.cn/items/{version.item.code}/"
    data = guide_pdf(version, url=url, site_name="一网政务服务平台")

    assert data.startswith(b"%PDF-")
    assert b"/FontFile2" in data  # TrueType outlines embedded, not a bare CID font reference
    pdf = pypdfium2.PdfDocument(data)
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    assert version.name in text
    assert "办事指南" in text
    assert f"第{version.number}版" in text
    assert version.item.code in text
    for material in version.materials.all():
        assert material.name in text
    bitmap = pdf[0].render(scale=1).to_pil().convert("L")
    dark = sum(1 for value in bitmap.getdata() if value < 128)
    # The QR code alone is about 2 700 dark pixels at this scale; glyphs add about 10 000 more.
    # A font that fails to render leaves the QR code only.
    assert dark > 8_000
    pdf.close()
