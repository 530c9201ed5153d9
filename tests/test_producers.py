"""The fictional samples printed by every producer (samples/producers/), read by plandiff and scored against their truth.

The prints are committed, so reading them needs no LibreOffice or Chromium;
``python -m samples.render`` regenerates them.  A print that misses a target
today because of an extraction bug is marked ``xfail(strict=True)`` with what
was measured: the mark has to go when the extractors are fixed.
"""

from __future__ import annotations

import json

import accuracy
import pytest
from conftest import SAMPLES

from extractors import ExtractConfig
from pipeline import api
from pipeline.model import normalize_text
from samples.render.printing import render_job
from samples.render.registry import PRODUCERS
from samples.render.truth import SAMPLE_TRUTHS, Job, jobs_of

PRINTS = SAMPLES / "producers"
CASES = [(p.name, job) for p in PRODUCERS.values() for t in SAMPLE_TRUTHS for job in jobs_of(SAMPLES / t) if job.layout in p.layouts]

#: prints that miss a target because of an extraction bug, measured with the extractors of this commit
KNOWN: dict[tuple[str, str], str] = {}  # (producer, print): why it is still read wrong, as a strict xfail


def cases():  # type: ignore[no-untyped-def]
    for name, job in CASES:
        reason = KNOWN.get((name, job.name))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        yield pytest.param(name, job, id=f"{name}/{job.name}", marks=marks)


def test_every_producer_printed_every_sample_it_can():
    want = {f"{name}/{job.name}" for name, job in CASES}
    have = {f"{p.parent.name}/{p.name}" for p in PRINTS.glob("*/*.pdf")}
    assert have == want, "run: python -m samples.render --producer all"


@pytest.mark.parametrize(("producer", "job"), list(cases()))
def test_print_meets_the_extraction_targets(producer, job, scorer):
    _, results = accuracy.score_print(scorer, job, PRINTS / producer / job.name, ExtractConfig())
    targets = accuracy.SLIDE_TARGETS if job.layout == "slides" else accuracy.FILE_TARGETS
    for doc, res in enumerate(results):
        for metric, target in targets.items():
            assert (res.get(metric) or 0.0) >= target, (doc, metric, res)


TINY = [
    {"kind": "heading", "level": 1, "label": "１．", "text": "窓口サービスの充実"},
    {"kind": "bullet", "label": "・", "text": "申請書の記入例を窓口とホームページで案内する。"},
    {"kind": "kpi", "label": "■ KPI：", "text": "郵送による申請の割合を９６．５％以上とする"},
    {"kind": "table", "rows": [["取組名", "予算額"], ["記入例の作成", "320千円"]]},
]


@pytest.mark.parametrize("producer", list(PRODUCERS.values()), ids=list(PRODUCERS))
def test_producer_prints_a_truth_that_plandiff_reads(producer, tmp_path):
    if producer.missing():
        pytest.skip(producer.missing())
    truth = tmp_path / "tiny.plan.json"
    truth.write_text(json.dumps({"schema": "plan/1", "title": "印刷試験", "blocks": TINY}, ensure_ascii=False), encoding="utf-8")
    layout = "plan" if "plan" in producer.layouts else "slides"
    job = Job("tiny", layout, "印刷試験", "試験支部", truth, blocks=TINY)
    out = tmp_path / job.name
    render_job(producer, job, out)
    blocks = api.extract(out).documents[0].blocks
    text = "".join(b.label + b.text + "".join(c for r in b.rows for c in r) for b in blocks)
    printed = ("窓口サービスの充実", "申請書の記入例を窓口とホームページで案内する。", "９６．５％以上とする", "記入例の作成", "320千円")
    for words in printed:
        assert words in text


def _squeeze(text: str) -> str:
    return "".join(normalize_text(text).split())


@pytest.mark.parametrize("deck", ["sample-deck-r7.slides.pdf", "sample-slides-r7.slides.pdf"])
def test_a_slide_deck_reads_the_same_from_every_producer(deck):
    """PowerPoint-style shapes (Impress), browser boxes (Chromium, QtWebKit), Typst, reportlab, re-prints: one deck, one reading."""
    readings = {}
    for pdf in sorted(PRINTS.glob(f"*/{deck}")):
        doc = api.extract(pdf).documents[0]
        # spacing is the producer's (■ KPI： / ■KPI：), and so is which code point a shared glyph is mapped back to
        # (cairo re-encodes IPAex's ～ as 〜); the rest is the reading
        readings[pdf.parent.name] = [
            (b.kind, b.level, _squeeze(b.label), _squeeze(b.text), [[_squeeze(c) for c in r] for r in b.rows]) for b in doc.blocks
        ]
    assert len(readings) >= 2
    first, *rest = readings.items()
    for name, blocks in rest:
        assert blocks == first[1], f"{name} differs from {first[0]}"
