"""``plandiff serve`` driven by a real browser: Debian's chromium and chromedriver through Selenium."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import openpyxl
import pytest
from conftest import DATA, SAMPLES
from serving import Server, english_env

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver") or "/usr/bin/chromedriver"
pytestmark = pytest.mark.skipif(CHROMIUM is None or not Path(DRIVER).exists(), reason="chromium and chromium-driver are not installed")
R6, R7, HQ = SAMPLES / "sample-r6.plan.pdf", SAMPLES / "sample-r7.plan.pdf", SAMPLES / "sample-hq-r7.plan.pdf"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("browser") / "data", root=SAMPLES).start()
    yield s
    s.stop()
    assert "Traceback" not in s.log.read_text()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory, downloads):
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        "--window-size=1400,1000",
    ):
        opts.add_argument(flag)
    opts.add_experimental_option("prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False})
    # a driver path: Selenium Manager stays idle; a UTF-8 locale that exists (LANG=ja_JP.UTF-8 without that
    # locale installed makes Chromium save a download named in Japanese as "download")
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER, env=english_env()), options=opts)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    yield driver
    driver.quit()


def wait(driver, timeout: float = 60) -> WebDriverWait:
    return WebDriverWait(driver, timeout)


def submit_pair(driver, old: Path | None, new: Path, **fields: str) -> None:
    """Choose the files on the 比較 page and press 比較する."""
    form = driver.find_element(By.ID, "compare-form")
    for name in ("old", "new", "sidebyside"):
        driver.execute_script("arguments[0].value = ''", form.find_element(By.NAME, name))
    if old is not None:
        form.find_element(By.NAME, "old").send_keys(str(old))
    form.find_element(By.NAME, "new").send_keys(str(new))
    title = form.find_element(By.NAME, "title")
    title.clear()
    if "title" in fields:
        title.send_keys(fields["title"])
    Select(form.find_element(By.NAME, "old_left")).select_by_visible_text(fields.get("order", "新｜旧"))
    form.find_element(By.ID, "submit").click()


def finished_card(driver, index: int = 0):
    """The job card (newest first) once its 対照表 is shown."""
    wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#jobs .job")) > index)
    card = driver.find_elements(By.CSS_SELECTOR, "#jobs .job")[index]
    wait(driver).until(lambda d: card.get_attribute("data-comparison") or card.find_element(By.CSS_SELECTOR, ".error").text)
    return card


def texts(driver, selector: str) -> list[str]:
    """The rendered text of every element a selector matches, in one round trip."""
    return list(driver.execute_script("return Array.from(document.querySelectorAll(arguments[0]), e => e.innerText)", selector))


def in_report(driver, card):
    """Switch into the card's report frame and wait for its table."""
    frame = card.find_element(By.CSS_SELECTOR, "iframe.report")
    driver.switch_to.frame(frame)
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.taisho tbody tr")))


@pytest.fixture(scope="module")
def first(server, browser):
    browser.get(server.url + "/")
    submit_pair(browser, R6, R7)
    card = finished_card(browser)
    assert card.get_attribute("data-comparison"), card.text
    return card.get_attribute("data-comparison")


def test_two_plans_dropped_give_the_table_with_markers_and_underlines(server, browser, first):
    card = browser.find_element(By.CSS_SELECTOR, f'#jobs .job[data-comparison="{first}"]')
    assert card.find_element(By.CSS_SELECTOR, ".stage").text == "完了"
    wait(browser).until(lambda d: d.find_elements(By.CSS_SELECTOR, f'#recent a[href="/comparisons/{first}"]'))  # listed without a reload
    assert card.find_element(By.TAG_NAME, "progress").get_attribute("value") == "1"
    in_report(browser, card)
    try:
        headers = texts(browser, "table.taisho thead th")
        assert headers[0] == "新（令和７年度）" and headers[-1] == "備考"
        cells = texts(browser, "table.taisho td")
        assert "【新設】" in cells and "（削除）" in cells
        assert any("９５．８％ → ９６．５％" in c for c in cells)
        ins = browser.find_elements(By.CSS_SELECTOR, "table.taisho u.ins")
        assert ins and "underline" in ins[0].value_of_css_property("text-decoration")
        assert "９６．５" in " ".join(i.text for i in ins)
        same = browser.find_elements(By.CSS_SELECTOR, "tbody.run-same")[0]
        assert same.is_displayed()
        browser.find_element(By.ID, "changes-only").click()  # the report's own switch works in the page
        assert not same.is_displayed()
        assert browser.find_element(By.CSS_SELECTOR, "tbody.omitted").is_displayed()
    finally:
        browser.switch_to.default_content()


