"""A small crawler: from the sitemap and the home page, every link on every public page."""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
PRIVATE_PREFIXES = ("/admin/",)


class LinkReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.canonical, self.description = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "link") and attrs.get("href"):
            self.links.append(attrs["href"])
            if attrs.get("rel") == "canonical":
                self.canonical = attrs["href"]
        if tag in ("img", "script") and attrs.get("src"):
            self.links.append(attrs["src"])
        if tag == "meta" and attrs.get("name") == "description":
            self.description = attrs.get("content")
        if tag == "meta" and attrs.get("property") == "og:image":
            self.links.append(attrs["content"])


@dataclass
class CrawlReport:
    pages: dict = field(default_factory=dict)  # path -> status
    links_checked: int = 0
    external_links: set = field(default_factory=set)
    problems: list = field(default_factory=list)
    etags: dict = field(default_factory=dict)  # path -> ETag of each HTML page


def crawl(get, origin):
    """Walk the site through `get(path) -> (status, headers, body)`.

    `origin` is the site's own scheme and host as its pages state them, such as
    https://testserver; links elsewhere are counted but not fetched.
    """
    report = CrawlReport()
    queue = ["/", "/robots.txt", *sitemap_paths(get, "/sitemap.xml", report)]
    seen = set()
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        status, headers, body = get(path)
        report.pages[path] = status
        if status >= 400:
            report.problems.append(f"{path} answered {status}")
            continue
        if status in (301, 302, 307, 308):
            queue.append(_own_path(urljoin(origin + path, headers["Location"]), origin, report))
            continue
        if not headers.get("Content-Type", "").startswith("text/html"):
            continue
        reader = LinkReader()
        reader.feed(body.decode())
        report.etags[path] = headers.get("ETag")
        # Pages of a list are their own pages; any other query string is not.
        own = path if "?page=" in path else path.split("?")[0]
        if reader.canonical != origin + own:
            report.problems.append(f"{path} has canonical {reader.canonical!r}")
        if not reader.description:
            report.problems.append(f"{path} has no meta description")
        for href in reader.links:
            report.links_checked += 1
            target = _own_path(urljoin(origin + path, href), origin, report)
            if target and not target.startswith(PRIVATE_PREFIXES):
                queue.append(target)
    report.problems += [p for p in report.pages if p is None]
    return report


def sitemap_paths(get, path, report):
    """The sitemap itself, the files of a sitemap index, and every address they list."""
    status, _, body = get(path)
    if status != 200:
        report.problems.append(f"{path} answered {status}")
        return []
    root = ET.fromstring(body)
    paths = [path]
    for location in root.iterfind("s:sitemap/s:loc", SITEMAP_NS):
        paths += sitemap_paths(get, urlsplit(location.text).path, report)
    paths += [urlsplit(loc.text).path for loc in root.iterfind("s:url/s:loc", SITEMAP_NS)]
    return paths


def _own_path(url, origin, report):
    url = urldefrag(url).url
    if re.match(r"^(mailto|tel):", url):
        return None
    if not url.startswith(origin + "/"):
        report.external_links.add(url)
        return None
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
