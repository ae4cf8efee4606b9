"""What a cached page depends on: an article (its own page, pages linking to it), or the
lists of articles. Views name their page's tags; the write path moves them on."""

# What every list of articles depends on: the home page and its pages, sitemaps, the feed.
LISTING = "listing"


def article_tag(pk):
    return f"article:{pk}"
