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
