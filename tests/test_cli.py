"""The plandiff command end to end, in a subprocess as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

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
