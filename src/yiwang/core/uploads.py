"""Checking uploaded materials by their content: kind, size, integrity and a virus scan.

DESIGN §3.7: uploads are checked by content, not by name. A material is accepted only when its
bytes are a PDF, a JPG, a PNG or an OFD (GB/T 33190-2016, the national format of 电子证照 and
electronic documents); an executable renamed ``.pdf`` is refused and the message says what it
really is, so that the applicant knows what to upload instead.

This module knows nothing of cases or materials: ``yiwang.cases`` calls :func:`check_upload` for
each file and stores it under a generated name with the extension returned here.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import math
import os
import shlex
import signal
import struct
import subprocess
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import File

from yiwang.core.errors import DomainError

__all__ = [
    "ALLOWED_KINDS",
    "SCAN_TIMEOUT",
    "CheckedUpload",
    "Kind",
    "check_upload",
    "scan",
    "sniff",
]

logger = logging.getLogger("yiwang.core.uploads")


@dataclass(frozen=True)
class Kind:
    """A file type applicants may upload; ``extensions[0]`` is the one files are stored with."""

    key: str
    name: str  # as listed to applicants: "PDF"
    label: str  # what the content is, after "内容是 ": "PDF 文件"
    content_type: str
    extensions: tuple[str, ...]


ALLOWED_KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind("pdf", "PDF", "PDF 文件", "application/pdf", (".pdf",)),
        Kind("jpg", "JPG", "JPG 图片", "image/jpeg", (".jpg", ".jpeg")),
        Kind("png", "PNG", "PNG 图片", "image/png", (".png",)),
        # GB/T 33190-2016 names no media type; this is the one OFD readers register.
        Kind("ofd", "OFD", "OFD 文件", "application/ofd", (".ofd",)),
    )
}

_NAMES = [kind.name for kind in ALLOWED_KINDS.values()]
_ALLOWED_NAMES = "、".join(_NAMES[:-1]) + " 或 " + _NAMES[-1]  # PDF、JPG、PNG 或 OFD

# What sniff() recognises but refuses, as the end of "内容是……": named so that the applicant
# learns what was uploaded (a Word document, most often) rather than only that it was wrong.
REFUSED_KINDS: dict[str, str] = {
    "elf": "可执行程序",
    "pe": "可执行程序",
    "macho": "可执行程序",
    "script": "脚本程序",
    "html": "网页（HTML）",
    "word": "Word 文档",
    "excel": "Excel 表格",
    "powerpoint": "PowerPoint 演示文稿",
    "office-legacy": "旧版 Office 文档（doc/xls/ppt）",
    "zip": "ZIP 压缩包",
    "archive": "压缩包",
}

SCAN_TIMEOUT = 30  # seconds
_SCAN_UNAVAILABLE = "暂时无法完成文件安全检查，请稍后再试"
NAME_MAX_LENGTH = 100
# The PDF header may follow up to 1024 bytes of other data, and readers look for %%EOF within
# the last 1024 bytes (ISO 32000-1 annex H.3, implementation notes 13 and 18).
PDF_HEADER_WINDOW = 1024
PDF_TRAILER_WINDOW = 1024

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MACHO_MAGICS = (
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # universal binary (also a Java class file: refused all the same)
)
_ARCHIVE_MAGICS = (
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",  # gzip
)
_HTML_OPENINGS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<iframe")
# Office Open XML packages are ZIPs too; the part that names each of them.
_OOXML_PARTS = {
    "word/document.xml": "word",
    "xl/workbook.xml": "excel",
    "ppt/presentation.xml": "powerpoint",
}


@dataclass(frozen=True)
class CheckedUpload:
    """A material that passed :func:`check_upload`: what it is, by content, and its fingerprint.

    ``notice`` is empty, or says that the file name's extension did not match the content
    ("文件名是 .pdf，但内容是 PNG 图片"): the file was accepted and is stored as what it is.
    """

    kind: str
    content_type: str
    extension: str
    size: int
    sha256: str
    original_name: str
    notice: str = ""

    @property
    def stored_name(self) -> str:
        """The original name with the content's extension, for downloads: ``x.pdf`` → ``x.png``."""
        stem, ext = os.path.splitext(self.original_name)
        if ext.lower() in ALLOWED_KINDS[self.kind].extensions:
            return self.original_name
        return (stem or "材料") + self.extension


