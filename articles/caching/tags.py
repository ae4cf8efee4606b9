"""What a cached page depends on: an article (its own page, pages linking to it), or the
lists of articles. Views name their page's tags; the write path moves them on."""

# What lists that show every change depend on: sitemaps (their dates) and the feed.
LISTING = "listing"
# Which articles the home page lists, and in what order: what a home page depends on,
# besides the articles it shows.
MEMBERSHIP = "listing-membership"
LIST_TAGS = {LISTING, MEMBERSHIP}


def article_tag(pk):
    return f"article:{pk}"
