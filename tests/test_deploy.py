"""deploy/nginx.conf for real: nginx with TLS in front of two gunicorn processes that share
one PostgreSQL database and one Redis, as several hosts would.

Needs Debian's nginx and openssl (CI installs nginx); without nginx this skips with that
instruction, except in CI, where it fails.
"""

import base64
import html
import os
import re
import shutil
import ssl
import subprocess
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
from django_otp.oath import totp

from tests import servers
from tests.html_forms import form_fields

pytestmark = [pytest.mark.deploy, pytest.mark.slow]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
REDIS_URL = os.environ.get("REDIS_DEPLOY_TEST_URL", "redis://127.0.0.1:6379/14")
PASSWORD = "deploy-test-Password-2026"


def render_config(static_root, upstreams, port, http_port, certificate, key, prefix):
    config = (servers.PROJECT / "deploy" / "nginx.conf").read_text()
    replacements = {
        "pid /run/nginx-cramps.pid;": f"pid {prefix}/nginx.pid;",
        "/var/log/nginx/": f"{prefix}/",
        "/var/cache/nginx/cramps": f"{prefix}/cache",
        "server 10.0.0.11:8000": f"server 127.0.0.1:{upstreams[0]}",
        "server 10.0.0.12:8000": f"server 127.0.0.1:{upstreams[1]}",
        "listen 443 ssl;": f"listen 127.0.0.1:{port} ssl;",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "/etc/ssl/cramps/fullchain.pem": str(certificate),
        "/etc/ssl/cramps/privkey.pem": str(key),
        "/srv/cramps/staticfiles/": f"{static_root}/",
        "cramps.example.org": "localhost",
    }
    for example, local in replacements.items():
        assert example in config, example
        config = config.replace(example, local)
    if os.geteuid() == 0:
        # Workers would drop to www-data, which cannot enter the test's private folders.
        config = "user root;\n" + config
    return config


@pytest.fixture
def scratch_database():
    name = f"cramps_deploy_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**PG, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(**PG, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Browser:
    """Just enough of a browser: cookies by hand (they are Secure), Referer for CSRF."""

    def __init__(self, base, origin):
        self.base, self.origin, self.cookies = base, origin, {}

    def request(self, path, data=None):
        headers = {"Host": "localhost", "Referer": self.origin + path}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        status, response_headers, content = servers.fetch(
            self.base + path, headers, method="POST" if body is not None else "GET", data=body
        )
        for cookie in response_headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";")[0]
        return status, response_headers, content.decode()

    def sign_in(self, username, password):
        _, _, page = self.request("/admin/login/")
        fields = dict(form_fields(page, "login-form"))
        status, _, _ = self.request(
            "/admin/login/", {**fields, "username": username, "password": password}
        )
        assert status == 302, "sign-in failed"

    def set_up_two_step_sign_in(self):
        """What a superuser does on first sign-in: add the key to an app, give its code."""
        _, _, page = self.request("/admin/two-step-sign-in/")
        key = re.search(r'class="two-factor__secret">([A-Z2-7 ]+)<', page).group(1)
        code = totp(base64.b32decode(key.replace(" ", "")))
        fields = dict(form_fields(page, "two-factor-form"))
        status, _, _ = self.request("/admin/two-step-sign-in/", {**fields, "token": f"{code:06d}"})
        assert status == 302, "two-step sign-in was not set up"


def via_nginx(port, path):
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    request = urllib.request.Request(
        f"https://127.0.0.1:{port}{path}", headers={"Host": "localhost"}
    )
    with urllib.request.urlopen(request, context=context, timeout=30) as response:
        return response.status, response.headers, response.read().decode()


def test_two_app_servers_behind_nginx_share_database_and_cache(tmp_path, scratch_database):
    if not Path(NGINX).exists():
        message = "nginx not found: apt-get install nginx to run the deployment test."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # One person edits and publishes here, as a site may allow (by default a second one
    # approves: tests/test_sign_off_trust.py).
    env = {
        "DATABASE_URL": scratch_database,
        "REDIS_URL": REDIS_URL,
        "CRAMPS_SELF_APPROVAL": "true",
    }
    manage = servers.manage_command(tmp_path / "static", **env)
    manage("migrate", "-v0")
    manage("seed_if_empty", "-v0")
    manage("createsuperuser", "--no-input", "--username", "editor", "--email", "e@example.org",
           extra_env={"DJANGO_SUPERUSER_PASSWORD": PASSWORD})  # fmt: skip
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()

    prefix = tmp_path / "nginx"
    prefix.mkdir()
    certificate, key = prefix / "cert.pem", prefix / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True,
    )  # fmt: skip
    static_root = tmp_path / "static"
    with (
        servers.gunicorn(static_root, **env) as first,
        servers.gunicorn(tmp_path / "static2", **env) as second,
    ):
        port, http_port = servers.free_port(), servers.free_port()
        upstreams = [int(first.rsplit(":", 1)[1]), int(second.rsplit(":", 1)[1])]
        config = prefix / "nginx.conf"
        config.write_text(
            render_config(static_root, upstreams, port, http_port, certificate, key, prefix)
        )
        nginx = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(config),
                                  "-g", "daemon off;"])  # fmt: skip
        try:
            for _ in range(100):
                try:
                    via_nginx(port, "/healthz")
                    break
                except OSError:
                    time.sleep(0.1)
            article = "/articles/night-calf-cramps/"

            status, headers, page = via_nginx(port, article)
            assert status == 200
            assert "max-age=" in headers["Strict-Transport-Security"]
            assert headers["Content-Security-Policy"]
            _, again, _ = via_nginx(port, article)
            assert again["X-Micro-Cache"] == "HIT"
            css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1)
            _, static_headers, _ = via_nginx(port, css)
            assert "immutable" in static_headers["Cache-Control"]

            # An editor who may publish saves and publishes through the first app server ...
            editor = Browser(first, "https://localhost")
            editor.sign_in("editor", PASSWORD)
            assert editor.request("/admin/")[1]["Location"].endswith("/admin/two-step-sign-in/")
            editor.set_up_two_step_sign_in()
            _, _, form = editor.request("/admin/articles/article/1/change/")
            fields = form_fields(form, "article_form")
            fields = [
                (name, "Edited on the first server." if name == "sections-0-body" else value)
                for name, value in fields
            ]
            status, _, _ = editor.request(
                "/admin/articles/article/1/change/", [*fields, ("_publish", "Save and publish")]
            )
            assert status == 302

            # ... and the second serves it at once; nginx after its one-second micro-cache.
            _, _, from_second = servers.fetch(second + article, {"Host": "localhost"})
            assert "Edited on the first server." in from_second.decode()
            time.sleep(1.1)
            assert "Edited on the first server." in html.unescape(via_nginx(port, article)[2])
        finally:
            nginx.terminate()
            nginx.wait(timeout=30)
