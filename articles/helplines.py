"""The telephone numbers readers are told to call, as the site's settings give them."""

from django.conf import settings


def tel_address(number):
    """A tel: link for `number`, which phones dial as written: digits and a leading +."""
    return "tel:" + "".join(c for c in number if c.isdigit() or c == "+")


def help_lines():
    """The emergency number (and another that also works), and the urgent same-day service."""
    return {
        "emergency": settings.EMERGENCY_NUMBER,
        "emergency_tel": tel_address(settings.EMERGENCY_NUMBER),
        "emergency_also": settings.EMERGENCY_NUMBER_ALSO,
        "emergency_also_tel": tel_address(settings.EMERGENCY_NUMBER_ALSO),
        "urgent_service": settings.URGENT_SERVICE,
        "urgent": settings.URGENT_NUMBER,
        "urgent_tel": tel_address(settings.URGENT_NUMBER),
    }
