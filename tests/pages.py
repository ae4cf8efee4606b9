"""Reading a reader page back as text, the way a person reads it; and from the page cache."""

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


def warm(client, url):
    """Fetch until the page is served from the cache; return that response."""
    for _ in range(3):
        response = client.get(url)
        if response["X-Cache"] == "HIT":
            return response
    raise AssertionError(f"{url} never came from the cache")
