"""The site served as in production: gunicorn, debug off, collected static files."""

import atexit
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.db import connection

PROJECT = Path(__file__).resolve().parents[1]
SECRET = "gunicorn-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"
# What the TLS proxy in front of gunicorn sends with every request: the scheme, and the
# site's own host name (nginx passes the one the browser asked for).
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Host": "localhost"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url():
    """The URL of the database this test runs on, for a server in another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def production_env(static_root, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "cramps.settings",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SITE_ORIGIN": "https://localhost",
        # X-Cache says whether a page came from the page cache (off in production).
        "DJANGO_PAGE_CACHE_STATUS_HEADER": "true",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DATABASE_URL": test_database_url(),
        **extra,
    }


def fetch(url, headers=None, method="GET", data=None):
    """(status, headers, body) of one request, without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(
        url, data=data, headers={**PROXY_HEADERS, **(headers or {})}, method=method
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def until_cached(url, headers=None, seconds=10):
    """Read `url` until the page cache serves it. Pages rendered within the hosts' clock skew
    of a change are not kept (articles.caching.pages), so a server started just after the
    test's data was written serves its first pages fresh."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if fetch(url, headers)[1].get("X-Cache") == "HIT":
            return True
        time.sleep(0.1)
    return False


_started = []


def last_gunicorn_pid():
    """The master process of the most recently started server, for sending it signals."""
    return _started[-1].pid


def manage_command(static_root, **base_env):
    """A function running manage.py with production settings and this environment."""

    def manage(*args, extra_env=None):
        env = production_env(static_root, **base_env, **(extra_env or {}))
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT, env=env, check=True, timeout=300, capture_output=True, text=True,
        ).stdout  # fmt: skip

    return manage


_collected = {}


def collected_static():
    """The static files as collectstatic writes them in production, collected once per test
    run (they depend on the code only): a folder no test may write to."""
    if "root" not in _collected:
        root = Path(tempfile.mkdtemp(prefix="cramps-static-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=PROJECT, env=production_env(root), check=True, timeout=300,
        )  # fmt: skip
        _collected["root"] = root
    return _collected["root"]


@contextlib.contextmanager
def gunicorn(static_root, workers=2, **extra_env):
    """Start gunicorn on a free port and yield its base URL. `static_root` links to the
    run's collected static files; the server's log is written beside it."""
    static_root = Path(static_root)
    if static_root.is_dir() and not static_root.is_symlink() and not any(static_root.iterdir()):
        static_root.rmdir()  # the empty STATIC_ROOT each test gets (tests/conftest.py)
    if not static_root.exists():
        static_root.symlink_to(collected_static(), target_is_directory=True)
    env = production_env(static_root, **extra_env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (Path(static_root).parent / f"gunicorn-{port}.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cramps.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--config", "gunicorn.conf.py"],
        cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    _started.append(server)
    try:
        # Ready once it answers and every worker has booted: a worker still being forked
        # when TERM comes can miss it, and the master then waits its graceful timeout.
        for _ in range(300):
            try:
                answers = fetch(f"{base}/robots.txt")[0] == 200
            except OSError:
                answers = False
            booted = Path(log.name).read_text(errors="replace").count("Booting worker")
            if answers and booted >= workers:
                break
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {log.name}")
            time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn was not ready within 30 s; see {log.name}")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