def sniff(head: bytes) -> str | None:
    """What the bytes are, by their magic numbers: a key of ALLOWED_KINDS or REFUSED_KINDS.

    ``head`` is the start of the file, at least the first 1024 bytes; pass the whole file to tell
    an OFD from other ZIPs, since a ZIP's table of contents is at its end (with only the start,
    an OFD is reported as ``"zip"``). Signatures at offset 0 are tried first, so an executable
    with ``%PDF-`` a few bytes in is still an executable. Returns None when nothing is recognised.
    """
    if head.startswith(b"\x7fELF"):
        return "elf"
    if head.startswith(b"MZ"):
        return "pe"
    if head.startswith(_MACHO_MAGICS):
        return "macho"
    if head.startswith(b"#!"):
        return "script"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(_PNG_SIGNATURE):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(head)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "office-legacy"
    if head.startswith(_ARCHIVE_MAGICS):
        return "archive"
    text = head[:PDF_HEADER_WINDOW].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith(_HTML_OPENINGS):
        return "html"
    if b"%PDF-" in head[: PDF_HEADER_WINDOW + len(b"%PDF-")]:
        return "pdf"
    return None


def _sniff_zip(data: bytes) -> str:
    """``"ofd"`` when the ZIP's central directory lists ``OFD.xml`` at the root.

    GB/T 33190-2016 §7.1: an OFD is a ZIP package whose main entry file is ``/OFD.xml``. Only
    the central directory is read; nothing is decompressed, so a ZIP bomb costs nothing here.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        return "zip"  # damaged, or only the start of a ZIP was given
    if "OFD.xml" in names:
        return "ofd"
    for part, kind in _OOXML_PARTS.items():
        if part in names:
            return kind
    return "zip"


def check_upload(
    file: File | bytes,
    *,
    name: str,
    max_bytes: int | None = None,
    field: str | None = None,
) -> CheckedUpload:
    """Accept ``file`` as a material, or raise DomainError with a message for the applicant.

    ``name`` is the file name the applicant gave (``upload.name`` for a Django UploadedFile; the
    name of the form field goes in ``field``, which each error carries). ``max_bytes`` defaults
    to ``settings.UPLOAD_MAX_BYTES``. Checks, in order: not empty, not too large, the content is
    PDF, JPG, PNG or OFD (anything else is refused, naming what it is), a PDF ends with
    ``%%EOF``, an image's width and height can be read, and last :func:`scan`.

    The file name does not decide anything: a ``.pdf`` whose bytes are a PNG is accepted as the
    PNG it is, with ``extension=".png"`` to store it under and a ``notice`` saying so — refusing
    it would only make the applicant rename a file that is fine. Only content that is not one of
    the allowed kinds is refused.

    An UploadedFile is left at position 0 so that the caller can save it.
    """
    limit = settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    original_name = _clean_name(name)
    if isinstance(file, bytes | bytearray | memoryview):
        data = bytes(file)
        size = len(data)
    else:
        data = _read(file, limit)
        size = max(file.size or 0, len(data))  # what was read stops one byte past the limit
    if not data:
        raise DomainError("文件是空的", field=field)
    if size > limit:
        raise DomainError(
            f"文件不能超过 {_size_text(limit)}（此文件 {_size_text(size)}）", field=field
        )

    key = sniff(data)
    if key not in ALLOWED_KINDS:
        what = _content_is(REFUSED_KINDS[key]) if key else "无法识别其内容"
        raise DomainError(
            f"「{original_name}」不是 {_ALLOWED_NAMES} 文件：{what}，已拒绝", field=field
        )
    kind = ALLOWED_KINDS[key]
    if key == "pdf" and b"%%EOF" not in data[-PDF_TRAILER_WINDOW:]:
        raise DomainError("PDF 文件不完整", field=field)
    if key in ("png", "jpg") and _image_size(key, data) is None:
        raise DomainError("图片文件已损坏", field=field)

    notice = ""
    given = os.path.splitext(original_name)[1].lower()
    if given and given not in kind.extensions:
        notice = f"文件名是 {given}，但{_content_is(kind.label)}"

    scan(data, field=field)
    return CheckedUpload(
        kind=key,
        content_type=kind.content_type,
        extension=kind.extensions[0],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=original_name,
        notice=notice,
    )


def _content_is(what: str) -> str:
    """``内容是可执行程序``, ``内容是 PNG 图片``: a space between Chinese and Latin text."""
    return f"内容是 {what}" if what[0].isascii() else f"内容是{what}"


def _read(file: File, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``file`` (one more tells a too-large file), then rewind."""
    file.seek(0)
    data = file.read(limit + 1)
    file.seek(0)
    return data


