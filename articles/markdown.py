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

# Limits on what an editor may write, checked before any rendering. Python-Markdown's time
# grows faster than the text with the number of "[", "<" and "`" (each scans ahead for its
# partner: 5,000 took 4 to 40 s) and of heading and rule lines (5,000 took 1 to 3 s), and
# its recursion with the depth of nested lists and quotes. Within these limits the worst
# shapes measured render in under a tenth of a second a box; real pages stay far below.
MARKDOWN_MAX_LENGTH = 20_000
MAX_OPENERS = 300  # "[", "<" and "`" together: they also slow each other
MAX_HEADING_AND_RULE_LINES = 200
MAX_NESTING = 16
RULE_CHARACTERS = frozenset("-*_= \t")


# Pages repeat the same few hundred snippets; rendering one takes far longer than a lookup.
# Only snippets of page size are remembered, so a huge preview cannot fill a worker's memory.
MEMO_LIMIT = MARKDOWN_MAX_LENGTH


def markdown_problem(text):
    """Why this Markdown is refused, in an editor's words, or None. Linear in its length."""
    text = text or ""
    if len(text) > MARKDOWN_MAX_LENGTH:
        return (
            f"This text has {len(text):,} characters; the most one box can hold is "
            f"{MARKDOWN_MAX_LENGTH:,}. Split it into more sections."
        )
    if sum(text.count(opener) for opener in "[<`") > MAX_OPENERS:
        return (
            f"This text has more than {MAX_OPENERS} square brackets “[”, “<” signs and "
            "“`” signs together. Use fewer links, or write the words out instead."
        )
    lines = text.splitlines()
    if max(map(_nesting, lines), default=0) > MAX_NESTING:
        return (
            f"A list or quote here is nested more than {MAX_NESTING} levels deep, or a line "
            "starts with a great deal of space. Use fewer levels."
        )
    if sum(map(_is_heading_or_rule, lines)) > MAX_HEADING_AND_RULE_LINES:
        return (
            f"This text has more than {MAX_HEADING_AND_RULE_LINES} headings and dividing "
            "lines. Split it into more sections."
        )
    return None


def _is_heading_or_rule(line):
    """A heading ("# …"), or a line only of -, *, _ or = (a rule, or a heading's underline)."""
    stripped = line.strip()
    return stripped.startswith("#") or (bool(stripped) and set(stripped) <= RULE_CHARACTERS)


def _nesting(line):
    """How deep a line starts: four spaces or a tab a level, and each quote mark or list
    marker before its text ("- - 1. x" opens three lists on one line). One pass."""
    width = depth = i = 0
    while i < len(line):
        character = line[i]
        if character == " ":
            width += 1
        elif character == "\t":
            width += 4
        elif character == ">":
            depth += 1
        elif character in "-*+" and line[i + 1 : i + 2] in (" ", "\t"):
            depth += 1
            i += 1
        elif character.isdigit():
            end = i
            while end < len(line) and line[end].isdigit():
                end += 1
            if not (line[end : end + 1] in (".", ")") and line[end + 1 : end + 2] in (" ", "\t")):
                break
            depth += 1
            i = end + 1
        else:
            break
        i += 1
    return width // 4 + depth


def render_markdown(text):
    """Render editor Markdown to HTML that is safe to put on a page."""
    if text and len(text) > MEMO_LIMIT:
        return _render(text)
    return _render_memoised(text)


def _escaped_paragraphs(text):
    paragraphs = (html.escape(p.strip()) for p in text.split("\n\n") if p.strip())
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def markdown_to_text(text):
    """The words of editor Markdown without any markup, for search and reading age."""
    if text and len(text) > MEMO_LIMIT:
        return _to_text(text)
    return _to_text_memoised(text)


def _render(text):
    if markdown_problem(text):
        # Text that came in around the form's checks (a fixture, an old row) is still
        # shown, escaped, rather than given to a renderer that would hang or crash on it.
        return _escaped_paragraphs(text)
    rendered = markdown_lib.markdown(text or "", extensions=EXTENSIONS, output_format="html")
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        # Every link may leave the site, so none can reach back to it through window.opener.
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# Control characters other than tab and line breaks: no reader sees them, and search uses
# two of them to mark matches, so text may never carry its own.
CONTROL_CHARACTERS = dict.fromkeys(c for c in [*range(32), 127] if chr(c) not in "\t\n\r")


def without_control_characters(text):
    return text.translate(CONTROL_CHARACTERS)


def _to_text(text):
    # After unescaping: an entity such as &#2; becomes a control character only then.
    plain = html.unescape(nh3.clean(render_markdown(text), tags=set()))
    return without_control_characters(plain).strip()


_render_memoised = functools.lru_cache(maxsize=8192)(_render)
_to_text_memoised = functools.lru_cache(maxsize=8192)(_to_text)
