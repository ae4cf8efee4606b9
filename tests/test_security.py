"""Headers, cookies, sessions, lockouts and paths that must never leak."""

import datetime

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from articles.accounts.addresses import client_ip
from tests.constants import PROXIED_HTTPS
from tests.processes import manage

pytestmark = pytest.mark.django_db

ONE_YEAR = 365 * 24 * 3600


def directives(policy):
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize(
    "path", ["/", "/articles/night-calf-cramps/", "/static/css/site.css", "/admin/login/",
             "/no-such-page/", "/sitemap.xml"],
)  # fmt: skip
def test_every_response_carries_the_security_headers(client, seed_article, path):
    response = client.get(path)
    policy = directives(response["Content-Security-Policy"])
    hsts = dict(
        part.strip().partition("=")[::2]
        for part in response["Strict-Transport-Security"].split(";")
    )

    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)
    assert int(hsts["max-age"]) >= ONE_YEAR
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_cookies_are_secure_http_only_and_host_bound(client, admin_user):
    client.get(reverse("admin:login"))
    csrf = client.cookies["__Host-csrftoken"]
    client.post(
        reverse("admin:login"),
        {"username": "admin", "password": "password", "csrfmiddlewaretoken": csrf.value},
    )
    session = client.cookies["__Host-sessionid"]

    for cookie in (csrf, session):
        assert cookie["secure"] and cookie["httponly"]
        assert cookie["path"] == "/" and not cookie["domain"]
        assert cookie["samesite"] == "Lax"


def login(client, password, address):
    return client.post(
        reverse("admin:login"),
        {"username": "admin", "password": password, "next": "/admin/"},
        REMOTE_ADDR="127.0.0.1",
        headers={"X-Forwarded-For": f"203.0.113.66, {address}"},
    )


def test_a_password_guesser_is_locked_out_by_username_and_real_address(admin_user, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client connects from our proxy
    guesser = Client(headers=PROXIED_HTTPS)
    for attempt in range(4):
        assert login(guesser, f"wrong-{attempt}", "198.51.100.7").status_code == 200
    assert login(guesser, "wrong-4", "198.51.100.7").status_code == 429  # the fifth

    locked = login(guesser, "password", "198.51.100.7")
    other_address = login(Client(headers=PROXIED_HTTPS), "password", "198.51.100.8")

    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    assert other_address.status_code == 302  # the proxy's own address was not what counted


def test_the_client_address_comes_from_our_proxy_not_the_client(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/24"]
    via_proxy = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7"
    )
    via_network = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.12", HTTP_X_FORWARDED_FOR="2001:db8::7"
    )
    direct = RequestFactory().get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    garbled = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="x, <b>")

    assert client_ip(via_proxy) == "198.51.100.7"
    assert client_ip(via_network) == "2001:db8::7"
    assert client_ip(direct) == "198.51.100.9"
    assert client_ip(garbled) == "127.0.0.1"  # not an address: the proxy's own is what we know


def test_no_proxy_is_trusted_until_one_is_configured(settings, caplog, monkeypatch):
    from articles.accounts import addresses
    from cramps import settings as production

    # Whatever connects from this machine (another site's reverse proxy, an SSH tunnel)
    # could otherwise name any address it likes.
    assert production.TRUSTED_PROXIES == []
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    settings.TRUSTED_PROXIES = production.TRUSTED_PROXIES
    monkeypatch.setattr(addresses, "_told_of_untrusted_proxy", False)

    assert client_ip(request) == "127.0.0.1"
    assert client_ip(request) == "127.0.0.1"
    # The operator who forgot to name their proxy is told, once.
    [warning] = [r.getMessage() for r in caplog.records if "X-Forwarded-For" in r.getMessage()]
    assert "DJANGO_TRUSTED_PROXIES" in warning


def test_a_trusted_proxy_that_is_not_an_address_stops_start_up():
    result = manage(
        "check", DJANGO_SECRET_KEY="x" * 50, DJANGO_TRUSTED_PROXIES="10.0.0.11,nginx.local"
    )

    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES: 'nginx.local' does not appear to be" in result.stderr


def test_weak_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("password123", "12345678901234", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("calm-blue-kettle-sings-at-dawn")


@pytest.mark.parametrize(
    "path", ["/.git/config", "/.git/HEAD", "/.env", "/media/anything.html", "/static/../.env",
             "/manage.py", "/db.sqlite3"],
)  # fmt: skip
def test_private_files_are_never_served(client, path):
    assert client.get(path).status_code == 404


def test_uploaded_images_only_are_served_when_django_serves_media(settings, tmp_path):
    from django.test import override_settings
    from django.urls import clear_url_caches

    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "0b6f5a4e-2f7c-4b8e-9d1a-0123456789ab.png").write_bytes(b"png")
    (tmp_path / "uploads" / "0b6f5a4e-2f7c-4b8e-9d1a-0123456789ab.html").write_bytes(b"<p>")
    settings.MEDIA_ROOT = tmp_path
    import importlib

    import cramps.urls

    try:
        with override_settings(SERVE_MEDIA=True):
            importlib.reload(cramps.urls)
            clear_url_caches()
            client = Client(headers=PROXIED_HTTPS)
            png = client.get("/media/uploads/0b6f5a4e-2f7c-4b8e-9d1a-0123456789ab.png")
            html = client.get("/media/uploads/0b6f5a4e-2f7c-4b8e-9d1a-0123456789ab.html")
    finally:
        # Back to the URLs of the real settings, where Django serves no media at all.
        importlib.reload(cramps.urls)
        clear_url_caches()

    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert html.status_code == 404


def test_load_balancers_can_probe_health_over_plain_http(db):
    plain = Client(headers={"Host": "localhost"})

    assert plain.get("/healthz").status_code == 200
    assert plain.get("/readyz").status_code == 200
    assert plain.get("/").status_code == 301


def test_a_staff_session_ends_after_the_idle_limit_and_each_request_renews_it(
    admin_client, settings
):
    settings.STAFF_SESSION_IDLE = datetime.timedelta(minutes=30)
    index = reverse("admin:index")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert admin_client.get(index).status_code == 200
        for _ in range(3):  # 75 minutes signed in, never more than 25 of them idle
            clock.shift(datetime.timedelta(minutes=25))
            assert admin_client.get(index).status_code == 200
        clock.shift(datetime.timedelta(minutes=31))
        idle = admin_client.get(index)

    assert idle.status_code == 302
    assert idle["Location"].startswith(reverse("admin:login"))
    assert "_auth_user_id" not in admin_client.session


def test_a_readers_page_touches_no_session(client, seed_article):
    response = client.get(seed_article.get_absolute_url())

    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_the_idle_limit_starts_at_sign_in(django_user_model, settings):
    django_user_model.objects.create_user("pat", password="a-long-editor-password", is_staff=True)
    browser = Client(headers=PROXIED_HTTPS)
    index = reverse("admin:index")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        signed_in = browser.post(
            reverse("admin:login"),
            {"username": "pat", "password": "a-long-editor-password", "next": index},
        )
        assert signed_in.status_code == 302
        clock.shift(settings.STAFF_SESSION_IDLE + datetime.timedelta(minutes=1))
        idle = browser.get(index)

    assert idle.status_code == 302
    assert idle["Location"].startswith(reverse("admin:login"))
