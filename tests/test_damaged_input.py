"""Damaged and hostile PDFs: one clear line or a per-page warning, in bounded time; never a traceback."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time

import pytest
from conftest import DATA, SAMPLES

from extractors import ExtractConfig
from pipeline import cli
from pipeline.api import extract
from pipeline.exceptions import BrokenPdfError, TooComplexError

BAD = DATA / "bad"


@pytest.mark.parametrize("source", ["pdfium", "pdfplumber"])
def test_a_page_the_library_cannot_load_is_a_warning_and_the_rest_reads(source, capsys):
    result = extract(BAD / "damaged-page.pdf", config=ExtractConfig(source=source))
    assert [b.text for b in result.documents[0].blocks] == ["First page of the plan"]
    if source == "pdfium":  # pdfminer does not see the broken entry as a page at all
        assert result.warnings == ("page 2 is damaged and was left out",)
        assert cli.main(["extract", str(BAD / "damaged-page.pdf"), "--format", "md"]) == 0
        assert capsys.readouterr().err.endswith("damaged-page.pdf: page 2 is damaged and was left out\n")


def test_megabytes_of_zeros_after_a_header_are_refused_in_seconds(tmp_path):
    zeros = tmp_path / "zeros.pdf"
    with open(zeros, "wb") as f:
        f.write(b"%PDF-1.4\n")
        f.truncate(16 << 20)
    t0 = time.perf_counter()
    with pytest.raises(BrokenPdfError):
        extract(zeros)
    assert time.perf_counter() - t0 < 5  # pdfminer's second opinion took 31 s here


def test_library_warnings_stay_off_stderr_unless_verbose(tmp_path, capsys):
    data = (SAMPLES / "sample-r7.plan.pdf").read_bytes()
    entry = data.index(b"\n", data.rindex(b"\nxref\n") + 6) + 1 + 20 * 19
    broken = tmp_path / "xref.pdf"  # one cross-reference entry unreadable: pdfminer repairs it and logs a warning
    broken.write_bytes(data[: entry + 5] + b"\x17" + data[entry + 6 :])
    args = ["extract", str(broken), "--source", "pdfplumber", "-o", str(tmp_path / "x.json")]
    assert cli.main(args) == 0
    err = capsys.readouterr().err
    assert err.startswith("plandiff: wrote ") and err.count("\n") == 1
    assert cli.main(["-v", *args]) == 0
    assert "Not adding object 19 to xref" in capsys.readouterr().err


def test_a_newline_in_the_file_name_keeps_the_error_on_one_line(tmp_path, capsys):
    src = tmp_path / "a\nb.pdf"
    shutil.copy(BAD / "truncated.pdf", src)
    assert cli.main(["extract", str(src)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "a\\nb.pdf: the PDF is damaged or truncated" in err


def test_a_file_without_read_permission_says_it_cannot_be_read(tmp_path):
    pdf = tmp_path / "plan.pdf"
    shutil.copy(SAMPLES / "sample-r7.plan.pdf", pdf)
    os.chmod(pdf, 0)
    prefix: list[str] = []
    if os.geteuid() == 0:  # root reads everything: run without the capabilities that let it
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv to drop CAP_DAC_OVERRIDE")
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    p = subprocess.run([*prefix, sys.executable, "-m", "pipeline.cli", "extract", str(pdf)], capture_output=True, text=True, check=False)
    assert p.returncode == 2, p.stderr
    assert p.stderr.count("\n") == 1 and "plan.pdf: cannot be read (Permission denied)" in p.stderr


def _one_gigabyte() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("fanout-bomb.pdf", "page too complex (page 1 draws more than 2,000,000 objects)"),
        ("flate-bomb.pdf", "too large when decompressed (page 1: content over 64 MB when decompressed)"),
    ],
)
def test_bombs_are_refused_within_a_time_and_memory_ceiling(name, reason, tmp_path):
    t0 = time.perf_counter()
    p = subprocess.run(  # under 1 GB of address space: without the limits PDFium aborts here
        [sys.executable, "-m", "pipeline.cli", "extract", str(BAD / name), "-o", str(tmp_path / "out.json")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=_one_gigabyte,
    )
    assert p.returncode == 2, p.stderr[-500:]
    assert p.stderr.count("\n") == 1 and f"{name}: {reason}" in p.stderr
    assert time.perf_counter() - t0 < 20
    assert list(tmp_path.iterdir()) == []


def test_the_limits_are_settings(tmp_path):
    with pytest.raises(TooComplexError, match="nested deeper than 3"):
        extract(BAD / "fanout-bomb.pdf", config=ExtractConfig(max_form_depth=3))
    with pytest.raises(TooComplexError, match=r"page 1 draws \d+ objects, limit 10"):
        extract(SAMPLES / "sample-r7.plan.pdf", config=ExtractConfig(max_page_objects=10))


def test_the_guard_reads_ascii85_content_as_pdfminer_does():
    """ReportLab writes its pages ASCII85 over Flate; the guard decodes them in bulk, to the same bytes."""
    import base64

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    from extractors.guard import _a85decode, _flate_as_pdfminer, _streams

    with open(SAMPLES / "producers" / "reportlab" / "sample-hq-r7.plan.pdf", "rb") as f:
        streams = [s for page in PDFPage.create_pages(PDFDocument(PDFParser(f))) for s in _streams(page.contents)]
        assert streams and all(s.attrs["Filter"][0].name == "ASCII85Decode" for s in streams)
        for s in streams:
            assert _flate_as_pdfminer(_a85decode(s.rawdata)) == s.get_data()
    # a short last group, z between groups, whitespace and the end marker, as base64.a85decode reads them
    for data in (b"\x00\x00\x00\x00ab", b"abcdefg", b"\xff\xff\xff\xff", b""):
        encoded = base64.a85encode(data, foldspaces=False, wrapcol=3) + b"~>"
        assert _a85decode(encoded) == data
    for bad in (b"ab!z~>", b"abc{~>", b"uuuuu~>"):  # z inside a group, a stray character, a group over 2^32 - 1
        with pytest.raises(ValueError):
            base64.a85decode(bad[:-2])
        with pytest.raises(ValueError):
            _a85decode(bad)