def _size_text(size: int) -> str:
    """``20 MB``, ``23.4 MB``, ``500 KB``: whole units exactly, otherwise rounded *up* to a tenth.

    Rounding up keeps a file just over the limit from reading "此文件 20.0 MB" next to "不能超过
    20 MB".
    """
    for unit, suffix in ((1024 * 1024, "MB"), (1024, "KB")):
        if size >= unit:
            if size % unit == 0:
                return f"{size // unit} {suffix}"
            return f"{math.ceil(size * 10 / unit) / 10:.1f} {suffix}"
    return f"{size} 字节"


def _clean_name(name: str) -> str:
    """The last path part of ``name``, without control characters, at most 100 characters.

    Browsers of some systems send ``C:\\Users\\…\\x.pdf``; the name is only shown, never used as
    a path, but a path or a control character in it would mislead whoever reads it. A long name
    is shortened in its stem so that the extension survives.
    """
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C")).strip()
    if name in ("", ".", ".."):
        return "未命名文件"
    if len(name) <= NAME_MAX_LENGTH:
        return name
    suffix = PurePosixPath(name).suffix
    if len(suffix) > 10:  # not a real extension: cut the whole name
        suffix = ""
    return name[: NAME_MAX_LENGTH - len(suffix)].rstrip() + suffix


def _image_size(key: str, data: bytes) -> tuple[int, int] | None:
    """Width and height from the header (PNG IHDR, JPEG SOFn), or None when it is damaged."""
    if key == "png":
        # signature, then the IHDR chunk: length 13, type, width, height, 5 more bytes, CRC
        if len(data) < 33 or data[8:16] != b"\x00\x00\x00\x0dIHDR":
            return None
        width, height = struct.unpack(">II", data[16:24])
        (crc,) = struct.unpack(">I", data[29:33])
        if crc != zlib.crc32(data[12:29]) or not width or not height:
            return None
        return width, height
    return _jpeg_size(data)


# Start-of-frame markers carry the dimensions; C4 (DHT), C8 (JPG) and CC (DAC) share the range.
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# Markers without a length field: TEM and RSTn (ITU-T T.81 table B.1).
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk the JPEG markers from SOI to the first SOFn (ITU-T T.81 annex B)."""
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker in _JPEG_STANDALONE:
            pos += 2
            continue
        if marker in (0xD8, 0xD9, 0xDA):  # a second SOI, EOI or scan data before any frame
            return None
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if length < 2:
            return None
        if marker in _JPEG_SOF:
            if length < 7 or pos + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return (width, height) if width and height else None
        pos += 2 + length
    return None


def scan(data: bytes, *, timeout: float = SCAN_TIMEOUT, field: str | None = None) -> None:
    """Run the virus scanner of ``settings.UPLOAD_SCAN_COMMAND`` on ``data``; empty = no scan.

    The command line is split like a shell's but run without one, and gets the file on stdin —
    the convention of ``clamdscan -`` and ``clamscan -``: exit 0 clean, 1 infected. Anything
    else (an error, a missing scanner, no answer within ``timeout`` seconds) refuses the file
    too, since an unchecked file must not reach the staff who open it; it is logged so an
    operator sees the scanner is down. ``field`` is passed on to the DomainError.
    """
    command = settings.UPLOAD_SCAN_COMMAND
    if not command:
        return
    argv = shlex.split(command)
    digest = hashlib.sha256(data).hexdigest()
    try:
        # start_new_session: on a timeout the whole process group is killed, so a wrapper
        # script does not leave its scanner running.
        process = subprocess.Popen(  # noqa: S603 -- the operator's own setting, no shell
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        logger.error("病毒查杀程序无法启动（%s）：%s", argv[0], exc)
        raise DomainError(_SCAN_UNAVAILABLE, field=field) from exc
    try:
        _, stderr = process.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        with contextlib.suppress(ProcessLookupError):  # it may have ended meanwhile
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        logger.error("病毒查杀超时（%s 秒）：%s，文件 sha256=%s", timeout, argv[0], digest)
        raise DomainError(_SCAN_UNAVAILABLE, field=field) from exc
    if process.returncode == 0:
        return
    if process.returncode == 1:
        logger.warning("上传文件未通过病毒查杀：sha256=%s", digest)
        raise DomainError("文件未通过病毒查杀，已拒绝", field=field)
    logger.error(
        "病毒查杀出错（%s 退出码 %s）：%s，文件 sha256=%s",
        argv[0],
        process.returncode,
        stderr.decode(errors="replace").strip()[:500],
        digest,
    )
    raise DomainError(_SCAN_UNAVAILABLE, field=field)
