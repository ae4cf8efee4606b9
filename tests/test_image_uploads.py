"""What an uploaded image is checked for before any pixel is decoded, and what of the file
is kept: the pixels, the way up and the colours, never what a camera or an editor's
program wrote about it."""

import pytest
from PIL import Image, ImageCms, ImageFile, PngImagePlugin

from tests.uploads import encoded, stored_files, stored_image, upload

pytestmark = pytest.mark.django_db

PRIVATE = [b"Dr Ash's laptop", b"2026:03:14", b"patient 4471", b"Room 12"]


def exif():
    tags = Image.Exif()
    tags[0x010E] = "patient 4471"  # ImageDescription
    tags[0x0112] = 6  # Orientation: the camera was turned; show it rotated a quarter turn
    tags.get_ifd(0x8825)[0x001D] = "2026:03:14"  # the GPS date stamp: where it was, when
    return tags


@pytest.fixture
def decoded(monkeypatch):
    """The format of every image whose pixels are decoded, in order."""
    formats = []
    load = ImageFile.ImageFile.load

    def recording_load(image):
        if image.tile:  # pixels still to decode; a loaded image has none left
            formats.append(image.format)
        return load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", recording_load)
    return formats


@pytest.mark.parametrize(
    ("name", "content", "answer"),
    [
        ("big.webp", encoded(Image.new("RGB", (64, 64)), "WEBP"), "not a JPEG or PNG"),
        ("deep.png", encoded(Image.new("I;16", (64, 64)), "PNG"), "16 bits"),
    ],
    ids=["webp", "16-bit png"],
)
def test_a_refused_format_or_colour_depth_is_refused_from_its_header_alone(
    editor_client, settings, decoded, name, content, answer
):
    response = upload(editor_client, name, content, "image/png")

    assert decoded == []  # no pixel read: a 49-megapixel WebP costs nothing to refuse
    assert response.status_code == 400
    assert answer in response.json()["error"]
    assert stored_files(settings) == []


def test_an_accepted_image_is_decoded_once(editor_client, decoded):
    content = encoded(Image.new("RGB", (64, 64), "teal"), "PNG")

    assert upload(editor_client, "calf.png", content, "image/png").status_code == 200
    assert decoded == ["PNG"]


def test_a_jpeg_keeps_its_pixels_way_up_and_colours_but_no_comment_exif_or_xmp(
    editor_client, settings
):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo = encoded(
        Image.new("RGB", (40, 20), "teal"), "JPEG",
        comment=b"Dr Ash's laptop", exif=exif(), xmp=b"<x:xmpmeta>Room 12</x:xmpmeta>",
        icc_profile=srgb,
    )  # fmt: skip

    response = upload(editor_client, "photo.jpg", photo, "image/jpeg")

    assert response.status_code == 200
    content, image = stored_image(settings, response)
    with image:
        assert "comment" not in image.info and "exif" not in image.info
        assert not image.getexif()
        assert image.size == (20, 40)  # turned the way the camera was held
        assert response.json()["url"].endswith("-20x40.jpg")
        assert image.info["icc_profile"] == srgb  # colours say nothing about anyone
    assert not [secret for secret in PRIVATE if secret in content]


def test_a_png_keeps_its_transparency_but_no_text_or_exif(editor_client, settings):
    notes = PngImagePlugin.PngInfo()
    notes.add_text("Author", "Dr Ash's laptop")
    notes.add_itxt("Comment", "patient 4471")
    picture = Image.new("P", (30, 10))
    picture.info["transparency"] = 0
    content = encoded(picture, "PNG", pnginfo=notes, exif=exif(), transparency=0)

    response = upload(editor_client, "diagram.png", content, "image/png")

    assert response.status_code == 200
    stored, image = stored_image(settings, response)
    with image:
        assert not image.getexif() and not image.text
        assert image.size == (10, 30)
        assert image.info.get("transparency") == 0
    assert not [secret for secret in PRIVATE if secret in stored]


def test_a_large_image_is_made_to_fit_the_page(editor_client, settings):
    settings.MARKDOWNX_IMAGE_MAX_SIZE = {"size": (1200, 1200), "quality": 85}
    content = encoded(Image.new("RGB", (2400, 600), "teal"), "JPEG")

    response = upload(editor_client, "wide.jpg", content, "image/jpeg")

    assert response.json()["url"].endswith("-1200x300.jpg")
    with stored_image(settings, response)[1] as image:
        assert image.size == (1200, 300)
