"""A tiny text extractor for the PDFs fpdf2 writes (no PDF library is installed).

It follows what a screen reader or a search does: decompress the page streams, read each font's
ToUnicode map, and decode the shown strings back to Unicode. Enough for fpdf2 output, nothing more.
"""

from __future__ import annotations

import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_ESCAPES = {
    b"n": b"\n",
    b"r": b"\r",
    b"t": b"\t",
    b"b": b"\b",
    b"f": b"\f",
    b"(": b"(",
    b")": b")",
    b"\\": b"\\",
}


def _objects(data: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(data)}


def _stream(body: bytes) -> bytes:
    match = _STREAM.search(body)
    if not match:
        return b""
    raw = match.group(1)
    return zlib.decompress(raw) if b"/FlateDecode" in body else raw


def _cmap(stream: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def _unescape(literal: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(literal):
        char = literal[i : i + 1]
        if char == b"\\":
            nxt = literal[i + 1 : i + 2]
            if nxt in _ESCAPES:
                out += _ESCAPES[nxt]
                i += 2
                continue
            octal = re.match(rb"[0-7]{1,3}", literal[i + 1 : i + 4])
            if octal:
                out.append(int(octal.group(0), 8))
                i += 1 + len(octal.group(0))
                continue
            i += 1
            continue
        out += char
        i += 1
    return bytes(out)


def _literal_strings(content: bytes):
    """Yield (font resource name, raw string) for every string shown with Tj."""
    font = None
    i = 0
    while i < len(content):
        if content[i : i + 1] == b"/":
            match = re.match(rb"/(\w+)\s+[\d.]+\s+Tf", content[i:])
            if match:
                font = match.group(1).decode()
                i += match.end()
                continue
        if content[i : i + 1] == b"(":
            depth, j = 1, i + 1
            while j < len(content) and depth:
                if content[j : j + 1] == b"\\":
                    j += 2
                    continue
                if content[j : j + 1] == b"(":
                    depth += 1
                elif content[j : j + 1] == b")":
                    depth -= 1
                j += 1
            yield font, _unescape(content[i + 1 : j - 1])
            i = j
            continue
        i += 1


def pdf_text(data: bytes) -> str:
    """All text shown on the PDF's pages, decoded through the fonts' ToUnicode maps."""
    objects = _objects(data)
    font_maps: dict[str, dict[int, str] | None] = {}
    for body in objects.values():
        for name, ref in re.findall(rb"/(F\d+)\s+(\d+) 0 R", body):
            font = objects.get(int(ref), b"")
            to_unicode = re.search(rb"/ToUnicode\s+(\d+) 0 R", font)
            font_maps[name.decode()] = (
                _cmap(_stream(objects[int(to_unicode.group(1))])) if to_unicode else None
            )
    lines = []
    for body in objects.values():
        if b"stream" not in body or b"/Type /XObject" in body or b"/Subtype /Image" in body:
            continue
        try:
            content = _stream(body)
        except zlib.error:
            continue
        if b"Tj" not in content:
            continue
        for font, raw in _literal_strings(content):
            mapping = font_maps.get(font or "")
            if mapping:
                codes = [int.from_bytes(raw[k : k + 2], "big") for k in range(0, len(raw), 2)]
                lines.append("".join(mapping.get(code, "\ufffd") for code in codes))
            else:
                lines.append(raw.decode("latin-1"))
    return "\n".join(lines)
