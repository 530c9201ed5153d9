"""The JSON API of ``plandiff serve``, against a real server on a free localhost port."""

from __future__ import annotations

import csv
import io
import shutil
import signal
import sqlite3
import subprocess
import sys
import zipfile
from urllib.parse import unquote

import openpyxl
import pypdfium2 as pdfium
import pytest
from conftest import DATA, SAMPLES
from serving import Server, english_env, post_compare, wait_job

from pipeline import api

BAD = DATA / "bad"
R6, R7, HQ = SAMPLES / "sample-r6.plan.pdf", SAMPLES / "sample-r7.plan.pdf", SAMPLES / "sample-hq-r7.plan.pdf"
SIDE = SAMPLES / "sample-r7-vs-r6.sidebyside.pdf"
EXPECTED_TRACEBACKS = {"count": 0}


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    """The folder tree batches may read: a small archive of plans and one bad file."""
    root = tmp_path_factory.mktemp("root")
    arch = root / "archive" / "サンプル支部"
    arch.mkdir(parents=True)
    for p in (R6, R7, HQ):
        shutil.copy(p, arch / p.name)
    shutil.copy(BAD / "not-a-pdf.pdf", arch / "壊れた.pdf")
    return root


@pytest.fixture(scope="module")
def server(tmp_path_factory, root):
    s = Server(tmp_path_factory.mktemp("serve") / "data", root=root, args=("--max-upload-mb", "1", "--max-pages", "5")).start()
    yield s
    s.stop()
    assert s.log.read_text().count("Traceback") == EXPECTED_TRACEBACKS["count"]  # only the ones a test caused on purpose


@pytest.fixture(scope="module")
def client(server):
    with server.client() as c:
        yield c


@pytest.fixture(scope="module")
def pair(client):
    """One comparison of the sample years, through the API."""
    res = post_compare(client, {"old": R6, "new": R7})
    assert res.status_code == 202, res.text
    job = wait_job(client, res.json()["id"])
    assert job["state"] == "done", job
    return job


def test_a_comparison_job_reports_its_stages_and_gives_the_compare_json(client, pair):
    stages = [stage for _, stage, _ in pair["seen"]]
    assert stages[-1] == "done" and pair["progress"] == 1.0
    assert pair["pages"] == pair["pages_read"] == 6
    progress = [p for _, _, p in pair["seen"]]
    assert progress == sorted(progress)
    data = client.get(f"/api/comparisons/{pair['comparison']}").json()
    assert data["schema"] == "plandiff.compare/1"
    assert data["old"]["source"] == "sample-r6.plan.pdf" and data["new"]["source"] == "sample-r7.plan.pdf"
    assert data["summary"] == api.compare(R6, R7).summary
    assert any(n == {"old": "９５．８％", "new": "９６．５％"} for r in data["rows"] for n in r["numbers"])


def test_every_report_format_downloads(client, pair):
    base = f"/api/comparisons/{pair['comparison']}/report"
    html = client.get(f"{base}.html")
    assert html.headers["content-type"].startswith("text/html") and "attachment" in html.headers["content-disposition"]
    assert "（削除）" in html.text and "【新設】" in html.text
    xlsx = client.get(f"{base}.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert any("９６．５％" in str(c.value) for row in sheet.iter_rows() for c in row)
    docx = client.get(f"{base}.docx")
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(docx.content)).namelist()
    rows = list(csv.reader(io.StringIO(client.get(f"{base}.csv").content.decode("utf-8-sig"))))
    assert len(rows) > 10
    assert "９５．８％" in client.get(f"{base}.md").text
    assert client.get(f"{base}.json").json()["schema"] == "plandiff.compare/1"
    redline = client.get(f"{base}.redline")
    assert unquote(redline.headers["content-disposition"]).endswith(".redline.docx")
    assert "<w:ins " in zipfile.ZipFile(io.BytesIO(redline.content)).read("word/document.xml").decode("utf-8")
    assert client.get(f"{base}.exe").status_code == 404


def test_the_same_pair_again_reuses_the_stored_comparison(client, pair):
    again = wait_job(client, post_compare(client, {"old": R6, "new": R7}).json()["id"])
    assert again["comparison"] == pair["comparison"]
    listed = client.get("/api/comparisons").json()["comparisons"]
    assert listed[0]["id"] == pair["comparison"]


