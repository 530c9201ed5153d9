"""Print the same ground truth with several independent PDF producers.

    python -m samples.render --list
    python -m samples.render --producer all --out samples/producers

``registry.PRODUCERS`` lists the producers (reportlab, docx, chromium,
typst, impress): what each needs installed, which layouts it can print, and
the module that prints a job (``render(job, out)``).  The truths are plan/1
and pair/1 JSON (``truth.py``); the bundled fictional ones are made from the
content files ``samples/content_*.txt``, one block a line::

    KIND label|text #key

KIND is H1..H4 (heading level), B (bullet), NUM (numbered), K (KPI), T (tag),
N (note), P (paragraph), or ``TABLE a|b;c|d`` (rows split by ``;``).  The
optional ``#key`` says which items of two years are the same item, for the
side-by-side sample's ground truth.  In a deck (``*.slides.json``) every
numbered heading is a slide's title and the unnumbered headings under it are
its label boxes (「令和７年度KPI」).
"""
