"""One way of writing a moment across the admin, Django's pages and django-reversion's alike:
UK order, the 24-hour clock, and the site's zone named (GMT or BST), as in
"6 December 2026, 23:43 GMT". Reader pages choose their own. Anything not set here comes
from Django's en_GB formats."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i T"
# The short forms are the same: a reviewer should not meet two spellings of one time.
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
