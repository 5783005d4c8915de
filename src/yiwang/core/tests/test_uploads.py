"""Uploaded materials are judged by their bytes: kind, size, integrity, then the virus scanner."""

import hashlib
import io
import logging
import stat
import struct
import time
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from reportlab.pdfgen import canvas

from yiwang.conf.env import REGISTRY, ConfigurationError, env
from yiwang.core.errors import DomainError
from yiwang.core.uploads import ALLOWED_KINDS, CheckedUpload, check_upload, scan, sniff

MB = 1024 * 1024


# --- real files, made here -----------------------------------------------------------------


def make_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, "yiwang upload test")
    pdf.save()
    return buffer.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def make_png(width: int = 2, height: int = 1) -> bytes:
    """A valid greyscale PNG: signature, IHDR, one IDAT of zero pixels, IEND."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(rows))
        + png_chunk(b"IEND", b"")
    )


def jpeg_segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def make_jpeg(width: int = 3, height: int = 2, *, frame: bool = True) -> bytes:
    """SOI, APP0 (JFIF), DQT, SOF0 with the dimensions, SOS with one byte of data, EOI."""
    app0 = jpeg_segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    dqt = jpeg_segment(0xDB, b"\x00" + bytes(range(1, 65)))
    sof0 = jpeg_segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
    sos = jpeg_segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    return b"\xff\xd8" + app0 + dqt + (sof0 if frame else b"") + sos + b"\x00" + b"\xff\xd9"


def make_zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, "<?xml version='1.0' encoding='UTF-8'?><root/>")
    return buffer.getvalue()


def make_ofd() -> bytes:
    """The layout of GB/T 33190-2016: OFD.xml at the root, the document under Doc_0/."""
    return make_zip("OFD.xml", "Doc_0/Document.xml", "Doc_0/Pages/Page_0/Content.xml")


# A 64-bit little-endian ELF header (as at the start of /bin/true) and a PE file: the "MZ" DOS
# stub, then "PE\0\0" at the offset named at 0x3C. The PE carries "%PDF-" early, like a
# polyglot: the signature at offset 0 decides.
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + b"\x00" * 200
PE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"%PDF-1.7".ljust(44, b"\x00")
    + struct.pack("<I", 64)
    + b"PE\x00\x00\x64\x86"
    + b"\x00" * 200
)
MACHO = b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 100
HTML = b"\xef\xbb\xbf\n  <!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture(autouse=True)
def _no_scanner(settings):
    settings.UPLOAD_SCAN_COMMAND = ""
    settings.UPLOAD_MAX_BYTES = 20 * MB


def refusal(data, name, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        check_upload(data, name=name, **kwargs)
    return caught.value


# --- sniff ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (make_pdf(), "pdf"),
        (b"\x00" * 1024 + b"%PDF-1.4\n%%EOF", "pdf"),  # junk before the header, as allowed
        (b"\x00" * 1025 + b"%PDF-1.4\n%%EOF", None),  # one byte too far
        (make_jpeg(), "jpg"),
        (make_png(), "png"),
        (make_ofd(), "ofd"),
        (make_zip("Doc_0/OFD.xml", "a.txt"), "zip"),  # OFD.xml must be at the root
        (make_zip("a.txt"), "zip"),
        (make_ofd()[:200], "zip"),  # only the start: the central directory is missing
        (make_zip("[Content_Types].xml", "word/document.xml"), "word"),
        (make_zip("[Content_Types].xml", "xl/workbook.xml"), "excel"),
        (make_zip("[Content_Types].xml", "ppt/presentation.xml"), "powerpoint"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "office-legacy"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 20, "archive"),
        (b"Rar!\x1a\x07\x01\x00", "archive"),
        (ELF, "elf"),
        (PE, "pe"),
        (MACHO, "macho"),
        (b"#!/bin/sh\nrm -rf ~\n", "script"),
        (HTML, "html"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", "html"),
        (b"just some text", None),
    ],
)
def test_sniff(data, kind):
    assert sniff(data) == kind


def test_allowed_kinds():
    assert {key: (kind.content_type, kind.extensions) for key, kind in ALLOWED_KINDS.items()} == {
        "pdf": ("application/pdf", (".pdf",)),
        "jpg": ("image/jpeg", (".jpg", ".jpeg")),
        "png": ("image/png", (".png",)),
        "ofd": ("application/ofd", (".ofd",)),
    }


# --- accepted files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "kind", "content_type", "extension"),
    [
        (make_pdf(), "营业执照.pdf", "pdf", "application/pdf", ".pdf"),
        (make_jpeg(), "身份证正面.JPG", "jpg", "image/jpeg", ".jpg"),
        (make_jpeg(), "photo.jpeg", "jpg", "image/jpeg", ".jpg"),
        (make_png(), "平面图.png", "png", "image/png", ".png"),
        (make_ofd(), "电子证照.ofd", "ofd", "application/ofd", ".ofd"),
    ],
)
def test_each_allowed_kind_is_accepted(data, name, kind, content_type, extension):
    assert check_upload(data, name=name) == CheckedUpload(
        kind=kind,
        content_type=content_type,
        extension=extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=name,
        notice="",
    )


def test_an_uploaded_file_is_read_and_rewound():
    data = make_pdf()
    upload = SimpleUploadedFile("申请书.pdf", data, content_type="application/octet-stream")
    checked = check_upload(upload, name=upload.name)
    assert (checked.kind, checked.size, checked.sha256) == (
        "pdf",
        len(data),
        hashlib.sha256(data).hexdigest(),
    )
    assert upload.tell() == 0
    assert upload.read() == data


@pytest.mark.parametrize(
    ("data", "name", "kind", "extension", "notice", "stored_name"),
    [
        (make_png(), "x.pdf", "png", ".png", "文件名是 .pdf，但内容是 PNG 图片", "x.png"),
        (make_pdf(), "扫描件.jpg", "pdf", ".pdf", "文件名是 .jpg，但内容是 PDF 文件", "扫描件.pdf"),
        (make_jpeg(), "a.png", "jpg", ".jpg", "文件名是 .png，但内容是 JPG 图片", "a.jpg"),
        (make_ofd(), "证照.zip", "ofd", ".ofd", "文件名是 .zip，但内容是 OFD 文件", "证照.ofd"),
        (make_pdf(), "申请书", "pdf", ".pdf", "", "申请书.pdf"),  # no extension: nothing to say
        (make_pdf(), "申请书.PDF", "pdf", ".pdf", "", "申请书.PDF"),
    ],
)
def test_a_name_that_does_not_match_allowed_content_is_accepted_as_the_content(
    data, name, kind, extension, notice, stored_name
):
    checked = check_upload(data, name=name)
    assert (checked.kind, checked.extension, checked.notice, checked.original_name) == (
        kind,
        extension,
        notice,
        name,
    )
    assert checked.stored_name == stored_name


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("C:\\Users\\张三\\Desktop\\营业执照.pdf", "营业执照.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("a\x00b\r\n\u202ec.pdf", "abc.pdf"),  # control and bidi-override characters
        ("  申请书.pdf  ", "申请书.pdf"),
        ("长" * 150 + ".pdf", "长" * 96 + ".pdf"),
        ("a." + "b" * 150, "a." + "b" * 98),  # no real extension to keep
        ("dir/", "未命名文件"),
        ("..", "未命名文件"),
        ("", "未命名文件"),
    ],
)
def test_names_are_cleaned(name, cleaned):
    assert check_upload(make_pdf(), name=name).original_name == cleaned


# --- refused files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (ELF, "x.pdf", "「x.pdf」不是 PDF、JPG、PNG 或 OFD 文件：内容是可执行程序，已拒绝"),
        (
            PE,
            "申请表.pdf",
            "「申请表.pdf」不是 PDF、JPG、PNG 或 OFD 文件：内容是可执行程序，已拒绝",
        ),
        (MACHO, "a.jpg", "「a.jpg」不是 PDF、JPG、PNG 或 OFD 文件：内容是可执行程序，已拒绝"),
        (
            b"#!/bin/sh\n",
            "a.pdf",
            "「a.pdf」不是 PDF、JPG、PNG 或 OFD 文件：内容是脚本程序，已拒绝",
        ),
        (HTML, "x.png", "「x.png」不是 PDF、JPG、PNG 或 OFD 文件：内容是网页（HTML），已拒绝"),
        (
            make_zip("a.txt"),
            "材料.ofd",
            "「材料.ofd」不是 PDF、JPG、PNG 或 OFD 文件：内容是 ZIP 压缩包，已拒绝",
        ),
        (
            make_zip("[Content_Types].xml", "word/document.xml"),
            "申请书.docx",
            "「申请书.docx」不是 PDF、JPG、PNG 或 OFD 文件：内容是 Word 文档，已拒绝",
        ),
        (
            b"plain text",
            "C:\\tmp\\说明.pdf",
            "「说明.pdf」不是 PDF、JPG、PNG 或 OFD 文件：无法识别其内容，已拒绝",
        ),
    ],
)
def test_other_content_is_refused_whatever_its_name(data, name, message):
    error = refusal(data, name, field="material_3")
    assert (error.message, error.field) == (message, "material_3")


@pytest.mark.parametrize("data", [b"", SimpleUploadedFile("x.pdf", b"")])
def test_an_empty_file_is_refused(data):
    error = refusal(data, "x.pdf", field="m1")
    assert (error.message, error.field) == ("文件是空的", "m1")


def test_an_oversized_file_names_the_limit_and_its_size():
    data = b"%PDF-1.7\n" + b"\x00" * (int(23.4 * MB) - 15) + b"%%EOF\n"
    assert len(data) == 24536678
    assert refusal(data, "x.pdf").message == "文件不能超过 20 MB（此文件 23.4 MB）"


@pytest.mark.parametrize(
    ("size", "max_bytes", "message"),
    [
        (20 * MB + 1, 20 * MB, "文件不能超过 20 MB（此文件 20.1 MB）"),  # rounded up
        (21 * MB, 20 * MB, "文件不能超过 20 MB（此文件 21 MB）"),
        (1536 * 1024, MB, "文件不能超过 1 MB（此文件 1.5 MB）"),
        (600 * 1024, 500 * 1024, "文件不能超过 500 KB（此文件 600 KB）"),
        (101, 100, "文件不能超过 100 字节（此文件 101 字节）"),
    ],
)
def test_size_messages(size, max_bytes, message):
    assert refusal(b"%PDF-" + b"\x00" * (size - 5), "x.pdf", max_bytes=max_bytes).message == message


def test_the_limit_itself_is_allowed():
    data = b"%PDF-1.4\n" + b"\x00" * (100 - 15) + b"%%EOF\n"
    assert check_upload(data, name="x.pdf", max_bytes=100).size == 100


def test_a_20_mb_multipart_upload_reaches_the_check():
    """Django's upload settings let a file of UPLOAD_MAX_BYTES through to check_upload."""
    data = b"%PDF-1.4\n" + b"\x00" * (20 * MB - 15) + b"%%EOF\n"
    request = RequestFactory().post(
        "/", {"title": "申请", "file": SimpleUploadedFile("a.pdf", data)}
    )
    upload = request.FILES["file"]
    assert request.POST["title"] == "申请"
    checked = check_upload(upload, name=upload.name)
    assert (checked.kind, checked.size) == ("pdf", 20 * MB)
    bigger = RequestFactory().post("/", {"file": SimpleUploadedFile("b.pdf", data + b"\n")})
    assert refusal(bigger.FILES["file"], "b.pdf").message == "文件不能超过 20 MB（此文件 20.1 MB）"


