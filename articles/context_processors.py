from django.conf import settings
from django.templatetags.static import static


def site(request):
    """Site-wide settings and addresses that every template may show."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER,
        "canonical_url": request.build_absolute_uri(request.path),
        "share_image_url": request.build_absolute_uri(static("img/share.png")),
    }
