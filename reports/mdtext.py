"""Text from a PDF, escaped for Markdown so that it stays text."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")


def md_escape(text: str) -> str:
    r"""Backslash-escape the characters Markdown (CommonMark) would read as markup.

    >>> md_escape("<script>a*b|c</script>")
    '\\<script\\>a\\*b\\|c\\</script\\>'
    """
    return _SPECIAL.sub(r"\\\1", text)
