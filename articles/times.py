"""Times and days as the admin and its messages write them: one format everywhere
(settings.FORMAT_MODULE_PATH), in the site's time zone, named."""

from django.utils import timezone
from django.utils.formats import date_format


def moment(value):
    """ "6 December 2026, 23:43 GMT" ("BST" in summer)."""
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def day(value):
    """ "6 December 2026"."""
    return date_format(value, "DATE_FORMAT")
