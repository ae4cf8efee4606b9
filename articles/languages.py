"""The languages readers read the site in: the address alone says which (English keeps its
addresses, every other language's start with its code, such as /ru/), never a cookie or
the browser's Accept-Language, so one address is always one page to cache."""

import functools

from django.conf import settings
from django.utils import translation


def current():
    """The language code of the page being made (one of settings.LANGUAGES)."""
    return _supported(translation.get_language() or settings.LANGUAGE_CODE)


@functools.lru_cache(maxsize=64)
def _supported(code):
    # Asked on every search for each text it stems: Django's own lookup walks the
    # settings' languages each time.
    return translation.get_supported_language_variant(code)


def of_address(path):
    """The language a reader's address is in."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def name(code):
    """A language's name in that language, as the switcher shows it."""
    return dict(settings.LANGUAGES)[code]


def hreflang_links(urls):
    """The hreflang links of a page that `urls` ({language code: URL}) gives in each
    language: (tag, URL) for each, in code order, and the default language's again as
    x-default. The pages' heads and the sitemaps say the same."""
    links = [(tag(code), url) for code, url in sorted(urls.items())]
    if settings.LANGUAGE_CODE in urls:
        links.append(("x-default", urls[settings.LANGUAGE_CODE]))
    return links


def tag(code):
    """The BCP 47 tag for `lang` and `hreflang`: en-GB, ru."""
    language, _, region = code.partition("-")
    return f"{language}-{region.upper()}" if region else language
