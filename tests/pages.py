"""Reading a reader page back as text, the way a person reads it."""

import html
import re

# Curly quotes and dashes may replace the seed's straight ones.
TYPOGRAPHIC = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


def page_text(response):
    """The page's text without navigation: tags removed, entities decoded, spaces collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style|nav)\b.*?</\1>", " ", body, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return re.sub(r"\s+", " ", text).translate(TYPOGRAPHIC)
