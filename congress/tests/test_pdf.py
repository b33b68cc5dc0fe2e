"""The PDF kernel: Chinese text survives, fonts are subset, and no address outside our static files is fetched."""

import pytest

from congress.lib import pdf
from tests.pdfs import read_pdf


def test_chinese_document_renders_small_with_its_glyphs():
    data = pdf.html_to_pdf(
        '<html><head><link rel="stylesheet" href="static:pdf/base.css"></head>'
        "<body><h1>区人大常委会年度工作报告</h1><p>听取审议工作报告四十六项。</p></body></html>"
    )
    assert data.startswith(b"%PDF-")
    document = read_pdf(data)
    # A CJK font was embedded as a subset (a "ABCDEF+" prefix), so the file is far below the 30 MB font.
    assert any("+Noto" in font and "CJK" in font for font in document.fonts), document.fonts
    assert len(data) < 200_000
    assert document.pages == 1
    assert "听取审议工作报告四十六项" in document.text


def test_page_count_follows_the_content():
    body = "".join(f"<p>第{i}段。</p>" for i in range(200))
    data = pdf.html_to_pdf(f'<html><head><link rel="stylesheet" href="static:pdf/base.css"></head><body>{body}</body></html>')
    document = read_pdf(data)
    assert document.pages > 3
    assert "第199段" in document.text


@pytest.mark.parametrize(
    "url",
    ["http://example.com/x.png", "file:///etc/passwd", "static:../congress/settings.py", "static:pdf/missing.css"],
)
def test_only_static_files_are_fetched(url):
    with pytest.raises(pdf.PdfFetchRefused):
        pdf._url_fetcher(url)


def test_static_files_are_fetched():
    result = pdf._url_fetcher("static:pdf/base.css")
    assert result.content_type == "text/css"
    assert b"Noto Serif CJK SC" in result.read()


def test_response_carries_the_chinese_file_name():
    response = pdf.pdf_response(b"%PDF-1.7", "交办函.pdf", inline=False)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E4%BA%A4%E5%8A%9E%E5%87%BD.pdf" in response["Content-Disposition"]
