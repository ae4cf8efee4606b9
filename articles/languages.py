"""The languages readers read the site in: the address alone says which (English keeps its
addresses, every other language's start with its code, such as /ru/), never a cookie or
the browser's Accept-Language, so one address is always one page to cache."""

from django.conf import settings
from django.utils import translation


def current():
    """The language code of the page being made (one of settings.LANGUAGES)."""
    return translation.get_supported_language_variant(
        translation.get_language() or settings.LANGUAGE_CODE
    )


def of_address(path):
    """The language a reader's address is in."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def name(code):
    """A language's name in that language, as the switcher shows it."""
    return dict(settings.LANGUAGES)[code]


def tag(code):
    """The BCP 47 tag for `lang` and `hreflang`: en-GB, ru."""
    language, _, region = code.partition("-")
    return f"{language}-{region.upper()}" if region else language
