"""The telephone numbers readers are told to call, as the site's settings give them for
the language edition being read."""

from django.conf import settings

from articles import languages

# What an edition may set for itself (settings.HELP_LINES_BY_LANGUAGE).
NUMBERS = (
    "EMERGENCY_NUMBER", "EMERGENCY_NUMBER_ALSO", "URGENT_NUMBER", "URGENT_SERVICE", "HELP_COUNTRY",
)  # fmt: skip


def tel_address(number):
    """A tel: link for `number`, which phones dial as written: digits and a leading +."""
    return "tel:" + "".join(c for c in number if c.isdigit() or c == "+")


def numbers(language=None):
    """The five settings for `language` (by default the page's): the site's, or the
    edition's own where it gives them."""
    own = settings.HELP_LINES_BY_LANGUAGE.get(language or languages.current(), {})
    unknown = set(own) - set(NUMBERS)
    if unknown:
        raise ValueError(f"HELP_LINES_BY_LANGUAGE: unknown settings {sorted(unknown)}")
    return {name: own.get(name, getattr(settings, name)) for name in NUMBERS}


def help_lines(language=None):
    """The emergency number (and another that also works), the urgent same-day service, and
    the country they serve, for `language`'s readers (by default the page's)."""
    given = numbers(language)
    return {
        "emergency": given["EMERGENCY_NUMBER"],
        "emergency_tel": tel_address(given["EMERGENCY_NUMBER"]),
        "emergency_also": given["EMERGENCY_NUMBER_ALSO"],
        "emergency_also_tel": tel_address(given["EMERGENCY_NUMBER_ALSO"]),
        "urgent_service": given["URGENT_SERVICE"],
        "urgent": given["URGENT_NUMBER"],
        "urgent_tel": tel_address(given["URGENT_NUMBER"]),
        # Where the numbers work (ISO 3166-1), for other services that show them.
        "country": given["HELP_COUNTRY"],
    }
