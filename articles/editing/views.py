"""django-markdownx's preview and upload endpoints, for editors only and strict about input.

Out of the box they answer anyone, trust the browser's content type, decode any image
whatever its pixel count and render any amount of text; these subclasses close each gap.
"""

import warnings
from functools import wraps
from io import SEEK_END, BytesIO
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden, JsonResponse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from markdownx.forms import ImageForm
from markdownx.views import ImageUploadView, MarkdownifyView
from PIL import Image, ImageOps, UnidentifiedImageError

from articles.accounts.roles import needs_second_factor
from articles.editing.writing import notes_html
from articles.markdown import MARKDOWN_MAX_LENGTH, markdown_problem, render_markdown
from articles.numbers import declared_length

# The real image format decides the stored extension, never the uploaded name.
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "MPO": "jpg"}  # MPO: phone cameras' JPEG
# The only Pillow readers an upload is shown to (the JPEG reader also opens MPO).
READERS = ["JPEG", "PNG"]
# A 48-megapixel phone photo fits; a small file that claims more pixels is a decompression
# bomb (Pillow itself refuses only at twice its own, much larger, limit).
MAX_UPLOAD_PIXELS = 50_000_000
# Eight bits a colour, as browsers show them and Pillow re-encodes them unchanged; a
# 16-bit greyscale PNG ("I;16") is neither.
ALLOWED_MODES = {"1", "L", "LA", "P", "RGB", "RGBA", "CMYK"}
# What of a file's own information survives re-encoding: how its colours are meant and
# which palette entry is see-through. Comments, EXIF (camera, place, time) and text go.
KEPT_INFO = ("icc_profile", "transparency")
# Room for the form's own encoding around the largest file or text we accept.
POST_OVERHEAD = 64 * 1024
EDITOR_PERMISSIONS = ("articles.add_article", "articles.change_article")


def upload_limit():
    """The largest image an editor may upload, as the dialog and the refusal both say it."""
    return f"{settings.MARKDOWNX_UPLOAD_MAX_SIZE // 1024 // 1024} MB"


def editors_only(max_bytes):
    """Only people who may write articles, and no request body larger than max_bytes,
    refused from its declared length before any of it is read."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not (
                user.is_active
                and user.is_staff
                and any(user.has_perm(permission) for permission in EDITOR_PERMISSIONS)
            ):
                return HttpResponseForbidden("Only signed-in editors can use this.")
            if needs_second_factor(user) and not user.is_verified():
                return HttpResponseForbidden("Finish two-step sign-in first.")
            length = declared_length(request)
            if length is None:
                return HttpResponseBadRequest("The request length is not a number.")
            if length > max_bytes + POST_OVERHEAD:
                return HttpResponse("This is too large to send.", status=413)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class StrictImageForm(ImageForm):
    def clean(self):
        # markdownx's own checks trust the browser's content type; the file's real format is
        # read below instead, and each refusal says what to do in an editor's words.
        upload = self.cleaned_data.get("image")
        if not upload:
            raise ValidationError("Choose an image file (JPEG or PNG) to upload.")
        if upload.size > settings.MARKDOWNX_UPLOAD_MAX_SIZE:
            raise ValidationError(
                f"This file is {upload.size / 1024 / 1024:.1f} MB; an image can be up to "
                f"{upload_limit()}. Make it smaller and upload it again."
            )
        try:
            with warnings.catch_warnings():
                # Pillow warns of a possible decompression bomb; the size check refuses it.
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                # Only the JPEG and PNG readers see the file, and they read its header only:
                # everything up to load() below costs the same for any number of pixels.
                image = Image.open(upload, formats=READERS)
            if image.width * image.height > MAX_UPLOAD_PIXELS:
                raise ValidationError(
                    f"This image is {image.width} by {image.height} pixels. Make it "
                    "smaller (under 50 megapixels) and upload it again."
                )
            if image.mode not in ALLOWED_MODES:
                raise ValidationError(
                    "This image has 16 bits per colour. Save it as an ordinary PNG or JPEG "
                    "(8 bits per colour) and upload it again."
                )
            image.load()  # decodes every pixel, so a truncated file fails here
            # A phone's photo is stored on its side with a note of the way up; the note
            # goes with the rest of the metadata, so the pixels are turned now.
            ImageOps.exif_transpose(image, in_place=True)
        except (
            Image.DecompressionBombError,
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
        ) as error:
            raise ValidationError("This file is not a JPEG or PNG image.") from error
        self.picture = image
        upload.content_type = "image/png" if image.format == "PNG" else "image/jpeg"
        self.extension = EXTENSIONS[image.format]
        return upload

    def _process_raster(self, image, extension):
        """The picture clean() decoded, made to fit MARKDOWNX_IMAGE_MAX_SIZE as markdownx
        would, and encoded afresh with none of the file's own information but KEPT_INFO."""
        limits = settings.MARKDOWNX_IMAGE_MAX_SIZE
        picture = self.picture
        scale = min(limits["size"][0] / picture.width, limits["size"][1] / picture.height)
        if scale < 1:
            size = (int(picture.width * scale), int(picture.height * scale))
            picture = picture.resize(size, Image.Resampling.LANCZOS)
        kept = {key: picture.info[key] for key in KEPT_INFO if key in picture.info}
        picture.info = {}  # Pillow would write some of it (a JPEG's comment) unasked
        # The size is kept in the name: the page then gives readers each image's width and
        # height without opening the file (articles.markdown).
        self.size = picture.size
        encoded = BytesIO()
        picture.save(encoded, extension, quality=limits.get("quality", 85), **kept)
        self.picture.close()
        encoded.seek(0, SEEK_END)  # markdownx reads the length from the position
        return encoded

    def get_unique_file_name(self, file_name):
        width, height = self.size
        return f"{uuid4()}-{width}x{height}.{self.extension}"


@method_decorator(editors_only(settings.MARKDOWNX_UPLOAD_MAX_SIZE), name="dispatch")
class StaffImageUploadView(ImageUploadView):
    form_class = StrictImageForm
    http_method_names = ["post"]

    def form_invalid(self, form):
        messages = [message for errors in form.errors.values() for message in errors]
        return JsonResponse({"error": " ".join(messages)}, status=400)

    def form_valid(self, form):
        # The editor's script writes the image code, with the alt text the editor gives.
        url = form.save(commit=True)
        return JsonResponse({"image_code": f"![]({url})", "url": url})


# Four bytes a character at most in UTF-8, three times that once form-encoded.
@method_decorator(editors_only(MARKDOWN_MAX_LENGTH * 12), name="dispatch")
class StaffMarkdownifyView(MarkdownifyView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        return HttpResponse(preview_html(request.POST.get("content", "")))


def preview_html(content):
    """A box's preview: the text as readers will see it, its reading age and its checks.
    The change page draws each box's first preview with this too, so that opening it
    costs no request per box."""
    problem = markdown_problem(content)
    if problem:
        return format_html('<p class="markdown-problem">{}</p>', problem)
    return mark_safe(render_markdown(content)) + notes_html(content)  # sanitised by nh3
