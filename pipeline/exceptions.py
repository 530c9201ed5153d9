"""Every error plandiff raises on purpose.

Each message names the file (or the option), says what is wrong and what to
do, so the CLI can print it as one line and exit 2.  Reasons and advice are
gettext messages (:mod:`pipeline.i18n`), shown in the user's language.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from .i18n import N_, _
from .names import display_name


class PlandiffError(Exception):
    """Base class: a problem with one input or output file, or one option."""

    reason = N_("cannot be processed")
    advice = ""

    def __init__(self, path: str | Path, detail: str = "", **fields: object) -> None:
        self.path = str(path)
        self.detail = detail
        self.fields: dict[str, Any] = dict(fields)
        super().__init__(self.message())

    def message(self, translate: Callable[[str], str] = _) -> str:
        """The one-line message in the user's language, or through another ``translate`` (a web page's Japanese)."""
        msg = translate(self.reason)
        if self.detail:
            msg = translate("{reason} ({detail})").format(reason=msg, detail=translate(self.detail))
        if self.advice:
            msg = translate("{message}; {advice}").format(message=msg, advice=translate(self.advice).format(**self.fields))
        return f"{display_name(self.path)}: {msg}"  # one line, whatever the name holds

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # rebuilt from (path, detail) and the advice's fields when it crosses from a worker process
        return (partial(type(self), **self.fields), (self.path, self.detail))


class NotAPdfError(PlandiffError):
    reason = N_("not a PDF file")
    advice = N_("pass the published PDF of the plan")


class MissingFileError(PlandiffError):
    reason = N_("no such file")
    advice = N_("check the path and the file name")


class UnreadableFileError(PlandiffError):
    reason = N_("cannot be read")
    advice = N_("check that the file exists and that you may read it")


class EncryptedPdfError(PlandiffError):
    reason = N_("the PDF is encrypted")
    advice = N_("save an unprotected copy (or remove the password) and try again")


class BrokenPdfError(PlandiffError):
    reason = N_("the PDF is damaged or truncated")
    advice = N_("download or export the file again")


class EmptyPdfError(PlandiffError):
    reason = N_("the PDF has no pages")
    advice = N_("check that the export finished")


class NoTextLayerError(PlandiffError):
    reason = N_("the PDF has no text layer (scanned pages)")
    advice = N_("read it with --ocr auto (Debian: tesseract-ocr tesseract-ocr-jpn), or check that the scan holds text")


class GarbledTextError(PlandiffError):
    reason = N_("the PDF's text layer is garbled (fonts without a Unicode map)")
    advice = N_("re-export the PDF with embedded Unicode fonts, or read it with --ocr auto")


class TooLargeError(PlandiffError):
    reason = N_("the PDF is larger than the configured limit")
    advice = N_("raise --max-pages / max_pages, or split the file")


class TooComplexError(PlandiffError):
    reason = N_("page too complex")
    advice = N_("check the file (a real plan is far below these limits); the limits are fields of ExtractConfig")


class TooLargeDecompressedError(PlandiffError):
    reason = N_("too large when decompressed")
    advice = N_("check the file (a real plan is far below this limit); the limit is ExtractConfig.max_decompressed")


class OutputPlaceError(PlandiffError):
    reason = N_("the output directory is the archive or holds it")
    advice = N_("pass an -o outside the archive (a folder inside it is left out of the walk)")


class OutputInUseError(PlandiffError):
    reason = N_("the output directory is in use by another plandiff batch")
    advice = N_("wait for it to finish, or pass another -o")


class InputFormatError(PlandiffError):
    reason = N_("not a plandiff.extract/1 JSON file")
    advice = N_("pass a PDF or the JSON written by `plandiff extract --format json`")


class OnePlanError(PlandiffError):
    reason = N_("holds one plan, not a side-by-side 新旧対照表")
    advice = N_("pass the old and the new plan: plandiff compare OLD NEW")


class SideBySideInputError(PlandiffError):
    reason = N_("is a side-by-side table holding two plans")
    advice = N_("pass --side left or --side right to compare one of its columns, or give it alone to compare its two columns")


class ArchiveError(PlandiffError):
    reason = N_("cannot read the archive")
    advice = N_("pass a directory that holds the plan PDFs")


class UnknownFormatError(PlandiffError):
    reason = N_("unknown output format")
    advice = N_("use one of {formats} (files named {extensions})")


class FormatMismatchError(PlandiffError):
    reason = N_("--format contradicts the file's extension")
    advice = N_("drop --format (the extension decides) or name the file for that format")


class BinaryOutputError(PlandiffError):
    reason = N_("is a binary format and stdout is a terminal")
    advice = N_("write it to a file with -o, e.g. -o 対照表.docx")


class DuplicateYearError(PlandiffError):
    reason = N_("two plans of one office for the same fiscal year")
    advice = N_("pass one plan per year to history")


class NoYearError(PlandiffError):
    reason = N_("no fiscal year (令和N年度) found in the plan's title or first lines")
    advice = N_("pass plans whose cover names their year")


class OutputError(PlandiffError):
    reason = N_("cannot write the output file")
    advice = N_("check that the directory exists and is writable")


class OutputIsDirectoryError(PlandiffError):
    reason = N_("is a directory")
    advice = N_("give a file name inside it, e.g. DIR/対照表.html")


class OutputDirectoryError(PlandiffError):
    reason = N_("cannot be used as the output directory")
    advice = N_("pass a directory you may write to (it is created when missing)")


class ConfigError(PlandiffError, ValueError):
    """A bad option value, refused before any work (``--score-cutoff 5``, ``jobs=0``).

    ``option`` is the keyword name (``score_cutoff``); the message spells it
    as the command-line flag, which is the same name with dashes.
    """

    def __init__(self, option: str, value: object, expected: str, **fields: object) -> None:
        self.option = option
        self.value = value
        self.path = "--" + option.replace("_", "-")
        self.detail = _(expected).format(**fields)
        self.fields: dict[str, Any] = {}
        Exception.__init__(self, self.message())

    def message(self, translate: Callable[[str], str] = _) -> str:
        return f"{self.path} {self.value}: {self.detail}"

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (type(self), (self.option, self.value, self.detail.replace("{", "{{").replace("}", "}}")))


class UploadTooLargeError(PlandiffError):
    reason = N_("the upload is larger than the server's limit")
    advice = N_("split the file, or start plandiff serve with a larger --max-upload-mb")


class ServeError(PlandiffError):
    reason = "cannot start the server"
    advice = "pass another --port (or --host), and a --data directory that can be written"


class RequestError(PlandiffError):
    reason = N_("the request is incomplete or malformed")
    advice = N_("send the fields the API documents (see the README's plandiff serve section)")


class OcrUnavailableError(PlandiffError):
    reason = N_("pages need OCR and it is not available")
    advice = N_("install it, or pass --ocr off to leave those pages out")


class OcrTextLayerError(PlandiffError):
    reason = N_("a page's text is a scanner's or OCR program's reading of a scan")
    advice = N_("leave out --strict to read it as it is, or read the scan again with --ocr force")


class VerticalTextError(PlandiffError):
    reason = N_("a page is written vertically and cannot be read in order")
    advice = N_("leave out --strict to read the other pages")
