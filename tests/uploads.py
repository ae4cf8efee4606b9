"""Images for the upload endpoint, as a browser would send them, and what it stored."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

UPLOAD = "markdownx_upload"


def image_bytes(image_format, size=(8, 8)):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, "teal")
    if image_format == "MPO":  # two frames, as a phone camera writes them
        image.save(buffer, "MPO", save_all=True, append_images=[Image.new("RGB", size)])
    else:
        image.save(buffer, image_format)
    return buffer.getvalue()


def upload(client, name, content, content_type):
    return client.post(reverse(UPLOAD), {"image": SimpleUploadedFile(name, content, content_type)})


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def encoded(image, image_format, **options):
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def stored_image(settings, response):
    """The file an upload stored, read back: (its bytes, its image opened by Pillow)."""
    path = settings.MEDIA_ROOT / response.json()["url"].removeprefix(settings.MEDIA_URL)
    return path.read_bytes(), Image.open(path)
