"""What a cached page depends on: an article (its own page, pages linking to it), or the
lists of articles. Views name their page's tags; the write path moves them on."""

# What lists that show every change depend on: sitemaps (their dates) and the feed.
LISTING = "listing"
# Which articles the home page lists, and in what order: what a home page depends on,
# besides the articles it shows.
MEMBERSHIP = "listing-membership"
LIST_TAGS = {LISTING, MEMBERSHIP}


ARTICLE = "article:"


def article_tag(pk):
    return f"{ARTICLE}{pk}"


def articles_in(tags):
    """The primary keys of the articles among `tags`."""
    return [int(tag.removeprefix(ARTICLE)) for tag in tags if tag.startswith(ARTICLE)]
