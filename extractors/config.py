"""Settings of the extraction stage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pipeline.exceptions import ConfigError
from pipeline.i18n import N_

LayoutChoice = Literal["auto", "plan", "fieldtable", "sidebyside", "slides"]
OcrChoice = Literal["auto", "off", "force"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtractConfig:
    """How a PDF is read.  Immutable; build a new one with ``dataclasses.replace``.

    layout: ``"auto"`` detects it; otherwise forces one of the four layouts.
    max_pages: refuse larger PDFs (``None``: no limit).
    header_margin: share of the page height at top and bottom searched for
        running headers, footers and page numbers.
    heading_size_delta: points above the body size that make a line a heading
        even when its font is not bold.
    source: the character source, ``"pdfium"`` (pypdfium2, fast) or
        ``"pdfplumber"`` (pdfminer.six, the slower reference reader).
    time_budget: seconds one file may take (``None``: no limit); a real
        plan takes well under a second per page.
    max_page_objects, max_form_depth, max_decompressed: what one page may
        hold — objects drawn (form XObjects expanded), form XObjects inside
        each other, bytes of content when decompressed.  A real plan page
        draws a few thousand objects from well under a megabyte; the
        defaults refuse only files built to exhaust the reader.
    ocr: ``"auto"`` reads the pages with no text layer or a garbled one from
        their image (Tesseract, ``pip install 'plandiff[ocr]'``); ``"off"``
        leaves them out; ``"force"`` reads every page from its image.
    ocr_dpi: the resolution pages are rendered at for OCR.
    ocr_lang: Tesseract's language model(s), e.g. ``"jpn"`` or ``"jpn+eng"``.
    strict: refuse the whole PDF when any page is not sound (garbled,
        images only, vertical) instead of warning and reading the rest.
    """

    layout: LayoutChoice = "auto"
    max_pages: int | None = 2000
    header_margin: float = 0.08
    heading_size_delta: float = 0.75
    source: Literal["pdfium", "pdfplumber"] = "pdfium"
    time_budget: float | None = 600.0
    max_page_objects: int = 2_000_000
    max_form_depth: int = 32
    max_decompressed: int = 64 << 20
    ocr: OcrChoice = "auto"
    ocr_dpi: int = 300
    ocr_lang: str = "jpn"
    strict: bool = False

    def __post_init__(self) -> None:
        if self.layout not in ("auto", "plan", "fieldtable", "sidebyside", "slides"):
            raise ConfigError("layout", self.layout, N_("must be auto, plan, fieldtable, sidebyside or slides"))
        if self.max_pages is not None and self.max_pages < 1:
            raise ConfigError("max_pages", self.max_pages, N_("must be at least 1"))
        if self.source not in ("pdfium", "pdfplumber"):
            raise ConfigError("source", self.source, N_("must be pdfium or pdfplumber"))
        for name in ("max_page_objects", "max_form_depth", "max_decompressed"):
            if getattr(self, name) < 1:
                raise ConfigError(name, getattr(self, name), N_("must be at least 1"))
        if self.time_budget is not None and self.time_budget <= 0:
            raise ConfigError("time_budget", self.time_budget, N_("must be positive or None"))
        if self.ocr not in ("auto", "off", "force"):
            raise ConfigError("ocr", self.ocr, N_("must be auto, off or force"))
        if not 72 <= self.ocr_dpi <= 1200:
            raise ConfigError("ocr_dpi", self.ocr_dpi, N_("must be from 72 to 1200"))
        if not 0 <= self.header_margin < 0.5:
            raise ConfigError("header_margin", self.header_margin, N_("must be from 0 to less than 0.5"))
