"""The production settings, with a throwaway secret key so the suite runs anywhere."""

import os
import tempfile

os.environ.setdefault(
    "DJANGO_SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"
)

from cramps.settings import *  # noqa: F403

# The suite creates many users; the strength of password hashing is not what it tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file rather than shared memory, so that concurrent-edit tests see real locking.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"cramps-test-{os.getpid()}.sqlite3")
    }

# The test client has no collected static files: let WhiteNoise serve from the finders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Most tests set a page up by publishing their own edit ("Save and publish"); the tests of
# sign-off itself run under the production default, where a second person approves
# (CRAMPS_SELF_APPROVAL; tests/test_sign_off.py).
SIGN_OFF_SELF_APPROVAL = True

# The test client's address is the site's, and tests see what the page cache did.
SITE_ORIGIN = "https://testserver"
PAGE_CACHE_STATUS_HEADER = True
