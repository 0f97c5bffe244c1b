"""The PDF: its text, paper, marks, the locked fetcher and the cache."""

import io
import re

import pytest
from pypdf import PdfReader
from weasyprint.urls import URLFetcher

from aip.models import Plan, Strategy, utcnow
from aip.models.plans import APPROVED, SUBMITTED
from aip.reports import pdf as pdf_module
from aip.reports.pdf import FetchRejected, StaticFetcher
from tests.conftest import create_filled_plan


@pytest.fixture(autouse=True)
def pdf_cache(app, tmp_path):
    """Keep each test's cached PDFs in its own folder."""
    app.config["PDF_CACHE_DIR"] = str(tmp_path / "pdf-cache")
    return tmp_path / "pdf-cache"


def get_pdf(client, plan, **params):
    response = client.get(f"/plans/{plan.id}/plan.pdf", query_string=params)
    assert response.status_code == 200, response.data[:300]
    return response, PdfReader(io.BytesIO(response.data))


def page_texts(reader):
    return [page.extract_text() for page in reader.pages]


def whole_text(reader):
    return " ".join(" ".join(page_texts(reader)).split())


def test_pdf_contains_the_plan(client, auth, users, filled_plan):
    Plan.update(status=SUBMITTED).execute()
    auth.login(users["belen_high"])

    response, reader = get_pdf(client, filled_plan)

    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="AIP-BELEN-HIGH-2026-27.pdf"')
    text = whole_text(reader)
    assert "BELEN HIGH" in text
    assert "Kristin Garcia" in text
    assert "kgarcia@belen.k12.nm.us" in text
    assert "Tier 2 strategy 1" in text
    assert "Coordinate with local clinics, step 2" in text
    assert "25.0%" in text
    assert "synthetic demo data" in text.lower()


def test_pdf_marks_every_page_draft(client, auth, users, filled_plan):
    Plan.update(status=SUBMITTED).execute()
    auth.login(users["belen_high"])

    _, reader = get_pdf(client, filled_plan)

    texts = page_texts(reader)
    assert len(texts) > 1
    for number, text in enumerate(texts, start=1):
        footer = " ".join(text.split())
        assert "DRAFT" in text, f"page {number}"
        assert f"Page {number} of {len(texts)}" in footer
        assert "Attendance Improvement Plan — BELEN HIGH" in footer


def test_pdf_prints_mountain_time(client, auth, users, filled_plan):
    auth.login(users["belen_high"])

    _, reader = get_pdf(client, filled_plan)

    assert re.search(r"Printed \w+ \d+, \d{4} \d+:\d\d [AP]M M[SD]T",
                     whole_text(reader))


def test_approved_pdf_has_no_draft(client, auth, users, filled_plan):
    Plan.update(status=APPROVED, approved_at=utcnow()).execute()
    auth.login(users["belen_high"])

    _, reader = get_pdf(client, filled_plan)

    assert "DRAFT" not in whole_text(reader)
    assert "Status: Approved" in whole_text(reader)


def test_pdf_pages_are_us_letter(client, auth, users, filled_plan):
    auth.login(users["belen_high"])

    _, reader = get_pdf(client, filled_plan)

    for page in reader.pages:
        assert (float(page.mediabox.width),
                float(page.mediabox.height)) == (612, 792)


def test_real_figures_have_no_synthetic_label(client, auth, users, orgs):
    plan = create_filled_plan(orgs["belen_high"], synthetic=False)
    auth.login(users["belen_high"])

    _, reader = get_pdf(client, plan)

    assert "synthetic" not in whole_text(reader).lower()


def test_custom_report_has_only_its_sections(client, auth, users,
                                             filled_plan):
    auth.login(users["belen_high"])

    _, reader = get_pdf(client, filled_plan, report="custom",
                        sections="tiers")

    text = whole_text(reader)
    assert "Tier 4 strategy 2" in text
    assert "Kristin Garcia" not in text
    assert "Table A" not in text


def test_district_coordinator_prints_school_plan(client, auth, users,
                                                 filled_plan):
    auth.login(users["belen_district"])

    _, reader = get_pdf(client, filled_plan)

    assert "BELEN HIGH" in whole_text(reader)


