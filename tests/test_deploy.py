"""deploy/nginx.conf for real: nginx with TLS in front of two gunicorn processes that share
one PostgreSQL database and one Redis, as several hosts would; its TLS judged by sslyze
against Mozilla's intermediate profile, and its access logs read against the privacy promise.

Needs Debian's nginx and openssl (CI installs nginx); without nginx this skips with that
instruction, except in CI, where it fails. Where Debian's Brotli module is installed, nginx
runs with the two Brotli lines uncommented, as the file tells an operator to.
"""

import base64
import contextlib
import datetime
import html
import os
import re
import shutil
import subprocess
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest
from django_otp.oath import totp
from sslyze import (
    CertificateInfoExtraArgument,
    ScanCommand,
    ScanCommandsExtraArguments,
    Scanner,
    ServerNetworkLocation,
    ServerScanRequest,
    TlsResumptionSupportEnum,
)
from sslyze.mozilla_tls_profile.tls_config_checker import (
    SCAN_COMMANDS_NEEDED_BY_MOZILLA_CHECKER,
    MozillaTlsConfiguration,
    ServerNotCompliantWithTlsConfiguration,
    TlsConfigurationEnum,
    check_server_against_tls_configuration,
)

from tests import servers
from tests.constants import SEED_SLUG
from tests.html_forms import form_fields

pytestmark = [pytest.mark.deploy, pytest.mark.slow]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_STATIC = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
REDIS_URL = os.environ.get("REDIS_DEPLOY_TEST_URL", "redis://127.0.0.1:6379/14")
PASSWORD = "deploy-test-Password-2026"
ARTICLE = f"/articles/{SEED_SLUG}/"
# What a reader searches for: it may be counted, never written to an access log.
SEARCH_WORDS = "tonic water"
# Where render_config and tests/servers.py put the access logs, under the deployment's folder.
NGINX_LOG, GUNICORN_LOGS = "nginx/cramps.access.log", "gunicorn-*.log"


@dataclass
class Tls:
    ca: Path
    ca_key: Path
    certificate: Path
    key: Path


@dataclass
class Deployment:
    folder: Path
    port: int
    first: str
    second: str
    tls: Tls
    brotli: bool

    def logs(self, pattern):
        """The lines of the logs whose paths (under the folder) match, as written so far."""
        return [
            line
            for path in sorted(self.folder.glob(pattern))
            for line in path.read_text(errors="replace").splitlines()
        ]

    def wait_for_log(self, pattern, text, count=1):
        """The log lines holding `text`, once there are `count` of them: a server writes
        its line just after the response, so it may land a moment after the client reads."""
        for _ in range(100):
            lines = [line for line in self.logs(pattern) if text in line]
            if len(lines) >= count:
                return lines
            time.sleep(0.1)
        raise AssertionError(f"{count} line(s) with {text!r} never reached {pattern}")


def render_config(static_root, upstreams, port, http_port, tls, prefix, brotli=False):
    config = (servers.PROJECT / "deploy" / "nginx.conf").read_text()
    replacements = {
        "pid /run/nginx-cramps.pid;": f"pid {prefix}/nginx.pid;",
        "/var/log/nginx/": f"{prefix}/",
        "/var/cache/nginx/cramps": f"{prefix}/cache",
        "server 10.0.0.11:8000": f"server 127.0.0.1:{upstreams[0]}",
        "server 10.0.0.12:8000": f"server 127.0.0.1:{upstreams[1]}",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{port} ssl http2;",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "/etc/ssl/cramps/fullchain.pem": str(tls.certificate),
        "/etc/ssl/cramps/privkey.pem": str(tls.key),
        "/etc/ssl/cramps/chain.pem": str(tls.ca),
        "/etc/ssl/cramps/ffdhe2048.pem": str(servers.PROJECT / "deploy" / "ffdhe2048.pem"),
        "/srv/cramps/staticfiles/": f"{static_root}/",
        "cramps.example.org": "localhost",
    }
    if brotli:
        # What the file tells an operator to do where the module is installed.
        replacements["#load_module "] = "load_module "
        replacements["#brotli_static on;"] = "brotli_static on;"
    for example, local in replacements.items():
        assert example in config, example
        config = config.replace(example, local)
    if os.geteuid() == 0:
        # Workers would drop to www-data, which cannot enter the test's private folders.
        config = "user root;\n" + config
    return config


