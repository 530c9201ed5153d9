"""A batch survives what an archive's files and names can do: real files, real runs, real processes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import psutil
from conftest import SAMPLES

from pipeline import cli
from pipeline.batch import BatchConfig, run_batch

SJIS = bytes.fromhex("8e968bc68c7689e6") + b".pdf"  # 事業計画.pdf in Shift_JIS, as unzip leaves it from Windows
HOSTILE = "javascript:void(document.title='PWNED-'+document.domain)#x.pdf"
QUIET = BatchConfig(jobs=2, progress=False)


def _copy(src: Path, dst: bytes | Path) -> None:
    with open(src, "rb") as f, open(dst, "wb") as g:
        g.write(f.read())


def _batch(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", "-q", "batch", *args], stdout=subprocess.DEVNULL, **kw)


def _manifest_files(out: Path) -> list[dict]:
    try:
        return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError):
        return []


def _wait_for(cond, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while not cond():
        assert time.time() < deadline, "timed out"
        time.sleep(0.02)


def _copies(archive: Path, n: int) -> Path:
    archive.mkdir()
    for k in range(n):
        shutil.copy(SAMPLES / "sample-r7.plan.pdf", archive / f"plan-{k:02d}.pdf")
    return archive


def _workers(pid: int) -> list[psutil.Process]:
    return [p for p in psutil.Process(pid).children() if "spawn_main" in " ".join(p.cmdline())]


def test_names_are_data_outputs_never_collide_and_links_cannot_run_script(tmp_path):
    archive = tmp_path / "archive"
    (archive / "本部").mkdir(parents=True)
    r7 = SAMPLES / "sample-r7.plan.pdf"
    _copy(r7, os.fsencode(archive / "本部") + b"/" + SJIS)
    for name in ("plan.pdf", "plan.PDF", "manifest.pdf", HOSTILE, "a\nb.pdf"):
        _copy(r7, archive / name)
    out = tmp_path / "out"
    result = run_batch(archive, out, config=QUIET)
    assert {r.status for r in result.files} == {"ok"}, [r.error for r in result.files]
    outputs = [o for r in result.files for o in r.outputs]
    assert len(outputs) == len({o.casefold() for o in outputs}) == 12
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))  # valid UTF-8 JSON
    by_name = {f["file"]: f for f in manifest["files"]}
    sjis = os.fsdecode(b"\xe6\x9c\xac\xe9\x83\xa8/" + SJIS)  # the exact name, surrogate escapes and all
    assert by_name[sjis]["outputs"] == ["本部/事業計画.json", "本部/事業計画.md"]
    assert by_name["manifest.pdf"]["outputs"] == ["manifest.pdf.json", "manifest.pdf.md"]
    assert {by_name["plan.PDF"]["outputs"][0], by_name["plan.pdf"]["outputs"][0]} == {"plan.json", "plan.pdf.json"}
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["schema"] == "plandiff.manifest/1"  # not overwritten
    assert "本部/事業計画.pdf" in (out / "manifest.csv").read_text(encoding="utf-8-sig")
    page = lxml.html.fromstring((out / "index.html").read_text(encoding="utf-8"))
    hrefs = [a.get("href") for a in page.xpath("//a")]
    assert len(hrefs) == 12
    for href in hrefs:
        assert urlsplit(href).scheme == "" and urlsplit(href).fragment == ""
        assert (out / unquote(href)).is_file()
    assert "本部/事業計画.pdf" in page.text_content() and "a\\nb.pdf" in page.text_content()
    again = run_batch(archive, out, config=QUIET)
    assert {r.status for r in again.files} == {"skipped"}


def test_special_and_unreadable_files_are_rows_with_their_reason(tmp_path, capsys):
    archive = tmp_path / "archive"
    (archive / "sub").mkdir(parents=True)
    shutil.copy(SAMPLES / "sample-r7.plan.pdf", archive / "good.pdf")
    os.mkfifo(archive / "fifo.pdf")
    (archive / "folder.pdf").mkdir()
    os.symlink("loop.pdf", archive / "loop.pdf")
    os.symlink("missing.pdf", archive / "dangling.pdf")
    os.symlink("..", archive / "sub" / "up")
    os.symlink("/proc/self/mem", archive / "eio.pdf")  # a regular file whose first read fails with EIO
    out = tmp_path / "out"
    assert cli.main(["-q", "batch", str(archive), "-o", str(out), "--jobs", "1"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "eio.pdf: cannot be read (Input/output error)" in err
    rows = {r["file"]: (r["status"], r["error"]) for r in _manifest_files(out)}
    assert rows == {
        "good.pdf": ("ok", ""),
        "fifo.pdf": ("skipped", "a FIFO (named pipe), not a regular file"),
        "folder.pdf": ("skipped", "a folder named *.pdf"),
        "loop.pdf": ("skipped", "a symbolic link loop"),
        "dangling.pdf": ("skipped", "a dangling symbolic link (its target is missing)"),
        "sub/up": ("skipped", "a symbolic link loop (a folder already read)"),
        "eio.pdf": ("failed", rows["eio.pdf"][1]),
    }


def test_extract_refuses_what_is_not_a_regular_file_instead_of_blocking(tmp_path):
    os.mkfifo(tmp_path / "fifo.pdf")
    p = subprocess.run(  # in a subprocess: a regression would block, not fail
        [sys.executable, "-m", "pipeline.cli", "extract", str(tmp_path / "fifo.pdf")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert (
        p.returncode == 2 and p.stderr.count("\n") == 1 and "fifo.pdf: not a PDF file (a FIFO (named pipe), not a regular file)" in p.stderr
    )


def test_an_output_directory_holding_the_archive_is_refused_and_one_inside_it_is_left_out(tmp_path, capsys):
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(SAMPLES / "sample-r7.plan.pdf", archive / "plan.pdf")
    for out in (archive, tmp_path):
        assert cli.main(["-q", "batch", str(archive), "-o", str(out)]) == 2
        assert "the output directory is the archive or holds it" in capsys.readouterr().err
    inside = archive / "converted"
    first = run_batch(archive, inside, config=QUIET)
    (inside / "copy.pdf").write_bytes((archive / "plan.pdf").read_bytes())  # a PDF in the output is not the archive's
    second = run_batch(archive, inside, config=QUIET)
    assert [r.file for r in first.files] == [r.file for r in second.files] == ["plan.pdf"]


def _long_plan(path: Path, copies: int) -> None:
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(SAMPLES / "sample-r7.plan.pdf")
    doc = pdfium.PdfDocument.new()
    for _ in range(copies):
        doc.import_pages(src)
    doc.save(path)


def test_a_file_that_kills_its_reader_twice_is_failed_and_not_retried_until_forced(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    _long_plan(archive / "a-long.pdf", 20)  # 60 pages: time to kill the worker reading it, twice
    shutil.copy(SAMPLES / "sample-r7.plan.pdf", archive / "b.pdf")
    out = tmp_path / "out"
    proc = _batch(str(archive), "-o", str(out), "--jobs", "1", stderr=subprocess.PIPE, text=True)
    killed: list[int] = []
    for _ in range(2):
        _wait_for(lambda: [w for w in _workers(proc.pid) if w.pid not in killed], timeout=30)
        victim = next(w for w in _workers(proc.pid) if w.pid not in killed)
        victim.kill()
        killed.append(victim.pid)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert err.count("\n") == 1 and "a-long.pdf: the reader crashed on this file (killed by SIGKILL, twice)" in err
    rows = {f["file"]: f for f in _manifest_files(out)}
    assert rows["b.pdf"]["status"] == "ok" and rows["a-long.pdf"]["status"] == "failed" and rows["a-long.pdf"]["worker_died"]
    again = run_batch(archive, out, config=QUIET)
    assert [(r.file, r.status, r.seconds) for r in again.files] == [("a-long.pdf", "failed", 0.0), ("b.pdf", "skipped", 0.0)]
    forced = run_batch(archive, out, config=BatchConfig(jobs=1, force=True, progress=False))
    assert [(r.file, r.status, r.pages) for r in forced.files] == [("a-long.pdf", "ok", 60), ("b.pdf", "ok", 3)]


def test_workers_die_with_a_killed_batch(tmp_path):
    archive = _copies(tmp_path / "archive", 8)
    out = tmp_path / "out"
    proc = _batch(str(archive), "-o", str(out), "--jobs", "2")
    _wait_for(lambda: len(_manifest_files(out)) >= 1)
    workers = _workers(proc.pid)
    assert len(workers) == 2
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    _gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, "a worker outlived its batch"
    written = {p: p.stat().st_mtime for p in out.rglob("*.json")}
    time.sleep(0.5)
    assert {p: p.stat().st_mtime for p in out.rglob("*.json")} == written


def test_a_second_batch_on_the_same_output_is_refused_and_the_first_finishes_clean(tmp_path, capsys):
    archive = _copies(tmp_path / "archive", 5)
    out = tmp_path / "out"
    first = _batch(str(archive), "-o", str(out), "--jobs", "1", stderr=subprocess.PIPE)
    _wait_for(lambda: len(_manifest_files(out)) >= 1)
    assert cli.main(["-q", "batch", str(archive), "-o", str(out)]) == 2
    assert "in use by another plandiff batch" in capsys.readouterr().err
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert {f["status"] for f in _manifest_files(out)} == {"ok"} and len(_manifest_files(out)) == 5


def test_batch_reports_carry_no_timestamp_when_asked(tmp_path):
    archive = tmp_path / "archive"
    (archive / "R6").mkdir(parents=True)
    (archive / "R7").mkdir()
    shutil.copy(SAMPLES / "sample-r6.plan.pdf", archive / "R6" / "plan.pdf")
    shutil.copy(SAMPLES / "sample-r7.plan.pdf", archive / "R7" / "plan.pdf")
    out = tmp_path / "out"
    assert (
        cli.main(["-q", "batch", str(archive), "-o", str(out), "--jobs", "1", "--compare", "--no-timestamp", "--report-format", "docx"])
        == 0
    )
    with zipfile.ZipFile(out / "comparisons" / "サンプル支部_R6-R7.docx") as z:
        core = z.read("docProps/core.xml").decode("utf-8")
    assert "2000-01-01T00:00:00Z" in core  # the fixed time of byte-identical reports