def test_a_truncated_pdf_is_refused():
    data = make_pdf()
    assert refusal(data[: len(data) // 2], "x.pdf").message == "PDF 文件不完整"


@pytest.mark.parametrize(
    "data",
    [
        make_png()[:20],  # cut inside IHDR
        make_png()[:17] + b"\xff" + make_png()[18:],  # width changed: the CRC no longer fits
        make_png(width=0),
        b"\x89PNG\r\n\x1a\n" + png_chunk(b"IDAT", b"x"),  # no IHDR first
        make_jpeg(frame=False),  # scan data before any frame header
        make_jpeg(width=0),
        make_jpeg()[:30],  # cut before the frame header
        b"\xff\xd8\xff\xe0\x00\x01",  # a segment length below 2
    ],
)
def test_an_image_whose_dimensions_cannot_be_read_is_refused(data):
    assert refusal(data, "x.png").message == "图片文件已损坏"


# --- the scan hook -------------------------------------------------------------------------


def scanner(tmp_path, body: str, name: str = "scan") -> str:
    """A scanner script in tmp_path; returns its path, quoted as it goes in the setting."""
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_no_command_means_no_scan(settings):
    settings.UPLOAD_SCAN_COMMAND = ""
    assert scan(b"anything") is None


def test_a_clean_file_passes_and_the_scanner_reads_it_on_stdin(settings, tmp_path):
    seen = tmp_path / "seen"
    script = scanner(tmp_path, 'printf "%s " "$@" > "$2"; cat >> "$2"\n', name="my scan")
    settings.UPLOAD_SCAN_COMMAND = f"'{script}' --stdin '{seen}'"
    data = make_png()
    checked = check_upload(data, name="a.png")
    assert checked.kind == "png"
    assert seen.read_bytes() == f"--stdin {seen} ".encode() + data


def test_an_infected_file_is_refused(settings, tmp_path, caplog):
    settings.UPLOAD_SCAN_COMMAND = scanner(tmp_path, "cat > /dev/null\nexit 1\n")
    data = make_pdf()
    with caplog.at_level(logging.WARNING, logger="yiwang.core.uploads"):
        error = refusal(data, "a.pdf", field="m2")
    assert (error.message, error.field) == ("文件未通过病毒查杀，已拒绝", "m2")
    assert caplog.messages == [f"上传文件未通过病毒查杀：sha256={hashlib.sha256(data).hexdigest()}"]


def test_a_scanner_error_refuses_the_file_as_not_checked(settings, tmp_path, caplog):
    script = scanner(tmp_path, "echo 'database missing' >&2\nexit 2\n")
    settings.UPLOAD_SCAN_COMMAND = script
    data = make_pdf()
    with caplog.at_level(logging.ERROR, logger="yiwang.core.uploads"):
        error = refusal(data, "a.pdf")
    assert error.message == "暂时无法完成文件安全检查，请稍后再试"
    digest = hashlib.sha256(data).hexdigest()
    assert caplog.messages == [
        f"病毒查杀出错（{script} 退出码 2）：database missing，文件 sha256={digest}"
    ]


def test_a_missing_scanner_refuses_the_file_as_not_checked(settings, tmp_path, caplog):
    settings.UPLOAD_SCAN_COMMAND = str(tmp_path / "no-such-scanner")
    with (
        caplog.at_level(logging.ERROR, logger="yiwang.core.uploads"),
        pytest.raises(DomainError) as caught,
    ):
        scan(b"data")
    assert caught.value.message == "暂时无法完成文件安全检查，请稍后再试"
    assert len(caplog.records) == 1
    assert caplog.messages[0].startswith(
        f"病毒查杀程序无法启动（{tmp_path / 'no-such-scanner'}）："
    )


def test_a_scanner_that_does_not_answer_in_time_is_stopped(settings, tmp_path, caplog):
    settings.UPLOAD_SCAN_COMMAND = scanner(tmp_path, "sleep 30\n")
    started = time.monotonic()
    with (
        caplog.at_level(logging.ERROR, logger="yiwang.core.uploads"),
        pytest.raises(DomainError) as caught,
    ):
        scan(b"data", timeout=0.3)
    assert time.monotonic() - started < 10  # not the 30 seconds of the sleep
    assert caught.value.message == "暂时无法完成文件安全检查，请稍后再试"
    digest = hashlib.sha256(b"data").hexdigest()
    assert caplog.messages == [
        f"病毒查杀超时（0.3 秒）：{settings.UPLOAD_SCAN_COMMAND}，文件 sha256={digest}"
    ]


def test_the_scan_comes_last(settings, tmp_path):
    """Files refused by content never reach the scanner; only those that pass are scanned."""
    log = tmp_path / "scanned"
    settings.UPLOAD_SCAN_COMMAND = scanner(tmp_path, f"cat >> '{log}'\necho >> '{log}'\n")
    for data, name in ((b"", "a.pdf"), (ELF, "b.pdf"), (make_pdf()[:100], "c.pdf")):
        with pytest.raises(DomainError):
            check_upload(data, name=name)
    assert not log.exists()
    check_upload(b"%PDF-1.4\n%%EOF\n", name="d.pdf")
    assert log.read_bytes() == b"%PDF-1.4\n%%EOF\n\n"


# --- settings ------------------------------------------------------------------------------


def test_upload_settings_are_documented_with_their_range():
    assert REGISTRY["YIWANG_UPLOAD_MAX_MB"].default == 20
    assert REGISTRY["YIWANG_UPLOAD_MAX_MB"].help.endswith("From 1 to 200.")
    assert REGISTRY["YIWANG_UPLOAD_SCAN_COMMAND"].default == ""


@pytest.mark.parametrize(
    ("raw", "bounds", "message"),
    [
        ("0", {"minimum": 1, "maximum": 200}, "YIWANG_TEST_X='0': expected from 1 to 200"),
        ("201", {"minimum": 1, "maximum": 200}, "YIWANG_TEST_X='201': expected from 1 to 200"),
        ("0", {"minimum": 1}, "YIWANG_TEST_X='0': expected at least 1"),
        ("9", {"maximum": 8}, "YIWANG_TEST_X='9': expected at most 8"),
    ],
)
def test_integers_out_of_range_stop_the_start(monkeypatch, raw, bounds, message):
    monkeypatch.setenv("YIWANG_TEST_X", raw)
    with pytest.raises(ConfigurationError) as caught:
        env("YIWANG_TEST_X", 20, kind="int", help="h", **bounds)
    assert str(caught.value) == message


def test_integers_in_range_are_read(monkeypatch):
    monkeypatch.setenv("YIWANG_TEST_X", "200")
    assert env("YIWANG_TEST_X", 20, kind="int", help="h", minimum=1, maximum=200) == 200
