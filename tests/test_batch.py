"""Batch conversion of an archive: good and bad files, pairing, skipping, resuming, Dask."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import lxml.html
import pytest
from conftest import DATA, SAMPLES

from pipeline import cli
from pipeline.batch import CSV_COLUMNS, BatchConfig, run_batch
from pipeline.identify import find_org, find_years

GOOD = {
    "サンプル支部/R6/sample-r6.plan.pdf": SAMPLES / "sample-r6.plan.pdf",
    "サンプル支部/R7/sample-r7.plan.pdf": SAMPLES / "sample-r7.plan.pdf",
    "サンプル支部/R7/sample-r7.fieldtable.pdf": SAMPLES / "sample-r7.fieldtable.pdf",  # a second plan of one office and year
    "サンプル支部/R7/sample-r7-vs-r6.sidebyside.pdf": SAMPLES / "sample-r7-vs-r6.sidebyside.pdf",
    "本部/R7/sample-hq-r7.plan.pdf": SAMPLES / "sample-hq-r7.plan.pdf",
    "進捗/sample-slides-r7.slides.PDF": SAMPLES / "sample-slides-r7.slides.pdf",
}
BAD = ["not-a-pdf.pdf", "encrypted.pdf", "truncated.pdf", "scanned.pdf", "zero-pages.pdf"]
QUIET = BatchConfig(jobs=1, compare=True, progress=False)  # one worker: no pool to start (the pool has a test of its own)


def make_archive(root: Path) -> Path:
    for rel, src in GOOD.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, root / rel)
    (root / "壊れたファイル").mkdir()
    for name in BAD:
        shutil.copy(DATA / "bad" / name, root / "壊れたファイル" / name)
    (root / "memo.txt").write_text("not a plan", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """One archive converted once for the whole module; tests that change it work on a copy."""
    root = tmp_path_factory.mktemp("batch")
    archive = make_archive(root / "archive")
    return archive, root / "out", run_batch(archive, root / "out", config=QUIET)


@pytest.fixture
def copied(converted, tmp_path):
    """A copy of the converted archive and its output, to rerun or change."""
    archive, out, _ = converted
    shutil.copytree(archive, tmp_path / "archive")
    shutil.copytree(out, tmp_path / "out")
    return tmp_path / "archive", tmp_path / "out"


def test_every_good_file_is_converted_into_the_mirrored_tree(converted):
    _, out, result = converted
    ok = {r.file: r for r in result.files if r.status == "ok"}
    assert set(ok) == set(GOOD)
    for rel, rec in ok.items():
        data = json.loads((out / rec.outputs[0]).read_text(encoding="utf-8"))
        assert data["schema"] == "plandiff.extract/1" and data["source"] == Path(rel).name
        assert (out / rec.outputs[1]).read_text(encoding="utf-8").startswith("<!-- plandiff extract")
        assert rec.outputs[0] == str(Path(rel).with_suffix(".json").as_posix())
    assert (ok["サンプル支部/R6/sample-r6.plan.pdf"].organisation, ok["サンプル支部/R6/sample-r6.plan.pdf"].year) == (
        "サンプル支部",
        "令和6年度",
    )
    assert ok["本部/R7/sample-hq-r7.plan.pdf"].organisation == "本部"
    assert ok["サンプル支部/R7/sample-r7-vs-r6.sidebyside.pdf"].kind == "comparison"
    assert ok["進捗/sample-slides-r7.slides.PDF"].kind == "slides"


def test_every_bad_file_is_reported_and_the_batch_goes_on(converted):
    _, out, result = converted
    failed = {Path(r.file).name: r.error for r in result.failed}
    assert set(failed) == set(BAD)
    assert "encrypted" in failed["encrypted.pdf"] and "no text layer" in failed["scanned.pdf"]
    assert all(name in err for name, err in failed.items())
    assert not list((out / "壊れたファイル").glob("*.json")) if (out / "壊れたファイル").exists() else True


def test_comparisons_are_paired_by_office_and_year(converted):
    _, out, result = converted
    pairs = {c.name: (c.pairing, c.old, c.new, c.status) for c in result.comparisons}
    r6, r7, field, hq = (
        "サンプル支部/R6/sample-r6.plan.pdf",
        "サンプル支部/R7/sample-r7.plan.pdf",
        "サンプル支部/R7/sample-r7.fieldtable.pdf",
        "本部/R7/sample-hq-r7.plan.pdf",
    )
    assert pairs == {
        "サンプル支部_R6-R7": ("year", r6, r7, "ok"),
        "サンプル支部_vs_本部_R7": ("hq", hq, r7, "ok"),
        # the second plan of サンプル支部 令和7年度 is compared too, not silently left out
        "サンプル支部_R6-R7_sample-r7.fieldtable": ("year", r6, field, "ok"),
        "サンプル支部_vs_本部_R7_sample-r7.fieldtable": ("hq", hq, field, "ok"),
    }
    year = next(c for c in result.comparisons if c.name == "サンプル支部_R6-R7")
    assert year.summary["added"] == 2 and year.summary["moved"] == 1
    report = json.loads((out / "comparisons" / "サンプル支部_R6-R7.json").read_text(encoding="utf-8"))
    assert report["schema"] == "plandiff.compare/1" and report["summary"] == year.summary
    assert (out / "comparisons" / "サンプル支部_R6-R7.html").read_text(encoding="utf-8").startswith("<!doctype html>")


def test_two_plans_of_one_office_and_year_are_a_conflict_in_the_manifest_and_index(converted):
    _, out, _ = converted
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [(c["organisation"], c["year"], c["files"]) for c in manifest["conflicts"]] == [
        ("サンプル支部", "令和7年度", ["サンプル支部/R7/sample-r7.plan.pdf", "サンプル支部/R7/sample-r7.fieldtable.pdf"])
    ]
    page = lxml.html.fromstring((out / "index.html").read_text(encoding="utf-8"))
    cells = page.xpath('//table[contains(@class, "conflicts")]//td')
    assert "sample-r7.fieldtable.pdf" in cells[1].text_content()


def test_the_manifest_says_where_each_office_came_from(converted):
    _, _, result = converted
    sources = {r.file: r.organisation_source for r in result.files if r.status == "ok"}
    assert sources["サンプル支部/R6/sample-r6.plan.pdf"] == "title"


def test_office_falls_back_to_the_header_row_the_text_and_then_the_path():
    from pipeline.identify import identify
    from pipeline.model import Block, Document, ExtractResult

    garbled = "年度岩支部事業【案】（岩支部事業新表）令和手計画手計画旧対照3"  # a title line read out of order
    left = Document((Block("heading", "岩手支部の使命", level=1),), title=garbled, label="令和７年度（案）")
    who = identify(ExtractResult("x.pdf", 1, "sidebyside", (left, Document((), title=garbled, label="令和６年度"))))
    assert (who.org, who.source, who.year, who.kind) == ("岩手支部", "text", 7, "comparison")
    nameless = ExtractResult("x.pdf", 1, "plan", (Document((Block("paragraph", "取組を進める。"),), title="令和７年度 事業計画"),))
    assert identify(nameless).org == "不明"
    assert (identify(nameless, "archive/岩手/R7/x.pdf").org, identify(nameless, "archive/岩手/R7/x.pdf").source) == ("岩手支部", "path")
    assert identify(nameless, "本部/x.pdf").org == "本部"


def test_manifest_and_index_list_everything(converted):
    _, out, result = converted
    csv_lines = (out / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv_lines[0].split(",") == CSV_COLUMNS
    assert len(csv_lines) == 1 + len(GOOD) + len(BAD)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema"] == "plandiff.manifest/1"
    assert {f["file"] for f in manifest["files"]} == set(GOOD) | {f"壊れたファイル/{n}" for n in BAD}
    assert all(len(f["sha256"]) == 64 and f["seconds"] >= 0 for f in manifest["files"])
    page = lxml.html.fromstring((out / "index.html").read_text(encoding="utf-8"))
    links = {a.get("href") for a in page.xpath("//a")}
    assert {f"comparisons/{c.name}.html" for c in result.comparisons} <= links
    assert {r.outputs[0] for r in result.files if r.status == "ok"} <= links
    assert all((out / href).exists() for href in links)


def test_second_run_skips_everything_unchanged_and_force_redoes_it(copied):
    archive, out = copied
    again = run_batch(archive, out, config=QUIET)
    assert {r.status for r in again.files if r.file in GOOD} == {"skipped"}
    assert {c.status for c in again.comparisons} == {"skipped"}
    assert {r.status for r in again.failed} == {"failed"}  # bad files are tried again
    forced = run_batch(archive, out, config=BatchConfig(jobs=1, compare=True, force=True, progress=False))
    assert {r.status for r in forced.files if r.file in GOOD} == {"ok"}


def test_a_changed_file_is_converted_again_with_its_comparisons(copied):
    archive, out = copied
    with open(archive / "サンプル支部/R7/sample-r7.plan.pdf", "ab") as f:
        f.write(b"\n% appended comment\n")  # same content, new bytes: a new hash
    again = run_batch(archive, out, config=QUIET)
    status = {r.file: r.status for r in again.files}
    assert status["サンプル支部/R7/sample-r7.plan.pdf"] == "ok"
    assert status["サンプル支部/R6/sample-r6.plan.pdf"] == "skipped"
    changed = {c.name: c.status for c in again.comparisons}
    assert changed["サンプル支部_R6-R7"] == changed["サンプル支部_vs_本部_R7"] == "ok"
    assert changed["サンプル支部_R6-R7_sample-r7.fieldtable"] == "skipped"


def test_a_manifest_written_by_another_version_is_read_tolerantly(copied):
    archive, out = copied
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for f in manifest["files"]:
        f["from_the_future"] = {"x": 1}  # a field this version does not know
        f.pop("organisation_source", None)  # a field an older version did not write
    manifest["comparisons"][0].pop("summary")
    manifest["files"].append({"no": "key fields"})
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    again = run_batch(archive, out, config=QUIET)
    assert {r.status for r in again.files if r.file in GOOD} == {"skipped"}


def test_cli_exit_code_says_whether_anything_failed(copied, capsys):
    archive, out = copied
    assert cli.main(["-q", "batch", str(archive), "-o", str(out), "--jobs", "1"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == len(BAD) and "encrypted.pdf" in err
    for name in BAD:
        (archive / "壊れたファイル" / name).unlink()
    assert cli.main(["batch", str(archive), "-o", str(out), "--jobs", "1", "--quiet"]) == 0


def assert_same_batch(got, expected):
    """The same records and comparisons, and byte-identical outputs."""

    def outcome(result):
        return sorted((r.file, r.status, r.pages, r.organisation, r.year, r.outputs) for r in result.files)

    assert outcome(got) == outcome(expected)
    assert sorted((c.name, c.summary) for c in got.comparisons) == sorted((c.name, c.summary) for c in expected.comparisons)
    for rec in expected.files:
        for rel in rec.outputs:
            assert (got.out / rel).read_bytes() == (expected.out / rel).read_bytes()


def test_a_pool_of_workers_gives_the_same_files_and_comparisons(converted, tmp_path):
    archive, _, one = converted
    pooled = run_batch(archive, tmp_path / "pool", config=BatchConfig(jobs=2, compare=True, progress=False))
    assert_same_batch(pooled, one)


def test_an_archive_that_is_not_a_directory_is_one_clear_error(tmp_path, capsys):
    assert cli.main(["batch", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out")]) == 2
    assert "not a directory" in capsys.readouterr().err


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill"])
def test_an_interrupted_run_leaves_no_half_written_file_and_resumes(tmp_path, sig):
    N = 30  # enough files that even a slow poll interrupts the run before it ends
    archive = tmp_path / "archive"
    archive.mkdir()
    for k in range(N):
        shutil.copy(SAMPLES / "sample-r7.plan.pdf", archive / f"plan-{k:02d}.pdf")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline.cli", "-q", "batch", str(archive), "-o", str(out), "--jobs", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    manifest = out / "manifest.json"
    deadline = time.time() + 60
    while time.time() < deadline and not (manifest.exists() and len(json.loads(manifest.read_text(encoding="utf-8"))["files"]) >= 3):
        time.sleep(0.02)
    proc.send_signal(sig)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    done = json.loads(manifest.read_text(encoding="utf-8"))["files"]
    assert 3 <= len(done) < N, "the run finished before it could be interrupted"
    for f in out.rglob("*.json"):
        json.loads(f.read_text(encoding="utf-8"))  # every file that exists is whole
    resumed = run_batch(archive, out, config=BatchConfig(jobs=1, progress=False))
    status = [r.status for r in resumed.files]
    assert len(status) == N and "failed" not in status
    assert status.count("skipped") >= len(done)
    assert not list(out.rglob(".*.tmp"))


def test_the_same_batch_runs_on_a_dask_cluster(converted, tmp_path):
    distributed = pytest.importorskip("distributed")
    archive, _, local = converted
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        remote = run_batch(
            archive, tmp_path / "dask", config=BatchConfig(scheduler=cluster.scheduler_address, compare=True, progress=False)
        )
    assert_same_batch(remote, local)


@pytest.mark.parametrize(
    ("text", "org", "years"),
    [
        ("令和７年度 秋田支部事業計画", "秋田支部", [7]),
        ("2025（令和７）年度 全国健康保険協会神奈川支部 事業計画", "神奈川支部", [7]),
        ("令和元年度 本部事業計画", "本部", [1]),
        ("令和６年度 全国健康保険協会 事業計画", "本部", [6]),
        ("和歌山支部 令和10年度", "和歌山支部", [10]),
    ],
)
def test_office_and_year_are_read_from_the_text(text, org, years):
    assert find_org(text) == org
    assert find_years(text) == years


def test_progress_line_shows_files_pages_rate_and_eta():
    import io

    from pipeline.progress import Progress

    buf = io.StringIO()
    p = Progress(4, enabled=True, stream=buf)
    p.update(10)
    p.update(None)
    p.close()
    last = buf.getvalue().split("\r")[-1]
    assert last.startswith("files 2/4 · 10 pages · ") and "pages/s · ETA 0:0" in last and last.endswith("\n")
    quiet = io.StringIO()
    Progress(4, enabled=False, stream=quiet).update(3)
    assert quiet.getvalue() == ""


def test_compare_writes_each_years_matrix_and_each_offices_history(tmp_path):
    from pipeline import nway

    archive = tmp_path / "archive"
    files = {
        "支部/R5/sample-r5.plan.pdf": "sample-r5.plan.pdf",
        "支部/R6/sample-r6.plan.pdf": "sample-r6.plan.pdf",
        "支部/R7/sample-r7.plan.pdf": "sample-r7.plan.pdf",
        "本部/R7/sample-hq-r7.plan.pdf": "sample-hq-r7.plan.pdf",
    }
    for rel, name in files.items():
        (archive / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLES / name, archive / rel)
    out = tmp_path / "out"
    result = run_batch(archive, out, config=BatchConfig(jobs=1, compare=True, progress=False))
    assert not result.failed
    reports = {(r.kind, r.name): r for r in result.reports}
    assert set(reports) == {("matrix", "R7"), ("history", "サンプル支部")}
    matrix = json.loads((out / "matrix" / "R7.json").read_text(encoding="utf-8"))
    alone, _ = nway.matrix(SAMPLES / "sample-hq-r7.plan.pdf", [SAMPLES / "sample-r7.plan.pdf"], jobs=1)
    assert matrix["summary"] == list(alone.summary)  # from the stored comparison JSON, the same as computing it
    assert [b["organisation"] for b in matrix["branches"]] == ["サンプル支部"]
    history = json.loads((out / "history" / "サンプル支部.json").read_text(encoding="utf-8"))
    assert history["years"] == ["令和5年度", "令和6年度", "令和7年度"]
    (kpi,) = [k for k in history["kpis"] if k["name"] == "生活習慣病予防健診の実施率"]
    assert kpi["values"] == {"令和5年度": "６０．０％", "令和6年度": "６１．２％", "令和7年度": "６２．４％"}
    gone = [it for it in history["items"] if it["last"] == "令和6年度"]
    assert any("窓口の開設時間を延長する" in (it["years"]["令和6年度"] or {}).get("text", "") for it in gone)
    page = lxml.html.fromstring((out / "index.html").read_text(encoding="utf-8"))
    links = {a.get("href") for a in page.xpath("//a")}
    assert {"matrix/R7.html", "history/サンプル支部.html"} <= links
    cells = lxml.html.fromstring((out / "matrix" / "R7.html").read_text(encoding="utf-8")).xpath('//table[@class="matrix"]//td//a/@href')
    assert cells and all((out / "matrix" / href.split("#")[0]).resolve().exists() for href in cells)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {r["name"] for r in manifest["reports"]} == {"R7", "サンプル支部"}


def test_v_logs_what_the_batch_does(copied, capsys):
    archive, out = copied
    assert cli.main(["batch", str(archive), "-o", str(out), "--jobs", "1", "--compare", "-v"]) == 1
    err = capsys.readouterr().err
    assert f"{archive}: {len(GOOD) + len(BAD)} PDF files, {len(BAD)} to convert, {len(GOOD)} unchanged" in err
    assert "0 comparisons to write, 4 unchanged" in err
