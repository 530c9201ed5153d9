"""The Japanese fonts the producers print with (Debian packages)."""

from __future__ import annotations

from pathlib import Path

#: apt-get install fonts-ipaexfont
IPAEX = {
    "gothic": "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "mincho": "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
}
#: apt-get install fonts-noto-cjk
NOTO_CJK = {
    "sans": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "serif": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
}
PACKAGE = {**dict.fromkeys(IPAEX.values(), "fonts-ipaexfont"), **dict.fromkeys(NOTO_CJK.values(), "fonts-noto-cjk")}


def missing_fonts(*paths: str) -> str | None:
    """None when every font file is there, else what to install."""
    gone = sorted({PACKAGE[p] for p in paths if not Path(p).exists()})
    return f"fonts missing: apt-get install {' '.join(gone)}" if gone else None