def openssl(*args):
    return subprocess.run(
        ["openssl", *map(str, args)], check=True, capture_output=True, text=True
    ).stdout


def make_certificates(folder, ocsp_url):
    """A CA, and a certificate it signed for localhost naming an OCSP responder: what a
    public CA gives, so sslyze's certificate checks hold with this CA as its trust store and
    nginx has an answer to staple."""
    tls = Tls(folder / "ca.pem", folder / "ca-key.pem", folder / "cert.pem", folder / "key.pem")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=Night Cramps test CA", "-keyout", tls.ca_key, "-out", tls.ca,
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")  # fmt: skip
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-CA", tls.ca, "-CAkey", tls.ca_key,
            "-keyout", tls.key, "-out", tls.certificate,
            "-addext", "subjectAltName=DNS:localhost",
            "-addext", "basicConstraints=critical,CA:FALSE",
            "-addext", "keyUsage=critical,digitalSignature,keyEncipherment",
            "-addext", "extendedKeyUsage=serverAuth",
            "-addext", f"authorityInfoAccess=OCSP;URI:{ocsp_url}")  # fmt: skip
    return tls


@contextlib.contextmanager
def ocsp_responder(folder, tls, port):
    """openssl's OCSP responder for the test CA, answering that the certificate is good."""
    serial = openssl("x509", "-in", tls.certificate, "-noout", "-serial").strip().split("=")[1]
    not_after = openssl("x509", "-in", tls.certificate, "-noout", "-enddate").strip()
    expires = datetime.datetime.strptime(not_after.split("=")[1], "%b %d %H:%M:%S %Y %Z")
    index = folder / "ocsp-index.txt"
    index.write_text(f"V\t{expires:%y%m%d%H%M%S}Z\t\t{serial}\tunknown\t/CN=localhost\n")
    responder = subprocess.Popen(
        ["openssl", "ocsp", "-index", index, "-port", str(port), "-CA", tls.ca,
         "-rsigner", tls.ca, "-rkey", tls.ca_key],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield
    finally:
        responder.terminate()
        responder.wait(timeout=30)


@contextlib.contextmanager
def scratch_database():
    name = f"cramps_deploy_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**PG, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(**PG, dbname="postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def edge_client(port):
    """A reader's HTTP/2 client. Trust in the certificate is sslyze's to judge, with the CA."""
    return httpx.Client(
        base_url=f"https://127.0.0.1:{port}", http2=True, verify=False, timeout=30,
        headers={"Host": "localhost"},
    )  # fmt: skip


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    if not Path(NGINX).exists():
        message = "nginx not found: apt-get install nginx to run the deployment test."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("deploy")
    with contextlib.ExitStack() as stack:
        # One person edits and publishes here, as a site may allow (by default a second one
        # approves: tests/test_sign_off_trust.py).
        env = {
            "DATABASE_URL": stack.enter_context(scratch_database()),
            "REDIS_URL": REDIS_URL,
            "CRAMPS_SELF_APPROVAL": "true",
            # nginx reaches both gunicorns from here (deploy/README.md, step 2).
            "DJANGO_TRUSTED_PROXIES": "127.0.0.1",
        }
        manage = servers.manage_command(folder / "static", **env)
        manage("migrate", "-v0")
        manage("seed_if_empty", "-v0")
        manage("createsuperuser", "--no-input", "--username", "editor", "--email",
               "e@example.org", extra_env={"DJANGO_SUPERUSER_PASSWORD": PASSWORD})  # fmt: skip
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()

        prefix = folder / "nginx"
        prefix.mkdir()
        ocsp_port = servers.free_port()
        tls = make_certificates(prefix, f"http://127.0.0.1:{ocsp_port}")
        stack.enter_context(ocsp_responder(prefix, tls, ocsp_port))
        static_root = folder / "static"
        first = stack.enter_context(servers.gunicorn(static_root, **env))
        second = stack.enter_context(servers.gunicorn(folder / "static2", **env))

        port, http_port = servers.free_port(), servers.free_port()
        upstreams = [int(first.rsplit(":", 1)[1]), int(second.rsplit(":", 1)[1])]
        brotli = BROTLI_STATIC.exists()
        config = prefix / "nginx.conf"
        config.write_text(
            render_config(static_root, upstreams, port, http_port, tls, prefix, brotli)
        )
        nginx = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(config),
                                  "-g", "daemon off;"])  # fmt: skip
        try:
            with edge_client(port) as edge:
                for _ in range(100):
                    try:
                        edge.get("/healthz")
                        break
                    except httpx.TransportError:
                        time.sleep(0.1)
            yield Deployment(folder, port, first, second, tls, brotli)
        finally:
            nginx.terminate()
            nginx.wait(timeout=30)