def test_a_document_uploaded_twice_is_stored_once_under_its_hash(client, server):
    first = client.post("/api/documents", files={"file": ("本部.pdf", HQ.read_bytes())})
    second = client.post("/api/documents", files={"file": ("また本部.pdf", HQ.read_bytes())})
    assert first.status_code == second.status_code == 200
    doc = first.json()
    assert doc["id"] == second.json()["id"] and len(doc["id"]) == 64
    assert (doc["pages"], doc["layout"], doc["organisation"], doc["year"]) == (1, "plan", "本部", "令和7年度")
    data = client.get(f"/api/documents/{doc['id']}").json()
    assert data["schema"] == "plandiff.extract/1" and data["source"] == "本部.pdf"
    stored = [p.name for p in (server.data / "files").iterdir()]
    assert f"{doc['id']}.pdf" in stored and not any("本部" in n for n in stored)


def test_extraction_json_works_as_input(client, tmp_path):
    r6 = tmp_path / "r6.json"
    api.write_extract(api.extract(R6), r6)
    res = client.post("/api/compare", files={"old": ("r6.json", r6.read_bytes()), "new": ("r7.pdf", R7.read_bytes())})
    job = wait_job(client, res.json()["id"])
    assert job["state"] == "done"
    data = client.get(f"/api/comparisons/{job['comparison']}").json()
    assert data["old"]["source"] == "r6.json"
    doc = client.post("/api/documents", files={"file": ("r6.json", r6.read_bytes())}).json()
    assert doc["pages"] == 3 and client.get(f"/api/documents/{doc['id']}/pages/1.png").status_code == 404  # no PDF to render


def test_one_side_by_side_pdf_compares_its_columns(client):
    res = post_compare(client, {"sidebyside": SIDE}, new_side="left", title="対照表の比較")
    job = wait_job(client, res.json()["id"])
    assert job["state"] == "done", job
    data = client.get(f"/api/comparisons/{job['comparison']}").json()
    assert "令和７年度" in data["new"]["title"] or "令和７年度" in data["new"]["label"]
    disposition = client.get(f"/api/comparisons/{job['comparison']}/report.docx").headers["content-disposition"]
    assert unquote(disposition).endswith("UTF-8''対照表の比較.docx")


@pytest.mark.parametrize(
    ("name", "words", "ja"),
    [
        ("not-a-pdf.pdf", "not a PDF file", "PDFファイルではありません"),
        ("empty-file.pdf", "not a PDF file", "ファイルが空です"),
        ("encrypted.pdf", "encrypted", "暗号化"),
        ("truncated.pdf", "damaged or truncated", "壊れて"),
        ("zero-pages.pdf", "no pages", "ページがありません"),
    ],
)
def test_a_bad_upload_is_refused_at_once_with_the_cli_reason(client, server, name, words, ja):
    res = post_compare(client, {"old": BAD / name, "new": R7})
    assert res.status_code == 400
    body = res.json()
    assert body["error"].startswith(f"{name}: ") and words in body["error"] and "\n" not in body["error"]
    assert body["message"].startswith(f"{name}: ") and ja in body["message"]
    assert str(server.data) not in body["error"]
    assert list((server.data / "tmp").iterdir()) == []


@pytest.mark.parametrize(("name", "words"), [("scanned.pdf", "no text layer"), ("cid-garbage.pdf", "text layer is garbled")])
def test_a_pdf_that_fails_while_reading_fails_its_job_with_the_reason(client, server, name, words):
    job = wait_job(client, post_compare(client, {"old": BAD / name, "new": R7}).json()["id"])
    assert job["state"] == "failed" and job["comparison"] is None
    assert job["error"].startswith(f"{name}: ") and words in job["error"]
    assert job["message"].startswith(f"{name}: ") and "。" in job["message"]
    assert list((server.data / "tmp").iterdir()) == []
    assert client.get("/api/comparisons").status_code == 200  # the server goes on


@pytest.mark.parametrize(
    ("files", "fields"),
    [({"old": R6}, {}), ({"old": R6, "new": R7, "sidebyside": SIDE}, {}), ({"old": R6, "new": R7}, {"new_side": "middle"})],
    ids=["one side", "three files", "bad new_side"],
)
def test_incomplete_requests_are_refused(client, files, fields):
    res = post_compare(client, files, **fields)
    assert res.status_code == 400 and "message" in res.json()


def test_a_request_that_is_not_multipart_is_refused(client):
    res = client.post("/api/compare", content=b"{}", headers={"content-type": "application/json"})
    assert res.status_code == 400 and "multipart" in res.json()["error"]


def test_a_single_plan_is_not_a_side_by_side_table(client):
    job = wait_job(client, post_compare(client, {"sidebyside": HQ}).json()["id"])
    assert job["state"] == "failed" and "holds one plan" in job["error"]


def test_unknown_ids_and_paths_are_not_found(client):
    for url in (
        "/api/jobs/0123456789abcdef",
        "/api/comparisons/0123456789abcdef",
        "/api/comparisons/..%2F..%2Fetc%2Fpasswd",
        "/api/documents/../../plandiff.sqlite3",
        "/api/documents/%2e%2e%2fplandiff.sqlite3",
        "/documents/0123456789abcdef",
        "/comparisons/not-an-id/report",
    ):
        res = client.get(url)
        assert res.status_code == 404, url
        assert "Traceback" not in res.text


