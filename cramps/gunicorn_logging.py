"""gunicorn's access log, held to what the site promises readers (README: a search is
counted by its words alone; feedback keeps no address, browser or account).

gunicorn.conf.py names PrivateAccessLogger as its logger_class, so whatever
access_log_format an operator sets, no atom carries a query string (search words, or the
same words in a Referer), and on a feedback address no atom carries the reader's address,
browser or any other request header. deploy/nginx.conf keeps its own log the same way.
"""

import functools

from django.urls import Resolver404, resolve
from gunicorn.glogging import Logger

# Every page under an article's feedback address: the form, its POST and the thanks.
FEEDBACK_VIEWS = {"articles:feedback", "articles:feedback_thanks"}


def without_query(value):
    return value.partition("?")[0] if isinstance(value, str) else value


# Remembered per path: a line is written after every request, cached pages included, and
# resolving each path again would add to all of them. Bounded: paths are the client's.
@functools.lru_cache(maxsize=4096)
def about_feedback(path):
    """Whether this path is one of the feedback pages (asked of the site's own URLs, so a
    new address for them needs no change here). Workers have Django loaded by now."""
    try:
        return resolve(path).view_name in FEEDBACK_VIEWS
    except Resolver404:
        return False


class PrivateAccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = without_query(environ.get("RAW_URI", ""))
        atoms["r"] = f"{environ.get('REQUEST_METHOD')} {path} {environ.get('SERVER_PROTOCOL')}"
        atoms["q"] = atoms["{query_string}e"] = ""
        atoms["{raw_uri}e"] = path
        for referer in ("f", "{referer}i", "{http_referer}e"):
            if referer in atoms:
                atoms[referer] = without_query(atoms[referer])
        if about_feedback(environ.get("PATH_INFO", "")):
            # Request headers and the environ hold the address (REMOTE_ADDR, X-Forwarded-For),
            # the browser and more; a format naming any of them logs "-" instead.
            atoms = {k: v for k, v in atoms.items() if not k.endswith(("}i", "}e"))}
            atoms.update(h="-", a="-", u="-")
        return atoms