def test_the_excel_download_opens_in_openpyxl(browser, first, downloads):
    card = browser.find_element(By.CSS_SELECTOR, f'#jobs .job[data-comparison="{first}"]')
    card.find_element(By.CSS_SELECTOR, 'a.download[data-format="xlsx"]').click()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not list(downloads.glob("*.xlsx")):
        time.sleep(0.1)
    got = list(downloads.glob("*.xlsx"))
    assert len(got) == 1, sorted(p.name for p in downloads.iterdir())
    (path,) = got
    sheet = openpyxl.load_workbook(path).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any("９６．５％" in v for v in values)
    assert sheet.freeze_panes == "A2" and sheet.max_row > 50  # the reviewers' sheet: one row per item under a frozen header


def test_a_file_that_is_not_a_pdf_shows_the_reason(server, browser):
    browser.get(server.url + "/")
    submit_pair(browser, DATA / "bad" / "not-a-pdf.pdf", R7)
    error = browser.find_element(By.ID, "form-error")
    wait(browser).until(lambda d: error.text)
    assert error.text.startswith("not-a-pdf.pdf: PDFファイルではありません")
    assert not browser.find_elements(By.CSS_SELECTOR, "#jobs .job")


def test_two_comparisons_at_once_each_get_their_table(server, browser):
    browser.get(server.url + "/")
    submit_pair(browser, HQ, R7, title="本部との比較")
    submit_pair(browser, R7, R6, title="逆向きの比較", order="旧｜新")
    wait(browser).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#jobs .job")) == 2)
    titles, first_column = {}, {}
    for i in range(2):
        card = finished_card(browser, i)
        names = card.find_element(By.CSS_SELECTOR, ".job-title").text
        in_report(browser, card)
        try:
            titles[names] = browser.find_element(By.TAG_NAME, "h1").text
            first_column[names] = texts(browser, "table.taisho thead th")[0]
        finally:
            browser.switch_to.default_content()
    assert first_column == {  # 列の順: 新｜旧 by default (HQ → branch: 支部 | 本部), 旧｜新 when chosen
        "sample-hq-r7.plan.pdf → sample-r7.plan.pdf": "サンプル支部（令和７年度）",
        "sample-r7.plan.pdf → sample-r6.plan.pdf": "旧（令和７年度）",
    }
    assert titles == {
        "sample-hq-r7.plan.pdf → sample-r7.plan.pdf": "本部との比較",
        "sample-r7.plan.pdf → sample-r6.plan.pdf": "逆向きの比較",
    }


def test_after_a_restart_the_history_reopens(server, browser, first):
    server.stop()
    server.start()
    browser.get(server.url + "/")
    links = {a.text: a for a in browser.find_elements(By.CSS_SELECTOR, "#recent a")}
    assert "sample-r6.plan.pdf → sample-r7.plan.pdf" in links
    links["sample-r6.plan.pdf → sample-r7.plan.pdf"].click()
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "iframe.report")))
    browser.switch_to.frame(browser.find_element(By.CSS_SELECTOR, "iframe.report"))
    try:
        wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.taisho")))
        assert "（削除）" in browser.find_element(By.CSS_SELECTOR, "table.taisho").text
    finally:
        browser.switch_to.default_content()


def test_search_a_three_character_word_and_open_the_hit(server, browser, first):
    browser.get(server.url + "/search")
    box = browser.find_element(By.ID, "q")
    box.send_keys("評議会")
    box.submit()
    hits = wait(browser).until(lambda d: d.find_elements(By.CSS_SELECTOR, "li.found a"))
    assert all("評議会" in h.find_element(By.CSS_SELECTOR, ".text").text for h in hits)
    assert "サンプル支部" in hits[0].find_element(By.CSS_SELECTOR, ".meta").text
    text = hits[0].find_element(By.CSS_SELECTOR, ".text").text
    hits[0].click()
    item = wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".tree .hit")))
    assert text in item.text and item.is_displayed()
    assert browser.find_elements(By.CSS_SELECTOR, ".tree a.page")


def test_markup_in_a_pdf_is_shown_as_text(server, browser):
    browser.get(server.url + "/")
    submit_pair(browser, DATA / "markup-r6.plan.pdf", DATA / "markup-r7.plan.pdf")
    card = finished_card(browser)
    in_report(browser, card)
    try:
        text = browser.find_element(By.CSS_SELECTOR, "table.taisho").text
        assert "<script>alert(2)</script>を表示しない。" in text and "<b>広報</b>の強化" in text
        assert not browser.find_elements(By.CSS_SELECTOR, "table.taisho script, table.taisho b")
    finally:
        browser.switch_to.default_content()
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    browser.get(server.url + "/search?q=alert")
    hit = wait(browser).until(lambda d: d.find_elements(By.CSS_SELECTOR, "li.found .text"))[0]
    assert "<script>alert(" in hit.text
    hit.click()
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".tree .hit")))
    assert "<script>alert(" in browser.find_element(By.CSS_SELECTOR, ".tree .hit").text
    assert not browser.find_elements(By.CSS_SELECTOR, "main script")
