"""Messages in the user's language, from one gettext catalogue.

The catalogue's source is ``pipeline/locale/ja/LC_MESSAGES/plandiff.po``
(the compiled ``.mo`` beside it ships as package data; ``msgfmt -o
plandiff.mo plandiff.po`` rebuilds it).  The language follows the locale
the way gettext reads it (LANGUAGE, LC_ALL, LC_MESSAGES, LANG): Japanese
for ``ja_JP.UTF-8``, English (the msgids themselves) otherwise.
"""

from __future__ import annotations

import gettext
import os
from functools import lru_cache
from pathlib import Path

DOMAIN = "plandiff"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_ENV = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def N_(message: str) -> str:
    """Mark a message for the catalogue where it is defined; it is translated by ``_`` where it is shown."""
    return message


@lru_cache(maxsize=8)
def _translation(env: tuple[str | None, ...]) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, fallback=True)


def _(message: str) -> str:
    """``message`` in the user's language (looked up again when the locale changes)."""
    if not message:
        return message
    return _translation(tuple(os.environ.get(v) for v in _ENV)).gettext(message)


@lru_cache(maxsize=4)
def catalogue(language: str) -> gettext.NullTranslations:
    """The catalogue of one language whatever the locale (``plandiff serve`` answers its pages in Japanese)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)
