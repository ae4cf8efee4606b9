"""Which requests share a stored page: one page per path of the site's own origin (and per
page number, where a list is paged), in a gzip copy and a plain one. Nothing else a client
varies (query-string spellings, Host spellings, Accept-Encoding) makes another entry."""

from django.conf import settings

from articles.numbers import whole_number

# Only the views that page their content make a page per query string worth storing, by
# their own parameter and page numbers as they write them (past the last page is a 404).
# Any other query string (tracking tags, cache-busters, searches, ?p= on an article,
# padded numbers) is served fresh and never fills the cache.
PAGED_VIEWS = {"articles:index": "page", "sitemap_section": "p"}
PAGE_PARAMETERS = set(PAGED_VIEWS.values())
GZIP = {"gzip", "x-gzip"}


def at_site_origin(request):
    """Whether the request came for settings.SITE_ORIGIN, spelt as browsers spell it.

    Pages hold absolute links made from the scheme and host of the request they answer
    (canonical link, sitemaps, feed), so a page asked for under another spelling (a port,
    capitals, a trailing dot, plain http before its redirect) is not the origin's page:
    stored under the origin's key it would hand its links to every reader, and stored
    under its own it would let each new spelling add an entry. It is rendered for itself,
    and neither stored nor answered from the origin's store."""
    return f"{request.scheme}://{request.get_host()}" == settings.SITE_ORIGIN


def page_address(request):
    """The address the request's page is stored under (its path, and a page number in the
    form the list writes it), or None if no stored page can answer it. Read before the
    view runs, so any page parameter counts here; is_stored_variant checks the view's."""
    if not at_site_origin(request):
        return None
    if not request.GET:
        return request.path
    if len(request.GET) == 1:
        [(parameter, values)] = request.GET.lists()
        if parameter in PAGE_PARAMETERS and len(values) == 1 and _page_number(values[0]):
            return f"{request.path}?{parameter}={values[0]}"
    return None


def is_stored_variant(request):
    """Whether the view that answered may store its page: no query, or only its own page
    parameter (page_address gave the form)."""
    if not request.GET:
        return True
    match = request.resolver_match
    parameter = PAGED_VIEWS.get(match.view_name if match else None)
    return parameter is not None and list(request.GET) == [parameter]


def _page_number(text):
    return whole_number(text) is not None and not text.startswith("0")


def accepted_codings(header):
    """The content codings an Accept-Encoding header accepts, in lower case, in its order.

    A coding with a weight of zero (gzip;q=0), or one that is not a weight at all, is
    refused. Split by hand, in one pass: the header is the client's to make long."""
    accepted = []
    for item in header.split(","):
        coding, *parameters = item.split(";")
        weight = "1"
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                weight = value.strip()
        if coding.strip() and _above_zero(weight):
            accepted.append(coding.strip().lower())
    return accepted


def _above_zero(weight):
    """Whether a qvalue (RFC 9110: 0 to 1, at most three decimals) is above zero."""
    whole, _, decimals = weight.partition(".")
    if len(decimals) > 3 or not (decimals == "" or (decimals.isascii() and decimals.isdigit())):
        return False
    if whole == "1":
        return decimals.strip("0") == ""
    return whole == "0" and decimals.strip("0") != ""


def accepts_gzip(codings):
    return not GZIP.isdisjoint(codings)