def test_page_images_are_rendered_by_pdfium(client):
    doc = client.post("/api/documents", files={"file": ("r7.pdf", R7.read_bytes())}).json()
    png = client.get(f"/api/documents/{doc['id']}/pages/2.png")
    assert png.headers["content-type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n" and len(png.content) > 10_000
    assert client.get(f"/api/documents/{doc['id']}/pages/4.png").status_code == 404
    assert client.get(f"/api/documents/{doc['id']}/pages/0.png").status_code == 404


def test_search_finds_three_characters_by_trigram_and_two_by_the_fallback(client, pair):
    hits = client.get("/api/search", params={"q": "評議会"}).json()["hits"]
    assert hits and all("評議会" in h["text"] for h in hits)
    assert {h["year"] for h in hits} == {"令和6年度", "令和7年度"}
    h = hits[0]
    assert set(h) >= {"document", "office", "year", "section", "kind", "label", "text", "page"}
    assert h["office"] == "サンプル支部" and h["kind"] == "plan" and h["section"].startswith("１．")
    short = client.get("/api/search", params={"q": "健診"}).json()["hits"]
    assert short and all("健診" in x["label"] + x["text"] for x in short)
    assert client.get("/api/search", params={"q": "ＫＰＩ"}).json()["hits"]  # full width finds half width
    r7 = client.get("/api/search", params={"q": "評議会", "year": "7"}).json()["hits"]
    assert r7 and {x["year"] for x in r7} == {"令和7年度"}
    assert not client.get("/api/search", params={"q": "評議会", "office": "秋田支部"}).json()["hits"]
    assert not client.get("/api/search", params={"q": "%_%"}).json()["hits"]
    assert not client.get("/api/search", params={"q": '"'}).json()["hits"]
    assert client.get("/api/search", params={"q": ""}).json() == {"hits": []}


def test_batch_on_a_server_folder_stores_documents_and_comparisons(client, root):
    res = client.post("/api/batch", json={"path": "archive"})
    assert res.status_code == 202, res.text
    job = wait_job(client, res.json()["id"])
    assert job["state"] == "done", job
    files = {f["file"]: f for f in job["files"]}
    assert files["サンプル支部/壊れた.pdf"]["status"] == "failed" and "not a PDF" in files["サンプル支部/壊れた.pdf"]["error"]
    r7 = files["サンプル支部/sample-r7.plan.pdf"]
    assert (r7["status"], r7["organisation"], r7["year"], r7["pages"]) == ("ok", "サンプル支部", "令和7年度", 3)
    assert client.get(f"/api/documents/{r7['document']}").json()["source"] == "sample-r7.plan.pdf"
    names = {c["name"] for c in job["comparisons"]}
    assert names == {"サンプル支部_R6-R7", "サンプル支部_vs_本部_R7"}
    for c in job["comparisons"]:
        assert client.get(f"/api/comparisons/{c['id']}").json()["summary"] == c["summary"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"path": "/"}, "outside"),
        ({"path": "../"}, "outside"),
        ({"path": "nowhere"}, "no such directory"),
        ({"path": "archive/サンプル支部/sample-r6.plan.pdf"}, "no such directory"),
        ({"folder": "archive"}, "path"),
        ([1, 2], "path"),
    ],
)
def test_batch_paths_outside_the_archive_root_are_refused(client, body, words):
    res = client.post("/api/batch", json=body)
    assert res.status_code == 400 and words in res.json()["error"]


def test_batch_on_an_uploaded_zip_keeps_members_inside(client, server):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../../escape/本部.pdf", HQ.read_bytes())
        zf.writestr("readme.txt", "not a plan")
    job = wait_job(client, client.post("/api/batch", files={"zip": ("plans.zip", buf.getvalue())}).json()["id"])
    assert job["state"] == "done" and [f["file"] for f in job["files"]] == ["escape/本部.pdf"]
    assert not (server.data.parent / "escape").exists() and list((server.data / "tmp").iterdir()) == []
    res = client.post("/api/batch", files={"zip": ("plans.zip", b"PK not really")})
    assert res.status_code == 400 and "not a zip" in res.json()["error"]


