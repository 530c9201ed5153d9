"""Print truths with a producer into a directory, reusing PDFs newer than their truth."""

from __future__ import annotations

from pathlib import Path

from .registry import PRODUCERS, Producer
from .truth import SAMPLES, Job, jobs_of, write_sample_truths

#: the bundled samples (``samples/*.pdf``): the reportlab prints the tests were written against
BUNDLED = (
    "sample-r7.plan",
    "sample-r6.plan",
    "sample-r5.plan",
    "sample-hq-r7.plan",
    "sample-r7.fieldtable",
    "sample-r7-vs-r6.sidebyside",
    "sample-slides-r7.slides",
)


def render_job(producer: Producer, job: Job, out: Path) -> None:
    """One PDF, written whole or not at all."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.stem}.partial.pdf")
    producer.render(job, tmp)
    tmp.replace(out)


def render_all(producer: Producer, truths: list[Path], out_dir: Path, *, force: bool = False, only: str = "") -> list[tuple[Job, Path]]:
    """Every job of ``truths`` that ``producer`` can print (and whose PDF name holds ``only``), as ``out_dir/<id>.<layout>.pdf``."""
    done: list[tuple[Job, Path]] = []
    for truth in truths:
        for job in jobs_of(truth):
            if job.layout not in producer.layouts or only not in job.name:
                continue
            pdf = out_dir / job.name
            if force or not pdf.exists() or pdf.stat().st_mtime < truth.stat().st_mtime:
                render_job(producer, job, pdf)
            done.append((job, pdf))
    return done


def bundled() -> list[Path]:
    """``samples/*.json`` from the content files, then the bundled reportlab PDFs; returns what was written."""
    truths = write_sample_truths()
    wanted = set(BUNDLED)
    out = list(truths)
    for truth in truths:
        for job in jobs_of(truth):
            if f"{job.ident}.{job.layout}" in wanted:
                render_job(PRODUCERS["reportlab"], job, SAMPLES / job.name)
                out.append(SAMPLES / job.name)
    return out
