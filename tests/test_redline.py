"""The Word redline: accepting every change gives the new plan, rejecting every change the old one."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from conftest import SAMPLES
from docx import Document as open_docx
from lxml import etree

from pipeline import api
from pipeline.model import normalize_text
from reports.view import ReportConfig

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
QUIET = ReportConfig(timestamp=False)


@pytest.fixture(scope="module")
def comparison():
    return api.compare(SAMPLES / "sample-r6.plan.pdf", SAMPLES / "sample-r7.plan.pdf")


@pytest.fixture(scope="module")
def redline(comparison):
    return api.render_compare(comparison, "redline", report=QUIET)


def _body(data: bytes) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")).find("w:body", NS)


def _unwrap(el: etree._Element) -> None:
    parent = el.getparent()
    at = parent.index(el)
    for k, child in enumerate(list(el)):
        parent.insert(at + k, child)
    parent.remove(el)


def _resolve(data: bytes, *, accept: bool) -> etree._Element:
    """What Word shows after Accept All (``accept``) or Reject All."""
    body = _body(data)
    drop, keep = ("del", "ins") if accept else ("ins", "del")
    for tr in body.iter(f"{{{W}}}tr"):
        if tr.find(f"w:trPr/w:{drop}", NS) is not None:
            tr.getparent().remove(tr)
    for el in list(body.iter(f"{{{W}}}{drop}")):
        if el.getparent().tag != f"{{{W}}}rPr" and el.getparent().tag != f"{{{W}}}trPr":
            el.getparent().remove(el)
    for el in list(body.iter(f"{{{W}}}{keep}")):
        if el.getparent().tag not in (f"{{{W}}}rPr", f"{{{W}}}trPr"):
            _unwrap(el)
    for t in body.iter(f"{{{W}}}delText"):
        t.tag = f"{{{W}}}t"
    return body


def _text(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(f"{{{W}}}t"))


def _paragraphs(body: etree._Element) -> list[str]:
    """Body paragraphs outside tables, without the title and empty ones."""
    out = [_text(p) for p in body.findall("w:p", NS) if p.find("w:pPr/w:pStyle[@w:val='Title']", NS) is None]
    return [t for t in out if t]


def _tables(body: etree._Element) -> list[list[list[str]]]:
    tables = [[[_text(tc) for tc in tr.findall("w:tc", NS)] for tr in tbl.findall("w:tr", NS)] for tbl in body.findall("w:tbl", NS)]
    return [t for t in tables if t]  # a table whose every row was deleted is gone


def _plain(doc) -> list[str]:
    return [b.label + b.text for b in doc.blocks if b.kind != "table"]


def _norm(texts: list[str]) -> list[str]:
    return [normalize_text(t) for t in texts]


def test_the_sample_comparison_has_every_kind_of_change(comparison):
    s = comparison.summary
    assert s["changed"] and s["added"] and s["deleted"] and s["moved"]


def test_accepting_every_change_gives_the_new_plan(comparison, redline):
    body = _resolve(redline, accept=True)
    assert _paragraphs(body) == _plain(comparison.new)
    assert _tables(body) == [[list(r) for r in b.rows] for b in comparison.new.blocks if b.kind == "table"]


def test_rejecting_every_change_gives_the_old_plan(comparison, redline):
    body = _resolve(redline, accept=False)
    # width and spacing variants (１０日 / 10日) are not changes: the old plan's text, normalised
    assert _norm(_paragraphs(body)) == _norm(_plain(comparison.old))
    old_tables = [[list(r) for r in b.rows] for b in comparison.old.blocks if b.kind == "table"]
    got = _tables(body)
    assert len(got) == len(old_tables)
    # the budget table gained rows and the KPI table shifted its year columns: the old cells come back under their headings
    for table, old in zip(got, old_tables, strict=True):
        assert [[c for c in row if c] for row in table] == [[c for c in row if c] for row in old]


def test_revisions_are_by_plandiff_at_a_fixed_date(comparison, redline):
    body = _body(redline)
    marks = [*body.iter(f"{{{W}}}ins"), *body.iter(f"{{{W}}}del")]
    assert len(marks) > 20
    assert {m.get(f"{{{W}}}author") for m in marks} == {"plandiff"}
    assert {m.get(f"{{{W}}}date") for m in marks} == {"2000-01-01T00:00:00Z"}
    assert len({m.get(f"{{{W}}}id") for m in marks}) == len(marks)
    assert api.render_compare(comparison, "redline", report=QUIET) == redline


def test_python_docx_opens_it_with_heading_styles(redline):
    doc = open_docx(io.BytesIO(redline))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "１．基本業務の確実な遂行") in headings
    assert any(name == "Heading 2" and text.startswith("（１）") for name, text in headings)
    assert len(doc.tables) >= 2


def test_output_name_picks_the_redline(tmp_path, comparison):
    out = tmp_path / "plan.redline.docx"
    api.write_compare(comparison, out, report=QUIET)
    assert out.read_bytes() == api.render_compare(comparison, "redline", report=QUIET)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (libreoffice-writer) is not installed")
def test_libreoffice_converts_it_to_pdf(tmp_path, redline):
    src = tmp_path / "plan.redline.docx"
    src.write_bytes(redline)
    run = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    pdf = tmp_path / "plan.redline.pdf"
    text = " ".join(b.text for d in api.extract(pdf).documents for b in d.blocks)
    assert "基本業務の確実な遂行" in text and "説明会を年" in text
