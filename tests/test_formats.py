"""The one registry of output formats, used by the CLI, the API and batch."""

from __future__ import annotations

import pytest
from conftest import SAMPLES

from pipeline import api, cli
from pipeline.batch import BatchConfig
from pipeline.exceptions import BinaryOutputError, ConfigError, FormatMismatchError, OutputError, UnknownFormatError
from reports import formats


@pytest.fixture(scope="module")
def comparison():
    return api.compare(SAMPLES / "sample-r6.plan.pdf", SAMPLES / "sample-r7.plan.pdf")


def test_every_registered_format_renders_as_its_entry_says(comparison):
    from pipeline import nway

    result = api.extract(SAMPLES / "sample-r7.plan.pdf")
    m, _ = nway.matrix(SAMPLES / "sample-hq-r7.plan.pdf", [SAMPLES / "sample-r7.plan.pdf"], jobs=1)
    h = nway.history([SAMPLES / "sample-r6.plan.pdf", SAMPLES / "sample-r7.plan.pdf"], jobs=1)
    subjects = {"extract": result, "compare": comparison, "matrix": m, "history": h}
    assert {f.subject for f in formats.FORMATS} == set(subjects)
    for f in formats.FORMATS:
        data = f.render(subjects[f.subject], timestamp=False)
        assert isinstance(data, bytes if f.binary or f.name == "csv" else str), f.name
        assert f.extension.startswith(".") and f.media_type
    assert formats.by_name("compare", "docx").media_type.endswith("wordprocessingml.document")


def test_an_unknown_format_is_an_error_not_json(comparison):
    result = api.extract(SAMPLES / "sample-r7.plan.pdf")
    with pytest.raises(UnknownFormatError, match=r"'html'.*json, md"):
        api.render_extract(result, "html")
    with pytest.raises(UnknownFormatError, match="'pdf'"):
        api.render_compare(comparison, "pdf")
    with pytest.raises(UnknownFormatError, match=r"x\.pdf"):
        formats.for_path("compare", "x.pdf")


def test_an_explicit_format_must_agree_with_the_extension():
    assert formats.for_path("compare", "report.htm").name == "html"
    assert formats.for_path("compare", "report.out", "html").name == "html"  # an extension no format claims
    with pytest.raises(FormatMismatchError, match=r"--format html, \.docx"):
        formats.for_path("compare", "b.docx", "html")
    with pytest.raises(BinaryOutputError):
        formats.for_stdout("compare", "xlsx", terminal=True)
    assert formats.for_stdout("compare", "xlsx", terminal=False).name == "xlsx"


def test_the_cli_and_batch_take_their_choices_from_the_registry():
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices
    fmt = {a.dest: a.choices for a in sub["compare"]._actions}
    assert list(fmt["format"]) == list(formats.names("compare"))
    assert list({a.dest: a.choices for a in sub["batch"]._actions}["report_format"]) == list(formats.names("compare"))
    with pytest.raises(ConfigError, match="--report-format pdf"):
        BatchConfig(formats=("pdf",))


def test_several_outputs_are_written_together_or_not_at_all(comparison, tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match=r"file/b\.docx"):
        api.write_compare(comparison, [tmp_path / "a.html", tmp_path / "file" / "b.docx"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
    api.write_compare(comparison, [tmp_path / "a.html", tmp_path / "b.docx", tmp_path / "c.json"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "b.docx", "c.json", "file"]
