"""Checks on one box of editor Markdown, as the editor writes it: reading age, and what makes
a page harder to use (images without alt text, vague links, skipped headings, capitals).

Warnings, never blocks: each is a sentence an editor can act on. The checks read the
sanitised rendering (the same HTML readers get) once, with the standard library's HTML
parser, and the headings from the Markdown's own lines, so none is slower than rendering.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

import textstat
from django.utils.html import format_html, format_html_join

from articles.markdown import render_markdown

READING_AGE_AIM = (9, 14)
# Below this many words a reading age says more about chance than about the text.
MIN_WORDS = 12
# The formula counts English syllables: a box whose letters are mostly of another script
# (a Russian edition's) gets no figure, but a line saying so.
LATIN_SHARE = 0.5
# Link texts that say nothing out of context (WCAG 2.4.4): screen reader users often move
# from link to link, and hear only these words.
VAGUE_LINKS = {
    "click here", "here", "click", "this", "this link", "link", "more", "read more",
    "find out more", "more information", "this page", "this website", "website", "see here",
}  # fmt: skip
# Short forms written in capitals for a reason, not for emphasis.
ACRONYMS = {
    "NHS", "GP", "GPS", "NICE", "CKS", "MHRA", "UK", "USA", "A&E", "BNF", "BMJ", "DVT", "PAD",
    "MS", "ALS", "MND", "ECG", "EMG", "PIF", "TICK", "WHO", "FDA", "NIH", "CKD", "RLS", "ID",
    "OK", "AM", "PM", "PDF", "URL", "NHS111", "NSAID", "NSAIDS", "COVID", "SSRI", "SSRIS",
    "COPD", "ADHD", "MRSA", "HRT", "BMI", "CT", "MRI",
}  # fmt: skip
BLOCKS = {"p", "li", "h3", "h4", "td", "th", "blockquote", "pre"}
SENTENCE_ENDS = ".!?"
PUNCTUATION = ".,;:!?()\"'\u201c\u201d\u2018\u2019"  # and curly quotes


@dataclass
class Reading:
    """What a box says to readers, read off its rendered HTML in one pass."""

    blocks: list = field(default_factory=list)  # the text of each paragraph, item, heading
    images: list = field(default_factory=list)  # (alt text, marked decorative)
    links: list = field(default_factory=list)  # (href, text)
    headings: list = field(default_factory=list)  # (level, text)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.reading = Reading()
        self._block = []
        self._link = None
        self._heading = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in BLOCKS:
            self._end_block()
        if tag == "img":
            self.reading.images.append(
                (attrs.get("alt") or "", attrs.get("role") == "presentation")
            )
        elif tag == "a":
            self._link = [attrs.get("href") or "", []]
        elif tag in ("h3", "h4"):
            self._heading = [int(tag[1]), []]

    def handle_endtag(self, tag):
        if tag == "a" and self._link:
            href, text = self._link
            self.reading.links.append((href, " ".join("".join(text).split())))
            self._link = None
        elif tag in ("h3", "h4") and self._heading:
            level, text = self._heading
            self.reading.headings.append((level, " ".join("".join(text).split())))
            self._heading = None
        if tag in BLOCKS:
            self._end_block()

    def handle_data(self, data):
        self._block.append(data)
        for open_element in (self._link, self._heading):
            if open_element:
                open_element[1].append(data)

    def _end_block(self):
        text = " ".join("".join(self._block).split())
        if text:
            self.reading.blocks.append(text)
        self._block = []

    def close(self):
        super().close()
        self._end_block()


def read(markdown_text):
    return read_html(render_markdown(markdown_text or ""))


def read_html(html):
    """What a reader reads in `html`: a whole page as well as one box's Markdown."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.reading


def sentences(blocks):
    """Each list item, heading or cell is at least one sentence, full stop or not; within a
    block, a sentence ends at ".", "!" or "?" before a space. One pass over each block."""
    found = []
    for block in blocks:
        start = 0
        for i, character in enumerate(block):
            at_end = i + 1 == len(block) or block[i + 1] == " "
            if character in SENTENCE_ENDS and at_end:
                found.append(block[start : i + 1].strip())
                start = i + 1
        if block[start:].strip():
            found.append(block[start:].strip())
    return [sentence for sentence in found if any(c.isalpha() for c in sentence)]


def _grade(text):
    return textstat.flesch_kincaid_grade(text)


def _age(grade):
    return max(5, round(grade + 5))


@dataclass
class ReadingAge:
    age: int
    hardest: str = ""  # the sentence that needs the oldest reader, if there are several
    hardest_age: int = 0


