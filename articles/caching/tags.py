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


# Every edition of one article, in any language: what an article's page depends on besides
# the editions it links to (a new edition adds a language link; a source's new version
# makes its translations' notice appear).
EDITIONS = "editions:"


def editions_tag(translation_key):
    return f"{EDITIONS}{translation_key}"


def articles_in(tags):
    """The primary keys of the articles among `tags`."""
    return [int(tag.removeprefix(ARTICLE)) for tag in tags if tag.startswith(ARTICLE)]
