"""Which font a PDF gets for the one a document asks for.

LibreOffice renders a font the machine lacks with a substitute and says nothing:
a Linux server without Times New Roman prints the report in Liberation Serif (the
same widths, so the pages stay the same, but another typeface). fontconfig's
`fc-match` tells which font LibreOffice will take. Where fontconfig is absent
(Windows, macOS) the system's own fonts are used and nothing can be told.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from io import BytesIO

__all__ = ["INSTALL_HINT", "document_fonts", "substitute_for"]

INSTALL_HINT = (
    "cài gói ttf-mscorefonts-installer (Debian, Ubuntu: sudo apt-get install "
    "ttf-mscorefonts-installer) hoặc chép tệp phông vào máy"
)
_ASCII_FONT = re.compile(rb'<w:rFonts\b[^>]*\bw:ascii="([^"]+)"')


_STYLE = re.compile(rb'<w:style\b[^>]*\bw:styleId="([^"]+)"(.*?)</w:style>', re.S)
_USED_STYLE = re.compile(rb'<w:(?:pStyle|rStyle|tblStyle)\b[^>]*\bw:val="([^"]+)"')
_BASED_ON = re.compile(rb'<w:basedOn\b[^>]*\bw:val="([^"]+)"')
_DEFAULTS = re.compile(rb"<w:docDefaults\b.*?</w:docDefaults>", re.S)


def document_fonts(docx: bytes) -> list[str]:
    """The font families the .docx's text is set in, in first-use order.

    The document defaults, the styles its paragraphs, runs and tables use (with the
    styles they are based on) and fonts set on runs directly; a style the template
    carries but nothing uses (Word's «Macro Text» in Courier) does not count.
    """
    try:
        with zipfile.ZipFile(BytesIO(docx)) as package:
            names = set(package.namelist())
            styles = package.read("word/styles.xml") if "word/styles.xml" in names else b""
            body = package.read("word/document.xml") if "word/document.xml" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError):
        return []
    blocks = {match.group(1): match.group(2) for match in _STYLE.finditer(styles)}
    wanted = [match.group(1) for match in _USED_STYLE.finditer(body)]
    wanted += [b"Normal"]  # the default paragraph style, also where no style is named
    used: list[bytes] = []
    while wanted:
        style = wanted.pop(0)
        if style in used or style not in blocks:
            continue
        used.append(style)
        wanted += [match.group(1) for match in _BASED_ON.finditer(blocks[style])]
    parts = [*(m.group() for m in _DEFAULTS.finditer(styles)), *(blocks[s] for s in used), body]
    families: list[str] = []
    for part in parts:
        for match in _ASCII_FONT.finditer(part):
            family = match.group(1).decode("utf-8", "replace")
            if family not in families:
                families.append(family)
    return families


def substitute_for(family: str) -> str | None:
    """The family rendered instead of `family`, or None if it is there (or cannot be told)."""
    tool = shutil.which("fc-match")
    if tool is None:
        return None
    try:
        found = subprocess.run(
            [tool, "-f", "%{family}", family],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    names = [name.strip() for name in found.split(",") if name.strip()]
    if not names or any(name.casefold() == family.casefold() for name in names):
        return None
    return names[0]
