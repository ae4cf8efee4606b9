"""Whole numbers read from text someone sent: object ids, page numbers, positions, source
numbers, request lengths, image sizes."""


def whole_number(text, max_digits=18):
    """`text` as a whole number if it is 1 to `max_digits` ASCII digits, else None.

    ASCII only: superscript two is a digit to str.isdigit(), and int() refuses it.
    """
    text = str(text)
    if 0 < len(text) <= max_digits and text.isascii() and text.isdigit():
        return int(text)
    return None


def declared_length(request):
    """The size a request says its body has: 0 if it says none, None if what it says is not
    a whole number. Checked before any of the body is read."""
    return whole_number(request.META.get("CONTENT_LENGTH") or "0")


class WholeNumberIds:
    """For a ModelAdmin of a model with whole-number ids: an id in its URL that is not one
    is an unknown object (Django reads it with int(), which takes other scripts' digits)."""

    def get_object(self, request, object_id, from_field=None):
        if whole_number(object_id) is None:
            return None
        return super().get_object(request, object_id, from_field)