def test_requests_from_other_sites_are_refused(server):
    import httpx

    assert httpx.get(f"{server.url}/", headers={"Host": "evil.example:8765"}).status_code == 400
    assert httpx.get(f"{server.url}/", headers={"Host": f"localhost:{server.port}"}).status_code == 200
    files = {"old": ("a.pdf", R6.read_bytes()), "new": ("b.pdf", R7.read_bytes())}
    assert httpx.post(f"{server.url}/api/compare", files=files).status_code == 403
    res = httpx.post(f"{server.url}/api/compare", files=files, headers={"Origin": "http://evil.example"})
    assert res.status_code == 403 and "message" in res.json()
    page = httpx.get(f"{server.url}/")
    assert "default-src 'self'" in page.headers["content-security-policy"] and page.headers["x-content-type-options"] == "nosniff"


def test_limits_refuse_large_uploads_while_streaming_and_long_pdfs(client, server, tmp_path):
    big = client.post("/api/compare", files={"old": ("big.pdf", b"%PDF-1.7\n" + b"0" * 1_500_000), "new": ("r7.pdf", R7.read_bytes())})
    assert big.status_code == 413
    assert "larger than the server's limit" in big.json()["error"] and "上限" in big.json()["message"]
    six = tmp_path / "six-pages.pdf"
    pdf = pdfium.PdfDocument.new()
    for part in (R6, R7):
        pdf.import_pages(pdfium.PdfDocument(part))
    pdf.save(six)
    long = post_compare(client, {"old": six, "new": R7})
    assert long.status_code == 400 and long.json()["error"].startswith("six-pages.pdf: the PDF is larger")
    assert list((server.data / "tmp").iterdir()) == []
    assert not client.get("/api/search", params={"q": "six-pages"}).json()["hits"]


def test_an_internal_error_reaches_the_client_as_one_line_and_the_log_with_its_traceback(client, server):
    doc = client.post("/api/documents", files={"file": ("本部.pdf", HQ.read_bytes())}).json()
    with sqlite3.connect(server.data / "plandiff.sqlite3") as con:  # a damaged database row
        con.execute("UPDATE documents SET extract = '{\"schema\": 1}' WHERE id = ?", (doc["id"],))
    EXPECTED_TRACEBACKS["count"] += 1
    res = client.get(f"/documents/{doc['id']}")
    assert res.status_code == 500
    assert res.json() == {
        "error": "internal error (see the server log)",
        "message": "内部エラーが発生しました（詳細はサーバーのログにあります）",
    }
    log = server.log.read_text()
    assert f"GET /documents/{doc['id']} failed\nTraceback" in log and "not a plandiff.extract/1 document" in log
    with sqlite3.connect(server.data / "plandiff.sqlite3") as con:
        con.execute("DELETE FROM documents WHERE id = ?", (doc["id"],))
        con.execute("DELETE FROM items WHERE document = ?", (doc["id"],))


def run_serve(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "pipeline.cli", "serve", *args]
    return subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", timeout=60, check=False, env=english_env())


def test_serve_that_cannot_start_says_why_in_one_line(tmp_path, server):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    bad_data = run_serve("--data", str(not_a_dir), "--port", "0")
    busy = run_serve("--data", str(tmp_path / "d"), "--port", str(server.port))
    for p, words in ((bad_data, str(not_a_dir)), (busy, f"127.0.0.1:{server.port}: cannot start the server")):
        assert p.returncode == 2, p.stderr
        assert p.stderr.count("\n") == 1 and words in p.stderr and "Traceback" not in p.stderr


def test_a_restart_keeps_everything_finishes_running_jobs_and_marks_killed_ones_interrupted(server):
    """Last in this module: it restarts the module's server (on a new port)."""
    with server.client() as c:
        done = wait_job(c, post_compare(c, {"old": HQ, "new": R7}).json()["id"])
        running = post_compare(c, {"old": R6, "new": HQ}).json()["id"]
        batch = c.post("/api/batch", json={"path": "archive"}).json()["id"]
    server.stop(signal.SIGINT)  # Ctrl-C: the running comparison finishes first, the batch stops after its files in flight
    server.start()
    with server.client() as c:
        assert c.get(f"/api/comparisons/{done['comparison']}").json()["summary"]
        assert done["comparison"] in [x["id"] for x in c.get("/api/comparisons").json()["comparisons"]]
        assert c.get(f"/api/jobs/{running}").json()["state"] == "done"
        stopped = c.get(f"/api/jobs/{batch}").json()
        assert stopped["state"] == "failed" and stopped["error"].startswith("interrupted")
        killed = post_compare(c, {"old": R6, "new": SAMPLES / "sample-r7.fieldtable.pdf"}).json()["id"]
    assert server.proc is not None
    server.proc.kill()
    server.proc.wait()
    server.start()
    with server.client() as c:
        job = c.get(f"/api/jobs/{killed}").json()
        assert job["state"] == "failed" and job["error"].startswith("interrupted") and "中断" in job["message"]
    assert list((server.data / "tmp").iterdir()) == []
