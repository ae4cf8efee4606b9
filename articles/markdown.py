"""The one Markdown-to-safe-HTML function, used by the editor preview and the public pages."""

import functools
import html

import markdown as markdown_lib
import nh3

from articles.numbers import whole_number

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h3", "h4", "hr", "i",
    "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading", "decoding", "role"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# An image written ![](address "decorative") adds nothing to the text: screen readers skip
# it, and the content checks do not ask for its alt text.
DECORATIVE = "decorative"
UPLOAD_EXTENSIONS = ("jpg", "png")


def decorative(title):
    return (title or "").strip().lower() == DECORATIVE


def upload_size(src):
    """(width, height) of an uploaded image, from the name the upload view gives it:
    <uuid>-<width>x<height>.jpg. None for any other address."""
    stem, _, extension = (src or "").rpartition("/")[2].rpartition(".")
    unique, _, size = stem.rpartition("-")
    width, _, height = size.partition("x")
    if extension not in UPLOAD_EXTENSIONS or len(unique) != 36:
        return None
    # The upload view writes 1 to 5 ASCII digits; anything else is not its name.
    size = (whole_number(width, max_digits=5), whole_number(height, max_digits=5))
    return None if None in size else size


class _Images(markdown_lib.treeprocessors.Treeprocessor):
    """Images reach readers with their size, so nothing jumps as they load, and load only
    as the reader scrolls near them (the help at the top of a page has no images)."""

    def run(self, root):
        for image in root.iter("img"):
            if decorative(image.get("title")):
                image.set("alt", "")
                image.set("role", "presentation")  # chosen, not forgotten
                del image.attrib["title"]
            size = upload_size(image.get("src"))
            if size:
                image.set("width", str(size[0]))
                image.set("height", str(size[1]))
            image.set("loading", "lazy")
            image.set("decoding", "async")


class _ImagesExtension(markdown_lib.Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_Images(md), "sized_images", 0)


EXTENSIONS = ["sane_lists", "tables", _ImagesExtension()]

# Limits on what an editor may write, checked before any rendering. Python-Markdown's time
# grows with the length of a paragraph times the number of "[" in it (each scans ahead for
# its partner), and likewise for "<", "\\" and "`", tabs (each becomes four spaces) and
# lines (rules and underlines split paragraphs that are then scanned again); its recursion
# grows with the depth of nested lists. These bounds keep every accepted box quick to
# render (docs/performance.md has the fuzzing run that set them).
MARKDOWN_MAX_LENGTH = 6_000
MAX_LINES = 300
MAX_NESTING = 10
COUNTED = [
    ("[", 50, "square brackets “[”", "Use fewer links, or round brackets instead."),
    ("<", 20, "“<” signs", "Write “less than” in words, and leave out HTML tags."),
    ("\\", 50, "backslashes “\\”", "Take most of them out."),
    ("`", 50, "backticks “`”", "Take most of them out."),
]


def markdown_problem(text):
    """Why this Markdown is refused, in an editor's words, or None. Linear in its length."""
    text = (text or "").replace("\r\n", "\n")  # browsers send CRLF: one line break, not two
    length = len(text) + 3 * text.count("\t")
    if length > MARKDOWN_MAX_LENGTH:
        return (
            f"This text has {length:,} characters (a tab counts as four); the most one box "
            f"can hold is {MARKDOWN_MAX_LENGTH:,}. Split it into more sections."
        )
    for sign, limit, name, advice in COUNTED:
        if text.count(sign) > limit:
            return f"This text has more than {limit} {name}. {advice}"
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        return (
            f"This text has {len(lines):,} lines; the most one box can hold is {MAX_LINES}. "
            "Split it into more sections."
        )
    if max(map(_nesting, lines), default=0) > MAX_NESTING:
        return (
            f"A list or quote here is nested more than {MAX_NESTING} levels deep, or a line "
            "starts with a great deal of space. Use fewer levels."
        )
    return None


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


# Pages repeat the same few hundred snippets; rendering one takes far longer than a lookup.
# Only texts within the limits are remembered, so a huge preview cannot fill a worker's memory.
MEMO_LIMIT = MARKDOWN_MAX_LENGTH


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
        attribute_filter=_only_presentation_role,
    )


def _only_presentation_role(tag, attribute, value):
    # "role" is allowed for the renderer's decorative images, and means nothing else.
    if attribute == "role" and value != "presentation":
        return None
    return value


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