@pytest.fixture
def edge(deployment):
    with edge_client(deployment.port) as client:
        yield client


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


def test_two_app_servers_behind_nginx_share_database_and_cache(deployment, edge):
    response = edge.get(ARTICLE)
    assert response.status_code == 200
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    assert response.headers["Content-Security-Policy"]

    # An editor who may publish saves and publishes through the first app server ...
    editor = Browser(deployment.first, "https://localhost")
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

    # ... and the second serves it at once; nginx once its one-second micro-cache expires.
    _, _, from_second = servers.fetch(deployment.second + ARTICLE, {"Host": "localhost"})
    assert "Edited on the first server." in from_second.decode()
    for _ in range(30):
        if "Edited on the first server." in html.unescape(edge.get(ARTICLE).text):
            break
        time.sleep(0.1)
    assert "Edited on the first server." in html.unescape(edge.get(ARTICLE).text)


def test_micro_cache_answers_a_burst_and_says_so_only_in_the_log(deployment, edge):
    answers = [edge.get("/diary/") for _ in range(2)]
    for answer in answers:
        assert answer.status_code == 200
        # Whether a cache answered is the operators' business: neither nginx's micro-cache
        # nor Django's page cache (X-Cache) says so to the public.
        assert not {"x-micro-cache", "x-cache"} & set(answer.headers)
    lines = deployment.wait_for_log(NGINX_LOG, "GET /diary/ ", count=2)
    assert [line.rsplit(" ", 1)[1] for line in lines] == ["MISS", "HIT"]


def test_tls_is_mozillas_intermediate_profile(deployment):
    """sslyze's own verdict against Mozilla's intermediate profile, certificate checks
    included: the test CA is its trust store, as a public CA is in production."""
    scanner = Scanner()
    scanner.queue_scans([
        ServerScanRequest(
            server_location=ServerNetworkLocation(
                "localhost", deployment.port, ip_address="127.0.0.1"
            ),
            scan_commands={*SCAN_COMMANDS_NEEDED_BY_MOZILLA_CHECKER,
                           ScanCommand.SESSION_RESUMPTION},
            scan_commands_extra_arguments=ScanCommandsExtraArguments(
                certificate_info=CertificateInfoExtraArgument(custom_ca_file=deployment.tls.ca)
            ),
        )
    ])  # fmt: skip
    (result,) = scanner.get_results()
    intermediate = MozillaTlsConfiguration.get(TlsConfigurationEnum.MOZILLA_INTERMEDIATE)
    try:
        check_server_against_tls_configuration(result, intermediate)
    except ServerNotCompliantWithTlsConfiguration as error:
        pytest.fail(f"not Mozilla's intermediate profile: {error.issues}")
    # The profile's session settings, which sslyze's verdict leaves out: resumed from the
    # shared cache, never from tickets. (sslyze makes its five tries at once; on a busy
    # machine one may time out, so "partly" counts as resumed.)
    resumption = result.scan_result.session_resumption.result
    assert resumption.session_id_successful_resumptions_count >= 1
    assert resumption.tls_ticket_resumption_result == TlsResumptionSupportEnum.NOT_SUPPORTED


