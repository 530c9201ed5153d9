"""Ground truth to print: the content files, plan/1 and pair/1 JSON, and render jobs.

A *job* is one PDF to print: a ground truth in one layout.  A ``*.plan.json``
truth prints as ``plan`` and ``fieldtable``, a ``*.slides.json`` truth as
``slides`` and a ``*.pair.json`` truth as ``sidebyside``; each producer
prints the jobs of the layouts it can draw.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1]
KINDS = {"B": "bullet", "NUM": "numbered", "K": "kpi", "T": "tag", "N": "note", "P": "paragraph"}
LAYOUTS = ("plan", "fieldtable", "sidebyside", "slides")
#: which layouts a truth file prints in, by the kind in its name
LAYOUTS_OF = {"plan": ("plan", "fieldtable"), "slides": ("slides",), "pair": ("sidebyside",)}
MARKERS = ("【新設】", "（削除）")
#: the bundled fictional truths every producer prints (``python -m samples.render`` without ``--truth``)
SAMPLE_TRUTHS = (
    "sample-r7.plan.json",
    "sample-r6.plan.json",
    "sample-r5.plan.json",
    "sample-hq-r7.plan.json",
    "sample-r7-vs-r6.pair.json",
    "sample-slides-r7.slides.json",
    "sample-deck-r7.slides.json",
)


@dataclass(frozen=True)
class Job:
    """One PDF to print: ``blocks`` for a plan, field table or deck; ``labels`` and ``rows`` for a side-by-side table."""

    ident: str
    layout: str
    title: str
    org: str
    truth: Path
    blocks: list[dict] = field(default_factory=list)
    labels: tuple[str, str] = ("", "")
    rows: list[dict] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.ident}.{self.layout}.pdf"


def truth_kind(path: Path) -> str:
    """``plan``, ``slides`` or ``pair``: the second-to-last part of the truth's file name."""
    parts = path.name.split(".")
    kind = parts[-2] if len(parts) >= 3 else ""
    if kind not in LAYOUTS_OF:
        raise ValueError(f"{path}: not a truth file name (want NAME.plan.json, NAME.slides.json or NAME.pair.json)")
    return kind


