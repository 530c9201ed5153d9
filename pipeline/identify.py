"""Which office, which fiscal year and which kind of document a plan is, from its own text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from diffing.era import reiwa_years

from .model import ExtractResult

PREFECTURES = [
    "北海道",
    "青森",
    "岩手",
    "宮城",
    "秋田",
    "山形",
    "福島",
    "茨城",
    "栃木",
    "群馬",
    "埼玉",
    "千葉",
    "東京",
    "神奈川",
    "新潟",
    "富山",
    "石川",
    "福井",
    "山梨",
    "長野",
    "岐阜",
    "静岡",
    "愛知",
    "三重",
    "滋賀",
    "京都",
    "大阪",
    "兵庫",
    "奈良",
    "和歌山",
    "鳥取",
    "島根",
    "岡山",
    "広島",
    "山口",
    "徳島",
    "香川",
    "愛媛",
    "高知",
    "福岡",
    "佐賀",
    "長崎",
    "熊本",
    "大分",
    "宮崎",
    "鹿児島",
    "沖縄",
]
_BRANCH = re.compile("(" + "|".join(sorted(PREFECTURES, key=len, reverse=True)) + ")支部")
_ANY_BRANCH = re.compile(r"([\u30A0-\u30FF\u4E00-\u9FFF]{2,6})支部")
_HQ = re.compile(r"本部|全国健康保険協会(?!.{0,6}支部)")


@dataclass(frozen=True, slots=True)
class Identity:
    """An office (本部 or a 支部), a fiscal year (令和N年度) and a kind; ``source`` says where the office was read."""

    org: str
    year: int | None  # the Reiwa year: 7 for 令和７年度
    kind: str  # plan, comparison or slides
    source: str = ""  # title, header row, text, path ("" when unknown)

    @property
    def fiscal_year(self) -> str:
        return f"令和{self.year}年度" if self.year else ""


#: words that are never part of an office's name (a title whose characters came out of order: 年度岩支部)
_NOT_A_NAME = ("年度", "令和", "計画", "事業", "対照", "比較", "資料")
_ASSOCIATION = re.compile(r"^(?:全国健康保険)?協会")


def find_org(text: str) -> str:
    """The office a text speaks for: a prefecture's 支部 first, else any 支部, else 本部.

    >>> find_org("令和７年度 全国健康保険協会神奈川支部"), find_org("令和７年度 本部事業計画"), find_org("サンプル支部 事業計画")
    ('神奈川支部', '本部', 'サンプル支部')
    >>> find_org("全国健康保険協会サンプル支部"), find_org("年度岩支部事業【案】")
    ('サンプル支部', '')
    """
    m = _BRANCH.search(text)
    if m:
        return m.group(0)
    for m in _ANY_BRANCH.finditer(text):
        name = _ASSOCIATION.sub("", m.group(1))
        if len(name) >= 2 and not any(w in name for w in _NOT_A_NAME):
            return f"{name}支部"
    return "本部" if _HQ.search(text) else ""


def find_years(text: str) -> list[int]:
    """Every Reiwa fiscal year named in a text, in order (2025（令和７）年度 counts once; R7年度, 令和元年 too).

    >>> find_years("2025（令和７）年度 事業計画（令和６年度との比較）")
    [7, 6]
    """
    return reiwa_years(text)


def org_from_path(path: str | PurePath) -> str:
    """The office a file's folders or name speak for: a prefecture's name (岩手 → 岩手支部), or 本部.

    >>> org_from_path("archive/岩手/R7/plan.pdf"), org_from_path("本部/R7/x.pdf"), org_from_path("misc/x.pdf")
    ('岩手支部', '本部', '')
    """
    for part in reversed(PurePath(path).parts):
        if found := find_org(part):
            return found
        for pref in sorted(PREFECTURES, key=len, reverse=True):
            if pref in part:
                return f"{pref}支部"
    return ""


def identify(result: ExtractResult, path: str | PurePath | None = None) -> Identity:
    """Office, year and kind of an extracted PDF.

    The office is read from the title, then the header row (a side-by-side
    table's column labels), then the first items of the text, then the
    file's path (its folders: 岩手/R7/…); ``source`` says which.  Running
    headers are dropped by extraction, so the first page's text stands in
    for them.
    """
    docs = result.documents
    title = " ".join(d.title for d in docs)
    labels = " ".join(d.label for d in docs)
    first = " ".join(b.text for d in docs[:1] for b in d.blocks[:8])
    org, source = "", ""
    for where, text in (("title", title), ("header row", labels), ("text", first), ("path", None)):
        org = find_org(text) if text is not None else org_from_path(path) if path is not None else ""
        if org:
            source = where
            break
    head = f"{title} {labels}"
    years = find_years(head) or find_years(first)
    kind = {"sidebyside": "comparison", "slides": "slides"}.get(result.layout, "plan")
    if "新旧対照表" in head or "対照表" in head:
        kind = "comparison"
    year = max(years) if years and kind == "comparison" else (years[0] if years else None)
    return Identity(org or "不明", year, kind, source)
