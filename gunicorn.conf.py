"""gunicorn settings for every deployment: `gunicorn cramps.wsgi` reads this file.

Environment: PORT (default 8000), GUNICORN_BIND (default 127.0.0.1:$PORT, behind the proxy),
WEB_CONCURRENCY (worker processes; default two per core plus one).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Sync workers: pages are short, database-bound requests; nginx buffers slow clients.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = 30
# The longest request line gunicorn allows (its default is 4094): a search pasted with a
# very long query reaches the site, which cuts it politely, rather than a bare 414 page.
limit_request_line = 8190
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = 2000
max_requests_jitter = 200
# The application is loaded once, in the master, before any worker is forked: a recycled
# worker starts at once, instead of importing Django and the site while the others serve
# (under load, those imports were where the slowest one in a hundred requests came from),
# and every worker shares the loaded code's memory. A new release therefore needs a new
# master (deploy/README.md: restart, or USR2 then QUIT); HUP restarts workers only.
preload_app = True
# Logs go to stdout and stderr, where the platform collects them.
accesslog = "-"
errorlog = "-"
# The access log keeps no query strings (search words) and, for feedback, no address or
# browser, as the site promises readers; an access_log_format set here stays bound by that.
logger_class = "cramps.gunicorn_logging.PrivateAccessLogger"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Trust X-Forwarded-* only from the proxy on this machine.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# No control socket in the home directory: HUP and TERM signals are enough here.
control_socket_disable = True


def on_starting(server):
    """Read textstat's pronunciation dictionary once, in the master, before any worker
    exists: every worker, recycled ones included, is forked with it loaded, instead of
    the first change page each worker draws waiting for it, or workers reading it at once
    while readers wait (docs/performance.md)."""
    import gc

    try:
        import textstat

        textstat.flesch_kincaid_grade("The reading age reads this sentence once, before forking.")
    except Exception as error:  # an editors' aid must never keep the site from starting
        if server is not None:
            server.log.warning("Reading age: could not read textstat's dictionary: %r", error)
    # What the master loaded (the site and the dictionary) goes to the collector's permanent
    # generation: otherwise each worker's full collections walk it all and, by writing to
    # it, copy its shared memory into every worker.
    gc.freeze()
