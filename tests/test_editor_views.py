"""django-markdownx's preview and upload endpoints answer editors only, and check uploads."""

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.constants import PROXIED_HTTPS
from tests.uploads import image_bytes, stored_files, upload

pytestmark = pytest.mark.django_db

PREVIEW = "markdownx_markdownify"
UPLOAD = "markdownx_upload"


@pytest.fixture
def staff_without_rights_client(django_user_model):
    user = django_user_model.objects.create_user("plain", password="x" * 20, is_staff=False)
    client = Client(headers=PROXIED_HTTPS)
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["client", "staff_without_rights_client"])
def test_preview_refuses_anyone_but_staff(request, who):
    response = request.getfixturevalue(who).post(reverse(PREVIEW), {"content": "**hi**"})

    assert response.status_code == 403
    assert b"<strong>" not in response.content


@pytest.mark.parametrize("who", ["client", "staff_without_rights_client"])
def test_upload_refuses_anyone_but_staff_and_writes_nothing(request, who, settings):
    response = upload(request.getfixturevalue(who), "a.png", image_bytes("PNG"), "image/png")

    assert response.status_code == 403
    assert stored_files(settings) == []


def test_anonymous_upload_without_a_csrf_token_is_refused(settings):
    client = Client(enforce_csrf_checks=True, headers=PROXIED_HTTPS)

    response = upload(client, "a.png", image_bytes("PNG"), "image/png")

    assert response.status_code == 403
    assert stored_files(settings) == []


def test_preview_uses_the_sanitising_renderer(editor_client):
    response = editor_client.post(
        reverse(PREVIEW), {"content": "**bold** <script>alert(1)</script>"}
    )

    assert response.status_code == 200
    assert b"<strong>bold</strong>" in response.content
    assert b"<script" not in response.content


def test_preview_without_content_is_empty_not_an_error(editor_client):
    response = editor_client.post(reverse(PREVIEW), {})

    assert response.status_code == 200
    assert response.content == b""


def test_preview_answers_post_only(editor_client):
    assert editor_client.get(reverse(PREVIEW)).status_code == 405


@pytest.mark.parametrize(
    ("image_format", "claimed_name", "claimed_type", "extension"),
    [
        ("PNG", "photo.png", "image/png", ".png"),
        ("JPEG", "photo.jpg", "image/jpeg", ".jpg"),
        # The real format decides, not the name or type the browser sent.
        ("JPEG", "photo.png", "image/png", ".jpg"),
        ("PNG", "../../evil.html", "image/jpeg", ".png"),
        # Phone cameras write JPEGs that Pillow calls MPO.
        ("MPO", "IMG_0001.JPG", "image/jpeg", ".jpg"),
    ],
)
def test_staff_upload_is_stored_under_a_server_chosen_name(
    editor_client, settings, image_format, claimed_name, claimed_type, extension
):
    response = upload(editor_client, claimed_name, image_bytes(image_format), claimed_type)

    assert response.status_code == 200
    [stored] = stored_files(settings)
    assert stored.startswith("uploads/") and stored.endswith(extension)
    assert "evil" not in stored and "photo" not in stored
    assert f"![](/media/{stored})" == response.json()["image_code"]
    with Image.open(settings.MEDIA_ROOT / stored) as image:
        assert image.format == ("JPEG" if image_format == "MPO" else image_format)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("notes.png", b"this is not an image at all", "image/png"),
        ("half.png", image_bytes("PNG", (64, 64))[:60], "image/png"),
        ("anim.gif", image_bytes("GIF"), "image/gif"),
        ("sneaky.png", image_bytes("GIF"), "image/png"),
        ("vector.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
        ("script.png", b"<script>alert(1)</script>", "text/html"),
        ("empty.png", b"", "image/png"),
    ],
)
def test_bad_uploads_get_a_400_and_store_nothing(
    editor_client, settings, name, content, content_type
):
    response = upload(editor_client, name, content, content_type)

    assert response.status_code == 400
    assert stored_files(settings) == []


def test_an_upload_over_the_size_limit_gets_a_400(editor_client, settings):
    too_big = image_bytes("PNG") + b"\0" * settings.MARKDOWNX_UPLOAD_MAX_SIZE

    response = upload(editor_client, "big.png", too_big, "image/png")

    assert response.status_code == 400
    assert stored_files(settings) == []


def test_upload_without_a_file_gets_a_400(editor_client):
    assert editor_client.post(reverse(UPLOAD), {}).status_code == 400