def test_nginx_staples_a_verified_ocsp_answer(deployment):
    # Each worker asks the responder after its first handshake, and staples from then on.
    for _ in range(100):
        handshake = subprocess.run(
            ["openssl", "s_client", "-connect", f"127.0.0.1:{deployment.port}",
             "-servername", "localhost", "-status"],
            input="", capture_output=True, text=True, timeout=30,
        ).stdout  # fmt: skip
        if "OCSP Response Status: successful" in handshake:
            break
        time.sleep(0.1)
    assert "OCSP Response Status: successful" in handshake
    assert "Cert Status: good" in handshake


def test_readers_get_http2(edge):
    assert edge.get(ARTICLE).http_version == "HTTP/2"


def test_static_files_cached_for_good_only_when_hashed_and_there(deployment, edge):
    page = edge.get(ARTICLE).text
    hashed = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1)

    gzipped = edge.get(hashed, headers={"Accept-Encoding": "gzip"})
    assert gzipped.status_code == 200
    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in gzipped.headers.get("Vary", "")
    assert "immutable" in gzipped.headers["Cache-Control"]
    if deployment.brotli:
        brotli = edge.get(hashed, headers={"Accept-Encoding": "br, gzip"})
        assert brotli.headers["Content-Encoding"] == "br"
        assert "Accept-Encoding" in brotli.headers.get("Vary", "")
        assert brotli.text == gzipped.text

    # The same file under its unhashed name may change with a release: kept briefly.
    unhashed = edge.get(re.sub(r"\.[0-9a-f]{12}\.", ".", hashed))
    assert unhashed.status_code == 200
    assert "immutable" not in unhashed.headers["Cache-Control"]
    max_age = int(re.search(r"max-age=(\d+)", unhashed.headers["Cache-Control"]).group(1))
    assert max_age <= 3600

    # A hashed name this host does not have (yet) is not remembered for ten years.
    missing = edge.get(re.sub(r"\.[0-9a-f]{12}\.", ".000000000000.", hashed))
    assert missing.status_code == 404
    assert "Cache-Control" not in missing.headers


def test_access_logs_keep_no_search_words_and_no_feedback_addresses(deployment, edge):
    assert edge.get("/search/", params={"q": SEARCH_WORDS}).status_code == 200
    referer = f"https://localhost/search/?{urllib.parse.urlencode({'q': SEARCH_WORDS})}"
    assert edge.get(ARTICLE, headers={"Referer": referer}).status_code == 200
    answer = edge.post(
        f"{ARTICLE}feedback/", data={"useful": "yes"}, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert answer.status_code == 302
    assert edge.get(answer.headers["Location"]).status_code == 200

    for log in (NGINX_LOG, GUNICORN_LOGS):
        deployment.wait_for_log(log, "POST /articles/")
        deployment.wait_for_log(log, "/feedback/thanks/")
        searches = deployment.wait_for_log(log, "GET /search/")
        # The words are in no line: not the search's, not the Referer of the page after it.
        word = SEARCH_WORDS.split()[0]  # as it appears however the query was encoded
        assert not [line for line in deployment.logs(log) if word in line]
        # The reader's address and browser are in no line under the feedback address ...
        feedback = [line for line in deployment.logs(log) if "/feedback/" in line]
        assert not [line for line in feedback if "127.0.0.1" in line or "python-httpx" in line]
        # ... while other lines still name them, as an operator needs.
        assert all("127.0.0.1" in line and "python-httpx" in line for line in searches)
