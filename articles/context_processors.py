from django.conf import settings
from django.templatetags.static import static

from articles import languages
from articles.helplines import help_lines


def site(request):
    """Site-wide settings and addresses that every template may show."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "PAGE_LANGUAGE": languages.tag(languages.current()),
        "HELP": help_lines(),
        "canonical_url": request.build_absolute_uri(request.path),
        "share_image_url": request.build_absolute_uri(static("img/share.png")),
    }
