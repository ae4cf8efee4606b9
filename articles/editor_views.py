"""django-markdownx's preview and upload endpoints, for staff only and strict about input.

Out of the box they answer anyone, trust the browser's content type and raise a 500 on
bytes that are not an image; these subclasses close each of those gaps.
"""

from functools import wraps
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from markdownx.forms import ImageForm
from markdownx.views import ImageUploadView, MarkdownifyView
from PIL import Image, UnidentifiedImageError

from articles.editorial import READING_AGE_AIM, reading_age
from articles.markdown import render_markdown

# The real image format decides the stored extension, never the uploaded name.
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "MPO": "jpg"}  # MPO: phone cameras' JPEG


def staff_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            return HttpResponseForbidden("Only signed-in editors can use this.")
        return view(request, *args, **kwargs)

    return wrapper


class StrictImageForm(ImageForm):
    def clean(self):
        upload = super().clean()
        try:
            with Image.open(upload) as image:
                image_format = image.format
                image.load()  # decodes every pixel, so a truncated file fails here
        except (
            Image.DecompressionBombError,
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
        ) as error:
            raise ValidationError("This file is not a JPEG or PNG image.") from error
        if image_format not in EXTENSIONS:
            raise ValidationError("Only JPEG and PNG images can be uploaded.")
        upload.seek(0)
        upload.content_type = "image/png" if image_format == "PNG" else "image/jpeg"
        self.extension = EXTENSIONS[image_format]
        return upload

    def get_unique_file_name(self, file_name):
        return f"{uuid4()}.{self.extension}"


@method_decorator(staff_only, name="dispatch")
class StaffImageUploadView(ImageUploadView):
    form_class = StrictImageForm
    http_method_names = ["post"]

    def form_invalid(self, form):
        return JsonResponse(form.errors, status=400)

    def form_valid(self, form):
        return JsonResponse({"image_code": f"![]({form.save(commit=True)})"})


@method_decorator(staff_only, name="dispatch")
class StaffMarkdownifyView(MarkdownifyView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        content = request.POST.get("content", "")
        return HttpResponse(render_markdown(content) + reading_age_note(content))


def reading_age_note(content):
    """A line under the preview: the text's reading age against the NHS aim."""
    age = reading_age(content)
    if age is None:
        return ""
    low, high = READING_AGE_AIM
    advice = " Try shorter sentences and everyday words." if age > high else ""
    return format_html(
        '<p class="reading-age reading-age--{}">Reading age about {} (aim: {} to {}).{}</p>',
        "ok" if age <= high else "high",
        age,
        low,
        high,
        advice,
    )
