"""Messages in the user's language: one gettext catalogue, Japanese for a Japanese locale, English otherwise."""

from __future__ import annotations

import ast
import gettext
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT
from test_cli import R6, R7, plandiff, refused

from pipeline.i18n import DOMAIN, LOCALE_DIR
from pipeline.progress import Progress

PO = LOCALE_DIR / "ja" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO = PO.with_suffix(".mo")


def marked_messages() -> dict[str, str]:
    """Every literal passed to ``_()`` or ``N_()`` in the library, with where it is."""
    out: dict[str, str] = {}
    for package in ("pipeline", "extractors", "diffing", "reports"):
        for f in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "N_")
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                ):
                    out.setdefault(node.args[0].value, f"{f.relative_to(ROOT)}:{node.lineno}")
    return out


def test_every_message_of_the_code_has_a_japanese_translation():
    ja = gettext.translation(DOMAIN, LOCALE_DIR, languages=["ja"])
    messages = marked_messages()
    assert len(messages) > 50
    missing = {m: where for m, where in messages.items() if ja.gettext(m) == m}
    assert not missing


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (Debian gettext) is not installed")
def test_the_committed_catalogue_is_compiled_from_its_source(tmp_path):
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "x.mo"), str(PO)], check=True, capture_output=True)

    def catalogue(path: Path) -> dict[str, str]:
        with open(path, "rb") as f:
            return dict(gettext.GNUTranslations(f)._catalog)  # type: ignore[attr-defined]

    # the messages, not the bytes: another msgfmt version may lay the file out differently
    assert catalogue(tmp_path / "x.mo") == catalogue(MO), f"run: msgfmt -o {MO} {PO}"


@pytest.mark.parametrize("var", ["LANG", "LC_ALL", "LC_MESSAGES"])
def test_a_japanese_locale_gets_japanese_errors(var):
    line = refused(plandiff("compare", "nowhere.pdf", R7, env={var: "ja_JP.UTF-8"}))
    assert line == "plandiff: エラー: nowhere.pdf: ファイルがありません。パスとファイル名を確認してください"
    line = refused(plandiff("compare", R6, R7, "--score-cutoff", "5", env={var: "ja_JP.UTF-8"}))
    assert line == "plandiff: エラー: --score-cutoff 5.0: 0より大きく1以下の値（類似度）にしてください"


def test_any_other_locale_gets_english():
    for lang in ("C.UTF-8", "en_US.UTF-8", "de_DE.UTF-8"):
        line = refused(plandiff("extract", "nowhere.pdf", env={"LANG": lang}))
        assert line == "plandiff: error: nowhere.pdf: no such file; check the path and the file name"


def test_warnings_and_log_lines_are_japanese_too(tmp_path):
    p = plandiff("compare", R7, R6, "-o", "c.json", cwd=tmp_path, env={"LANG": "ja_JP.UTF-8"})
    assert p.returncode == 0
    assert p.stderr.splitlines() == [
        f"plandiff: 旧の {R7} が令和7年度、新の {R6} が令和6年度です。逆ではありませんか？ plandiff compare {R6} {R7}",
        "plandiff: c.json を書き出しました",
    ]


def test_progress_lines_follow_the_locale(monkeypatch):
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    buf = io.StringIO()
    p = Progress(4, enabled=True, stream=buf)
    p.update(10)
    assert buf.getvalue().split("\r")[-1].startswith("ファイル 1/4 · 10ページ · ")
    monkeypatch.setenv("LANG", "C")
    p.update(2)
    assert buf.getvalue().split("\r")[-1].startswith("files 2/4 · 12 pages · ")


def test_extract_shows_the_pages_read_on_a_terminal(tmp_path):
    import pty

    leader, follower = pty.openpty()
    try:
        p = plandiff("extract", R7, "-o", "x.json", cwd=tmp_path, env={"LANG": "ja_JP.UTF-8"}, stderr=follower)
    finally:
        os.close(follower)
    # The terminal's line discipline hands the output on in pieces: read until it
    # says every writer is gone (EIO), not once.
    chunks = []
    try:
        while chunk := os.read(leader, 1 << 16):
            chunks.append(chunk)
    except OSError:
        pass
    finally:
        os.close(leader)
    seen = b"".join(chunks).decode("utf-8", "replace")
    assert p.returncode == 0
    assert "sample-r7.plan.pdf: ページ 3/3 · 残り 0:00" in seen and "x.json を書き出しました" in seen
    assert Path(tmp_path / "x.json").exists()
