"""The one Markdown-to-safe-HTML function, used by the editor preview and the public pages."""

import functools
import html

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h3", "h4", "hr", "i",
    "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
EXTENSIONS = ["sane_lists", "tables"]


# Pages repeat the same few hundred snippets; rendering one takes far longer than a lookup.
# Only snippets of page size are remembered, so a huge preview cannot fill a worker's memory.
MEMO_LIMIT = 20_000


def render_markdown(text):
    """Render editor Markdown to HTML that is safe to put on a page."""
    if text and len(text) > MEMO_LIMIT:
        return _render(text)
    return _render_memoised(text)


def markdown_to_text(text):
    """The words of editor Markdown without any markup, for search and reading age."""
    if text and len(text) > MEMO_LIMIT:
        return _to_text(text)
    return _to_text_memoised(text)


def _render(text):
    html = markdown_lib.markdown(text or "", extensions=EXTENSIONS, output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        # Every link may leave the site, so none can reach back to it through window.opener.
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _to_text(text):
    return html.unescape(nh3.clean(render_markdown(text), tags=set())).strip()


_render_memoised = functools.lru_cache(maxsize=8192)(_render)
_to_text_memoised = functools.lru_cache(maxsize=8192)(_to_text)
