"""Bad input: one line on stderr naming the file and the reason, exit 2, no output file."""

from __future__ import annotations

import shutil

import pytest
from conftest import DATA

from extractors import ExtractConfig
from pipeline import cli
from pipeline.api import extract
from pipeline.exceptions import (
    BrokenPdfError,
    EmptyPdfError,
    EncryptedPdfError,
    GarbledTextError,
    MissingFileError,
    NotAPdfError,
    NoTextLayerError,
    PlandiffError,
    TooLargeError,
)

BAD = DATA / "bad"
CASES = [
    ("not-a-pdf.pdf", NotAPdfError, "not a PDF"),
    ("empty-file.pdf", NotAPdfError, "empty"),
    ("encrypted.pdf", EncryptedPdfError, "encrypted"),
    ("truncated.pdf", BrokenPdfError, "damaged or truncated"),
    ("zero-pages.pdf", EmptyPdfError, "no pages"),
    ("scanned.pdf", NoTextLayerError, "no text layer"),
    ("cid-garbage.pdf", GarbledTextError, "garbled"),
]


@pytest.mark.parametrize("source", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize(("name", "error", "words"), CASES, ids=[c[0] for c in CASES])
def test_library_raises_a_specific_error(name, error, words, source):
    with pytest.raises(error) as info:
        extract(BAD / name, config=ExtractConfig(source=source, ocr="off"))  # the CLI test below runs OCR on them
    assert name in str(info.value)
    assert words in str(info.value)
    assert isinstance(info.value, PlandiffError)


@pytest.mark.parametrize(("name", "error", "words"), CASES, ids=[c[0] for c in CASES])
def test_cli_prints_one_line_exits_2_and_writes_nothing(name, error, words, tmp_path, capsys):
    src = tmp_path / name
    shutil.copy(BAD / name, src)
    out = tmp_path / "out.json"
    code = cli.main(["extract", str(src), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and str(src) in err and words in err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_missing_file_is_reported_as_missing_not_as_a_bad_pdf():
    with pytest.raises(MissingFileError, match=r"does-not-exist\.pdf: no such file; check the path"):
        extract(BAD / "does-not-exist.pdf")


def test_page_limit_refuses_huge_files():
    from conftest import SAMPLES

    with pytest.raises(TooLargeError, match="3 pages, limit 2"):
        extract(SAMPLES / "sample-r7.plan.pdf", config=ExtractConfig(max_pages=2))


def test_a_json_that_is_not_an_extraction_is_refused(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text('{"schema": "something/else"}', encoding="utf-8")
    with pytest.raises(PlandiffError, match=r"not a plandiff\.extract/1"):
        extract(bad)


def test_an_empty_pdf_after_an_encrypted_one_in_the_same_process_is_still_empty():
    """PDFium keeps its last error per process: a long-lived worker must not call the next file encrypted."""
    with pytest.raises(EncryptedPdfError):
        extract(BAD / "encrypted.pdf")
    with pytest.raises(EmptyPdfError):
        extract(BAD / "zero-pages.pdf")
