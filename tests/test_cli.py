"""The plandiff command end to end, in a subprocess as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, encoding="utf-8", check=False)


def test_extract_to_stdout_is_json_by_default():
    p = run("extract", str(SAMPLES / "sample-hq-r7.plan.pdf"))
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["schema"] == "plandiff.extract/1"
    assert data["source"] == "sample-hq-r7.plan.pdf"
    assert data["layout"] == "plan"
    heads = [b for b in data["documents"][0]["blocks"] if b["kind"] == "heading"]
    assert [(h["level"], h["label"], h["text"]) for h in heads[:2]] == [
        (1, "１．", "基本業務の確実な遂行"),
        (2, "（１）", "財政の安定に向けた取組"),
    ]


def test_format_follows_output_extension_and_several_outputs(tmp_path):
    md, js = tmp_path / "plan.md", tmp_path / "plan.json"
    p = run("-q", "extract", str(SAMPLES / "sample-r7.plan.pdf"), "-o", str(md), "-o", str(js))
    assert p.returncode == 0, p.stderr
    assert p.stdout == "" and p.stderr == ""
    text = md.read_text(encoding="utf-8")
    assert "### （１）財政の安定に向けた取組" in text
    assert "- **■ KPI：** １）サービススタンダードの達成状況を１００％とする" in text
    assert json.loads(js.read_text(encoding="utf-8"))["pages"] == 3
    assert sorted(x.name for x in tmp_path.iterdir()) == ["plan.json", "plan.md"]


def test_help_shows_an_example_and_version_prints():
    p = run("extract", "--help")
    assert p.returncode == 0 and "example:" in p.stdout and "plandiff extract plan.pdf" in p.stdout
    v = run("--version")
    assert v.returncode == 0 and v.stdout.startswith("plandiff ")


# -- every mistake answered in one line, exit 2, nothing written ---------------------------

PLANDIFF = str(Path(sys.executable).with_name("plandiff"))
R6, R7 = str(SAMPLES / "sample-r6.plan.pdf"), str(SAMPLES / "sample-r7.plan.pdf")
SIDE = str(SAMPLES / "sample-r7-vs-r6.sidebyside.pdf")


def plandiff(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess[str]:
    """The installed ``plandiff`` command, in English unless ``env`` says otherwise."""
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(
        [PLANDIFF, *args],
        text=True,
        encoding="utf-8",
        check=False,
        cwd=cwd,
        env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "", "LANGUAGE": "", **(env or {})},
        **kw,
    )


def refused(p: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit 2, exactly one stderr line holding every needle, no traceback, nothing on stdout."""
    assert p.returncode == 2, (p.returncode, p.stderr)
    lines = p.stderr.splitlines()
    assert len(lines) == 1, p.stderr
    assert "Traceback" not in p.stderr and not p.stdout
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["compare", R6, R7, "--score-cutoff", "5"], ["--score-cutoff 5.0", "at most 1"]),
        (["compare", R6, R7, "--score-cutoff", "-1"], ["--score-cutoff -1.0"]),
        (["compare", R6, R7, "--score-cutoff", "abc"], ["--score-cutoff", "abc", "--help"]),
        (["extract", R7, "--max-pages", "0"], ["--max-pages 0", "at least 1"]),
        (["batch", str(SAMPLES), "-o", "out", "--jobs", "0"], ["--jobs 0", "at least 1"]),
        (["batch", str(SAMPLES), "-o", "out", "--report-format", "docx"], ["--report-format docx", "--compare"]),
        (["compare", R6, R7, R6], ["OLD NEW"]),
        (["compare", R7], ["sample-r7.plan.pdf", "holds one plan", "plandiff compare OLD NEW"]),
        (["compare", "nowhere.pdf", R7], ["nowhere.pdf: no such file"]),
        (["extract", "nowhere.pdf"], ["nowhere.pdf: no such file", "check the path"]),
        (["compare", SIDE, R7], ["sidebyside.pdf", "--side left", "--side right"]),
        (["compare", R6, R7, "--format", "html", "-o", "a.html", "-o", "b.docx"], ["b.docx", "--format html, .docx"]),
        (["extract", R7, "-o", "plan.pdf"], ["plan.pdf", "unknown output format", "json, md"]),
        (["compare", R6, R7, "-o", "."], [".: is a directory", "file name"]),
        (["compare", R6, R7, "-o", "a.html", "-o", "memo.txt/b.docx"], ["memo.txt/b.docx", "not a directory"]),
        (["batch", str(SAMPLES), "-o", "memo.txt"], ["memo.txt", "output directory", "a file of that name exists"]),
        (["batch", str(SAMPLES), "-o", "memo.txt/out"], ["memo.txt/out", "output directory"]),
        (["batch", "empty", "-o", "out"], ["empty", "no PDF files"]),
    ],
    ids=lambda v: " ".join(v)[:60] if isinstance(v, list) else None,
)
def test_a_mistake_is_one_line_exit_2_and_leaves_nothing_behind(tmp_path, args, needles):
    (tmp_path / "memo.txt").write_text("a file, not a directory", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    refused(plandiff(*args, cwd=tmp_path), *needles)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_global_options_are_accepted_after_the_subcommand_and_v_logs_each_stage(tmp_path):
    p = plandiff("compare", R6, R7, "-o", "c.json", "-v", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "sample-r6.plan.pdf: 3 pages, layout plan" in p.stderr and "compared " in p.stderr and "wrote c.json" in p.stderr
    q = plandiff("extract", R7, "-o", "x.json", "--quiet", cwd=tmp_path)
    assert q.returncode == 0 and q.stderr == ""


def test_a_binary_format_refuses_a_terminal():
    import pty

    leader, follower = pty.openpty()
    try:
        p = plandiff("compare", R6, R7, "--format", "docx", stdout=follower)
    finally:
        os.close(follower)
        os.close(leader)
    assert p.returncode == 2 and "--format docx: is a binary format" in p.stderr and len(p.stderr.splitlines()) == 1


def test_a_side_by_side_pdf_as_one_of_two_plans_compares_the_column_asked_for():
    p = plandiff("compare", SIDE, R7, "--side", "right", "--format", "json")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["old"]["label"] and data["summary"]["changed"] > 0


def test_comparing_a_plan_with_itself_or_the_years_swapped_warns_in_one_line():
    same = plandiff("compare", R7, R7, "--format", "json")
    assert same.returncode == 0 and same.stderr.count("\n") == 1 and "are the same plan" in same.stderr
    swapped = plandiff("compare", R7, R6, "--format", "json")
    assert swapped.returncode == 0 and swapped.stderr.count("\n") == 1
    assert "令和7年度" in swapped.stderr and f"plandiff compare {R6} {R7}" in swapped.stderr


def test_importing_the_cli_loads_no_report_diffing_or_pdf_library_and_version_is_fast():
    heavy = (
        *("pandas", "openpyxl", "docx", "jinja2", "numpy", "rapidfuzz", "pypdfium2", "pdfminer", "sudachipy"),
        *("pipeline.api", "pipeline.batch", "pipeline.nway", "pipeline.model", "reports.view", "multiprocessing"),
    )
    code = f"import sys, pipeline.cli; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert p.stdout.strip() == "[]"
    import time

    t0 = time.perf_counter()
    assert plandiff("--version").returncode == 0
    assert time.perf_counter() - t0 < 3


def test_extracting_a_plan_with_a_sound_text_layer_loads_no_ocr_diffing_or_report_library():
    heavy = ("numpy", "PIL", "pytesseract", "pandas", "openpyxl", "docx", "jinja2", "rapidfuzz", "sudachipy", "multiprocessing")
    code = (
        f"import sys; from pipeline.cli import main; main(['extract', '-q', {R7!r}, '--format', 'md']); "
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert p.stdout.strip().splitlines()[-1] == "[]"
    assert "基本業務の確実な遂行" in p.stdout
