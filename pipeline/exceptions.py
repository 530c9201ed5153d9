"""Every error plandiff raises on purpose.

Each message names the file, says what is wrong and what to do, so the CLI
can print it as one line and exit non-zero.
"""

from __future__ import annotations

from pathlib import Path

from .names import display_name


class PlandiffError(Exception):
    """Base class: a problem with one input or output file."""

    reason = "cannot be processed"
    advice = ""

    def __init__(self, path: str | Path, detail: str = "") -> None:
        self.path = str(path)
        self.detail = detail
        msg = f"{display_name(self.path)}: {self.reason}"  # one line, whatever the name holds
        if detail:
            msg += f" ({detail})"
        if self.advice:
            msg += f"; {self.advice}"
        super().__init__(msg)

    def __reduce__(self) -> tuple[type[PlandiffError], tuple[str, str]]:
        # rebuilt from (path, detail) when it crosses from a worker process
        return (type(self), (self.path, self.detail))


class NotAPdfError(PlandiffError):
    reason = "not a PDF file"
    advice = "pass the published PDF of the plan"


class UnreadableFileError(PlandiffError):
    reason = "cannot be read"
    advice = "check that the file exists and that you may read it"


class EncryptedPdfError(PlandiffError):
    reason = "the PDF is encrypted"
    advice = "save an unprotected copy (or remove the password) and try again"


class BrokenPdfError(PlandiffError):
    reason = "the PDF is damaged or truncated"
    advice = "download or export the file again"


class EmptyPdfError(PlandiffError):
    reason = "the PDF has no pages"
    advice = "check that the export finished"


class NoTextLayerError(PlandiffError):
    reason = "the PDF has no text layer (scanned pages)"
    advice = "run OCR first (e.g. ocrmypdf -l jpn) and extract the OCRed copy"


class GarbledTextError(PlandiffError):
    reason = "the PDF's text decodes to (cid:NNN) garbage (fonts without a Unicode map)"
    advice = "re-export the PDF with embedded Unicode fonts, or run OCR first"


class TooLargeError(PlandiffError):
    reason = "the PDF is larger than the configured limit"
    advice = "raise --max-pages / max_pages, or split the file"


class TooComplexError(PlandiffError):
    reason = "page too complex"
    advice = "check the file (a real plan is far below these limits); the limits are fields of ExtractConfig"


class TooLargeDecompressedError(PlandiffError):
    reason = "too large when decompressed"
    advice = "check the file (a real plan is far below this limit); the limit is ExtractConfig.max_decompressed"


class InputFormatError(PlandiffError):
    reason = "not a plandiff.extract/1 JSON file"
    advice = "pass a PDF or the JSON written by `plandiff extract --format json`"


class ArchiveError(PlandiffError):
    reason = "cannot read the archive"
    advice = "pass a directory that holds the plan PDFs"


class OutputPlaceError(PlandiffError):
    reason = "the output directory is the archive or holds it"
    advice = "pass an -o outside the archive (a folder inside it is left out of the walk)"


class OutputInUseError(PlandiffError):
    reason = "the output directory is in use by another plandiff batch"
    advice = "wait for it to finish, or pass another -o"


class UnknownFormatError(PlandiffError):
    reason = "unknown output format"
    advice = (
        "name the file .json or .md for extract; .html, .docx, .redline.docx, .xlsx, .csv, .md or .json for compare;"
        " .xlsx, .html or .json for matrix and history (or pass --format)"
    )


class OutputError(PlandiffError):
    reason = "cannot write the output file"
    advice = "check the directory exists and is writable"


class DuplicateYearError(PlandiffError):
    reason = "two plans of one office for the same fiscal year"
    advice = "pass one plan per year to history"


class NoYearError(PlandiffError):
    reason = "no fiscal year (令和N年度) found in the plan's title or first lines"
    advice = "pass plans whose cover names their year"
