"""The one renderer against a corpus of hostile Markdown."""

from html.parser import HTMLParser

import pytest

from articles.markdown import render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src="x.png" onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<iframe src="https://evil.example"></iframe>',
    '<form action="https://evil.example"><input name="q"></form>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<div style="background:url(javascript:alert(1))">styled</div>',
    '<p onclick="alert(1)" onmouseover="alert(2)">text</p>',
    '<a href="https://example.org" target="_blank" onclick="steal()">ok</a>',
    "<style>body{display:none}</style>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<!-- <script>alert(1)</script> -->",
    "<img src=x onerror=alert(1)//",
    '<a href=" javascript:alert(1)">spaced</a>',
    "[x](vbscript:msgbox(1))",
    "<details open ontoggle=alert(1)>",
]

SAFE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h3", "h4", "hr", "i", "img",
    "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead",
    "tr", "ul",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


class ElementCollector(HTMLParser):
    """Reads rendered HTML the way a browser would, so escaped text is not mistaken for tags."""

    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html):
    collector = ElementCollector()
    collector.feed(html)
    return collector.elements


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_renders_nothing_dangerous(source):
    html = render_markdown(source)

    for tag, attrs in elements(html):
        assert tag in SAFE_TAGS, html
        assert not [name for name in attrs if name.startswith("on") or name == "style"], html
        for name in ("href", "src"):
            url = (attrs.get(name) or "").strip()
            scheme = url.split(":", 1)[0].lower() if ":" in url else None
            assert scheme is None or scheme in SAFE_SCHEMES, html


def test_ordinary_markdown_keeps_its_structure():
    html = render_markdown("Some **bold** text.\n\n1. One\n2. Two\n\n- a\n- b\n\n### Sub")

    assert "<strong>bold</strong>" in html
    assert "<ol>" in html and "<ul>" in html
    assert "<h3>Sub</h3>" in html


def test_links_leave_without_opener_or_referrer():
    html = render_markdown("[NHS](https://www.nhs.uk/conditions/leg-cramps/)")

    assert 'href="https://www.nhs.uk/conditions/leg-cramps/"' in html
    assert 'rel="noopener noreferrer"' in html


def test_safe_link_schemes_survive():
    html = render_markdown("[mail](mailto:team@example.org) [page](/articles/x/)")

    assert 'href="mailto:team@example.org"' in html
    assert 'href="/articles/x/"' in html


def test_level_one_and_two_headings_do_not_break_the_page_outline():
    html = render_markdown("# Big\n\n## Also big")

    assert "<h1" not in html and "<h2" not in html
    assert "Big" in html


def test_empty_input_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
