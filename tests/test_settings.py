"""The real settings module, loaded in a fresh process with a given environment."""

from django.test import Client

from tests.processes import PROJECT, manage, settings_in_a_fresh_process

SECRET = "a-production-like-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def test_debug_off_without_a_secret_key_stops_start_up():
    result = manage("check")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deployment_checks_with_nothing_silenced():
    result = manage(
        "check", "--deploy", "--fail-level", "DEBUG",
        DJANGO_SECRET_KEY=SECRET, DJANGO_ALLOWED_HOSTS="cramps.example.org",
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_debug_on_runs_without_a_secret_key():
    assert manage("check", DJANGO_DEBUG="true").returncode == 0


def test_debug_off_means_production_settings():
    values = settings_in_a_fresh_process(
        "DEBUG", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_NAME", "SECURE_HSTS_SECONDS",
        DJANGO_SECRET_KEY=SECRET,
    )  # fmt: skip

    assert values == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "SECURE_HSTS_SECONDS": 63072000,
    }


def test_make_run_can_serve_plain_http_on_localhost():
    values = settings_in_a_fresh_process(
        "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
        DJANGO_SECRET_KEY=SECRET, DJANGO_HTTPS="false",
    )  # fmt: skip

    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
    }


def test_plain_http_without_the_proxy_header_redirects_to_https(db):
    response = Client().get("/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


def test_database_url_picks_the_database():
    [database] = settings_in_a_fresh_process(
        "DATABASES", DJANGO_DEBUG="true", DATABASE_URL="postgres://user:pw@db.example:5433/cramps"
    ).values()

    assert database["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert (database["default"]["HOST"], database["default"]["PORT"]) == ("db.example", 5433)


def test_sqlite_file_inside_the_project_is_the_default():
    [database] = settings_in_a_fresh_process("DATABASES", DJANGO_DEBUG="true").values()

    assert database["default"]["NAME"] == str(PROJECT / "db.sqlite3")