@pytest.fixture
def fetcher(app):
    with app.test_request_context():
        yield pdf_module.static_fetcher()


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/x",
    "https://example.com/style.css",
    "file:///etc/passwd",
    "ftp://127.0.0.1/file",
    "https://aip.invalid/../etc/passwd",
    "https://aip.invalid/static/../config.py",
    "https://aip.invalid/static/%2e%2e/config.py",
    "https://aip.invalid/static/..%2f__init__.py",
    "https://aip.invalid/plans/1/print",
    "https://aip.invalid.example.com/static/print.css",
    "https://aip.invalid/static/missing.css",
])
def test_fetcher_rejects_url(fetcher, url):
    with pytest.raises(FetchRejected):
        fetcher(url)


def test_fetcher_serves_static_file(app, fetcher):
    response = fetcher("https://aip.invalid/static/print.css")

    assert response.content_type == "text/css"
    with open(f"{app.static_folder}/print.css", "rb") as file:
        assert response.read() == file.read()


def test_fetcher_serves_data_url(fetcher):
    response = fetcher("data:text/plain;base64,QUlQ")

    assert response.read() == b"AIP"


def test_fetcher_is_a_weasyprint_url_fetcher(fetcher):
    assert isinstance(fetcher, StaticFetcher)
    assert isinstance(fetcher, URLFetcher)


def test_rejected_resources_are_skipped(app, caplog):
    html = ('<link rel="stylesheet" href="file:///etc/passwd">'
            '<img src="http://127.0.0.1:9/x" alt="remote">'
            '<img src="/static/../../config.py" alt="outside">'
            '<p>Still rendered</p>')

    with app.test_request_context(), caplog.at_level("ERROR", "weasyprint"):
        data = pdf_module.write_pdf(html)

    assert "Still rendered" in whole_text(PdfReader(io.BytesIO(data)))
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "file:///etc/passwd" in logged
    assert "http://127.0.0.1:9/x" in logged
    assert "FetchRejected" in logged


def test_markup_in_plan_is_not_fetched(client, auth, users, filled_plan,
                                       monkeypatch):
    Strategy.update(name='<img src="http://127.0.0.1:9/x">').execute()
    fetched = []
    original = StaticFetcher.fetch

    def record(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticFetcher, "fetch", record)
    auth.login(users["belen_high"])

    _, reader = get_pdf(client, filled_plan)

    assert '<img src="http://127.0.0.1:9/x">' in whole_text(reader)
    assert fetched == ["https://aip.invalid/static/print.css"]


@pytest.fixture
def render_count(monkeypatch):
    calls = []
    original = pdf_module.write_pdf

    def counting(html):
        calls.append(html)
        return original(html)

    monkeypatch.setattr(pdf_module, "write_pdf", counting)
    return calls


def test_unchanged_plan_served_from_cache(client, auth, users, filled_plan,
                                          render_count, pdf_cache):
    auth.login(users["belen_high"])

    first, _ = get_pdf(client, filled_plan)
    second, _ = get_pdf(client, filled_plan)

    assert len(render_count) == 1
    assert second.data == first.data
    assert len(list(pdf_cache.glob(f"plan-{filled_plan.id}-*.pdf"))) == 1


def test_edit_invalidates_cache(client, auth, users, filled_plan,
                                render_count):
    auth.login(users["belen_high"])
    get_pdf(client, filled_plan)

    Strategy.update(name="Morning check-in").where(
        Strategy.tier == 1).execute()
    _, reader = get_pdf(client, filled_plan)

    assert len(render_count) == 2
    assert "Morning check-in" in whole_text(reader)


def test_status_change_invalidates_cache(client, auth, users, filled_plan,
                                         render_count):
    auth.login(users["belen_high"])
    get_pdf(client, filled_plan)

    Plan.update(status=APPROVED, approved_at=utcnow()).execute()
    _, reader = get_pdf(client, filled_plan)

    assert len(render_count) == 2
    assert "DRAFT" not in whole_text(reader)


def test_sections_have_their_own_cache_entry(client, auth, users,
                                             filled_plan, render_count):
    auth.login(users["belen_high"])

    get_pdf(client, filled_plan)
    get_pdf(client, filled_plan, sections="tiers")
    get_pdf(client, filled_plan, sections="tiers")

    assert len(render_count) == 2
