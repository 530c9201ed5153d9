"""A comparison as a Markdown change list."""

from __future__ import annotations

from pipeline.model import Block, CompareRow, Comparison

from .mdtext import md_escape
from .view import WORDING, ReportConfig


def _show(b: Block | None) -> str:
    if b is None:
        return ""
    if b.kind == "table":
        return md_escape(" / ".join("|".join(r) for r in b.rows))
    return md_escape(f"{b.label}{b.text}".replace("\n", " "))


def _diff(row: CompareRow) -> str:
    """Deleted words as ~~strike~~, inserted ones as **bold**."""
    out = []
    for c in row.changes:
        if c.op == "equal":
            out.append(md_escape(c.new))
        else:
            if c.old.strip():
                out.append(f"~~{md_escape(c.old.strip())}~~")
            if c.new.strip():
                out.append(f"**{md_escape(c.new.strip())}**")
    return "".join(out).replace("\n", " / ")


def comparison_markdown(comparison: Comparison, config: ReportConfig | None = None, *, include_unchanged: bool = False) -> str:
    """Counts per status, then every row that is not unchanged (all rows with ``include_unchanged``)."""
    c = comparison
    w = WORDING[c.kind]
    mark = {**w.status_ja, "unchanged": "＝"}
    new, old = f"- {w.new_role}:", f"- {w.old_role}:"
    lines = [
        f"# 比較: {md_escape(c.new.label or c.new_source)} ← {md_escape(c.old.label or c.old_source)}",
        "",
        f"{new} {md_escape(c.new_source)} {md_escape(c.new.title)}".rstrip(),
        f"{old} {md_escape(c.old_source)} {md_escape(c.old.title)}".rstrip(),
        "- " + "、".join(f"{w.status_ja[k]} {v}" for k, v in c.summary.items()),
        "",
    ]
    for r in c.rows:
        if r.status == "unchanged" and not include_unchanged:
            continue
        flags = [f for f, on in (("番号変更", r.renumbered), ("表記の違いのみ", r.notation_only)) if on]
        head = f"## [{mark[r.status]}] {_show(r.new or r.old)[:60]}"
        lines += [head, ""]
        if r.status in ("changed", "moved") and r.changes:
            lines += [f"{new} {_show(r.new)}", f"{old} {_show(r.old)}", f"- 差分: {_diff(r)}"]
        elif r.status == "added":
            lines += [f"{new} {_show(r.new)}"]
        elif r.status == "deleted":
            lines += [f"{old} {_show(r.old)}"]
        else:
            lines += [f"- {_show(r.new)}"]
        if r.numbers:
            lines.append("- 数値: " + "、".join(f"{md_escape(n.old)} → {md_escape(n.new)}" for n in r.numbers))
        if flags or r.status == "moved":
            lines.append("- " + "; ".join([*flags, md_escape(r.reason)] if r.status == "moved" else flags))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
