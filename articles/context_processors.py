from django.conf import settings


def site(request):
    """Site-wide settings that every template may show."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER,
    }
