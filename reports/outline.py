"""An extracted plan as a readable Markdown outline."""

from __future__ import annotations

import re

from pipeline.model import Block, Document, ExtractResult
from pipeline.names import display_name

from .mdtext import md_escape


def _cell(text: str) -> str:
    return "<br>".join(md_escape(line) for line in text.split("\n"))


def block_markdown(b: Block) -> str:
    """One block as Markdown: headings keep their printed numbering."""
    label, text = md_escape(b.label), md_escape(b.text)
    if b.kind == "heading":
        return f"{'#' * min((b.level or 1) + 1, 6)} {label}{text}".rstrip()
    if b.kind == "table":
        if not b.rows:
            return ""
        width = max(len(r) for r in b.rows)
        rows = [list(r) + [""] * (width - len(r)) for r in b.rows]
        out = ["| " + " | ".join(_cell(c) for c in rows[0]) + " |", "|" + "---|" * width]
        out += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in rows[1:]]
        return "\n".join(out)
    if b.kind == "tag":
        return f"**{text}**"
    if b.kind == "kpi":
        return f"- **{label}** {text}" if label else f"  - {text}"
    if b.kind == "bullet":  # the list item is the bullet: "- ・ text" would print two
        return f"- {text}"
    if b.kind in ("numbered", "note"):
        return f"- {label} {text}".rstrip()
    return text


def document_markdown(doc: Document) -> str:
    parts = [f"# {md_escape(doc.title or doc.label or '(untitled)')}"]
    if doc.label and doc.title:
        parts.append(f"*{md_escape(doc.label)}*")
    parts += [block_markdown(b) for b in doc.blocks]
    return "\n\n".join(p for p in parts if p) + "\n"


def extract_markdown(result: ExtractResult) -> str:
    """The whole extraction: one outline per document."""
    # "--" escaped: no file name can close the comment ("-->") and put markup in the outline
    source = re.sub(r"-(?=-)", r"-\\", display_name(result.source))
    head = f"<!-- plandiff extract: {source}, {result.pages} pages, layout {result.layout} -->\n\n"
    return head + "\n".join(document_markdown(d) for d in result.documents)