def jobs_of(path: Path) -> list[Job]:
    """Every job a truth file prints, one per layout."""
    kind = truth_kind(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    ident = path.name.split(".")[0]
    if kind == "pair":
        labels = (data["left"]["label"], data["right"]["label"])
        return [Job(ident, "sidebyside", data["title"], data["left"].get("org", ""), path, labels=labels, rows=data["rows"])]
    return [Job(ident, layout, data["title"], data.get("org", ""), path, blocks=data["blocks"]) for layout in LAYOUTS_OF[kind]]


def side_truth(pair: dict, side: str) -> dict:
    """One column of a pair/1 truth as a plan/1 truth: its blocks in row order, without the 【新設】/（削除） markers."""
    blocks = [b for row in pair["rows"] for b in row[side] if not (b["kind"] == "tag" and b["text"] in MARKERS)]
    return {"schema": "plan/1", "id": pair[side]["id"], "title": pair["title"], "blocks": blocks}


def truths_for(job: Job) -> list[dict]:
    """The plan/1 truths a PDF of ``job`` is scored against, one per document it prints (two for a side-by-side table)."""
    data = json.loads(job.truth.read_text(encoding="utf-8"))
    if job.layout == "sidebyside":
        return [side_truth(data, "left"), side_truth(data, "right")]
    return [data]


def heading_levels(blocks: list[dict]) -> list[int]:
    """The level of the heading each block sits under (0 before the first heading): body items are indented by it."""
    out: list[int] = []
    level = 0
    for b in blocks:
        if b["kind"] == "heading":
            level = b["level"]
        out.append(level)
    return out


def slides_of(blocks: list[dict]) -> list[list[dict]]:
    """A deck's blocks cut into slides: every numbered heading (a slide title) starts one; unnumbered headings are label boxes."""
    slides: list[list[dict]] = []
    for b in blocks:
        if (b["kind"] == "heading" and b.get("label")) or not slides:
            slides.append([])
        slides[-1].append(b)
    return slides


def areas_of(blocks: list[dict]) -> list[tuple[str, list[dict]]]:
    """A field table's rows: each level-1 heading (label and text) as the area name, and the blocks under it; blocks before the first
    heading stand in a row with an empty area."""
    areas: list[tuple[str, list[dict]]] = [("", [])]
    for b in blocks:
        if b["kind"] == "heading" and b["level"] == 1:
            areas.append((b.get("label", "") + b["text"], []))
        else:
            areas[-1][1].append(b)
    return areas if areas[0][1] else areas[1:]


# -- content files ---------------------------------------------------------


def parse_content(path: Path) -> tuple[str, list[dict], list[str]]:
    """(title, plan/1 blocks, pairing keys) from a content file (format: ``samples/render/__init__.py``)."""
    title = ""
    blocks: list[dict] = []
    keys: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        if raw.startswith("#"):
            title = title or raw.lstrip("# ").split(" (")[0]
            continue
        kind, rest = raw.split(" ", 1)
        if kind == "TABLE":
            rows = [r.split("|") for r in rest.split(";")]
            blocks.append({"kind": "table", "rows": rows})
            keys.append("table:" + rows[0][0])
            continue
        label, text = rest.split("|", 1)
        m = re.search(r" #(\w+)$", text)
        key = m.group(1) if m else ""
        text = text[: m.start()] if m else text
        if kind.startswith("H"):
            blocks.append({"kind": "heading", "level": int(kind[1]), "label": label, "text": text})
        elif kind == "T":
            blocks.append({"kind": "tag", "text": text})
        else:
            blocks.append({"kind": KINDS[kind], "label": label, "text": text})
        keys.append(key or f"{kind}:{label}{text}")
    return title, blocks, keys


def plan_json(ident: str, title: str, org: str, year: str, blocks: list[dict]) -> dict:
    return {
        "schema": "plan/1",
        "id": ident,
        "title": title,
        "org": org,
        "fiscal_year": year,
        "source": f"content_{ident}.txt",
        "blocks": blocks,
    }


def pair_rows(new: list[dict], new_keys: list[str], old: list[dict], old_keys: list[str]) -> list[dict]:
    """Rows a person would draw: same key side by side, the rest against a marker."""
    rows: list[dict] = []
    sm = SequenceMatcher(a=old_keys, b=new_keys, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            rows += [{"left": [new[j1 + k]], "right": [old[i1 + k]]} for k in range(i2 - i1)]
            continue
        rows += [{"left": [{"kind": "tag", "text": "（削除）"}], "right": [old[i]]} for i in range(i1, i2)]
        rows += [{"left": [new[j]], "right": [{"kind": "tag", "text": "【新設】"}]} for j in range(j1, j2)]
    return rows


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_sample_truths() -> list[Path]:
    """Regenerate the bundled truths (``samples/*.json``) from the content files; returns them."""
    docs = {}
    out: list[Path] = []
    for ident, org, year in (
        ("sample-r7", "サンプル支部", "令和７年度"),
        ("sample-r6", "サンプル支部", "令和６年度"),
        ("sample-r5", "サンプル支部", "令和５年度"),
        ("sample-hq-r7", "本部", "令和７年度"),
    ):
        src = SAMPLES / f"content_{ident.removeprefix('sample-').replace('-', '_')}.txt"
        title, blocks, keys = parse_content(src)
        docs[ident] = (title, blocks, keys)
        truth = plan_json(ident, title, org, year, blocks)
        truth["source"] = src.name
        out.append(SAMPLES / f"{ident}.plan.json")
        write_json(out[-1], truth)
    for ident, src_name in (("sample-slides-r7", "content_slides_r7.txt"), ("sample-deck-r7", "content_deck_r7.txt")):
        title, blocks, _ = parse_content(SAMPLES / src_name)
        truth = plan_json(ident, title, "サンプル支部", "令和７年度", blocks)
        truth["source"] = src_name
        out.append(SAMPLES / f"{ident}.slides.json")
        write_json(out[-1], truth)
    new, old = docs["sample-r7"], docs["sample-r6"]
    labels = ("令和７年度（新）", "令和６年度（旧）")
    pair = {
        "schema": "pair/1",
        "id": "sample-r7-vs-r6",
        "title": "令和７年度 サンプル支部事業計画 新旧対照表",
        "left": {"id": "sample-r7", "label": labels[0], "org": "サンプル支部", "fiscal_year": "令和７年度"},
        "right": {"id": "sample-r6", "label": labels[1], "org": "サンプル支部", "fiscal_year": "令和６年度"},
        "source": "content_r7.txt, content_r6.txt",
        "rows": pair_rows(new[1], new[2], old[1], old[2]),
    }
    out.append(SAMPLES / "sample-r7-vs-r6.pair.json")
    write_json(out[-1], pair)
    return out