def reading_age_of(reading):
    """The approximate age a reader needs (Flesch-Kincaid grade + 5), or None for text too
    short to say. Every sentence is closed with a full stop for the formula, so a list of
    signs is read as the separate sentences it is."""
    parts = sentences(reading.blocks)
    if sum(len(sentence.split()) for sentence in parts) < MIN_WORDS:
        return None
    if not in_latin_script(reading):
        return None
    closed = [s if s[-1] in SENTENCE_ENDS else s + "." for s in parts]
    result = ReadingAge(_age(_grade(" ".join(closed))))
    if len(closed) > 1:
        hardest = max(closed, key=_grade)
        result.hardest, result.hardest_age = hardest, _age(_grade(hardest))
    return result


def in_latin_script(reading):
    """Whether most letters of the text are Latin ones, as English is written."""
    letters = [c for block in reading.blocks for c in block if c.isalpha()]
    return sum(c.isascii() for c in letters) >= LATIN_SHARE * len(letters)


def reading_age(markdown_text):
    result = reading_age_of(read(markdown_text))
    return result.age if result else None


def text_problems(markdown_text, reading=None):
    """What in this box makes the page harder to use, as sentences an editor can act on."""
    reading = reading or read(markdown_text)
    problems = []
    for alt, is_decorative in reading.images:
        if not alt.strip() and not is_decorative:
            problems.append(
                "An image has no alt text. Describe what it shows for people who cannot "
                "see it, or mark it as decorative (“Insert image” does both)."
            )
    for href, text in reading.links:
        words = text.lower().strip(" .:!")
        if href.startswith(("tel:", "mailto:")):
            continue
        if words in VAGUE_LINKS:
            problems.append(
                f"The link “{text}” does not say where it goes. Use the name of the page "
                "instead, such as “NHS: leg cramps”."
            )
        elif words.startswith(("http://", "https://", "www.")) or text == href:
            problems.append(
                f"The link text “{_shorten(text)}” is a bare web address. Use the name of the "
                "page instead: addresses are hard to read and to listen to."
            )
    problems += heading_problems(markdown_text)
    for shouted in capitals(reading.blocks):
        problems.append(
            f"“{shouted}” is in capitals, which is harder to read. Use bold (**like this**) "
            "for emphasis, or plain words."
        )
    return problems


def heading_problems(markdown_text):
    """Headings that skip a level (a #### before any ###), or that outrank the section's
    own heading (# and ## are the page's title and sections; readers get plain text)."""
    problems = []
    previous = 2  # the section's own heading
    for line in (markdown_text or "").splitlines():
        stripped = line.lstrip(" ")
        if len(line) - len(stripped) > 3 or not stripped.startswith("#"):
            continue
        level = len(stripped) - len(stripped.lstrip("#"))
        rest = stripped[level:]
        if level > 6 or (rest and rest[0] not in " \t"):
            continue
        text = rest.strip(" \t#") or "(empty)"
        if level <= 2:
            problems.append(
                f"The heading “{text}” uses {'#' * level}, which is for the page's own "
                "headings: readers would see it as plain text. Use ### for a subheading."
            )
        elif level > previous + 1:
            problems.append(
                f"The subheading “{text}” ({'#' * level}) skips a level. Use "
                f"{'#' * (previous + 1)} here, so screen reader users can follow the outline."
            )
            previous = level
        else:
            previous = level
    return problems


def capitals(blocks):
    """Runs of words in capitals that are not short forms, such as “DO NOT”: a single word
    of four letters or more, or two or more words together."""
    found = []
    for block in blocks:
        run = []
        for word in [*block.split(), ""]:
            letters = word.strip(PUNCTUATION)
            shouting = (
                len(letters) >= 2
                and letters.isupper()
                and letters.replace("&", "").isalpha()
                and letters not in ACRONYMS
            )
            if shouting:
                run.append(letters)
                continue
            if len(run) > 1 or (run and len(run[0]) >= 4):
                found.append(" ".join(run))
            run = []
    return found


def _shorten(text, limit=60):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def notes_html(markdown_text):
    """The lines under a box's preview: its reading age and its problems."""
    reading = read(markdown_text)
    result = reading_age_of(reading)
    parts = []
    if result is None and not in_latin_script(reading):
        parts.append(
            format_html(
                '<p class="reading-age">{}</p>',
                "No reading age: the formula is for English, and this text is not in English.",
            )
        )
    if result is not None:
        low, high = READING_AGE_AIM
        advice = " Try shorter sentences and everyday words." if result.age > high else ""
        parts.append(
            format_html(
                '<p class="reading-age reading-age--{}">Reading age about {} (aim: {} to {}).'
                "{}</p>",
                "ok" if result.age <= high else "high",
                result.age,
                low,
                high,
                advice,
            )
        )
        if result.hardest:
            parts.append(
                format_html(
                    '<p class="reading-age">Hardest sentence (about {}): “{}”</p>',
                    result.hardest_age,
                    _shorten(result.hardest, 160),
                )
            )
    problems = text_problems(markdown_text, reading)
    if problems:
        parts.append(
            format_html(
                '<ul class="content-checks">{}</ul>',
                format_html_join("", "<li>{}</li>", ((problem,) for problem in problems)),
            )
        )
    return format_html_join("", "{}", ((part,) for part in parts))
