"""The editors' admin site: two-step sign-in, and no library URL left unguarded."""

from base64 import b32encode
from functools import update_wrapper

import segno
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.safestring import mark_safe
from django_otp import login as otp_login

from articles.accounts.roles import needs_second_factor
from articles.accounts.signin import CodeForm, SignInForm, confirmed_device, unconfirmed_device
from articles.numbers import whole_number

# Pages an unverified person who needs two-step sign-in may still open.
OPEN_BEFORE_SECOND_STEP = {"two_factor", "logout"}

# The menu puts the content editors work on first, and accounts and sign-in records, which
# few open, last; apps not named here sit between, in Django's alphabetical order.
MENU_POSITION = {"articles": -1, "auth": 1, "axes": 2, "otp_totp": 3}


class EditorsAdminSite(admin.AdminSite):
    login_form = SignInForm

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def second_step_first(request, *args, **kwargs):
            user = request.user
            if (
                user.is_active
                and user.is_staff
                and needs_second_factor(user)
                and not user.is_verified()
                and request.resolver_match.url_name not in OPEN_BEFORE_SECOND_STEP
            ):
                return redirect("admin:two_factor")
            return inner(request, *args, **kwargs)

        return update_wrapper(second_step_first, inner)

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        return sorted(apps, key=lambda app: MENU_POSITION.get(app["app_label"], 0))

    def get_urls(self):
        urls = [
            path("two-step-sign-in/", self.admin_view(self.two_factor_view), name="two_factor")
        ]
        for pattern in super().get_urls():
            if getattr(pattern, "name", None) == "view_on_site":
                # Django's shortcut answers any staff user with any object's address,
                # drafts included; ours asks for the right to see that object first.
                pattern = path(
                    "r/<int:content_type_id>/<path:object_id>/",
                    self.admin_view(self.view_on_site),
                    name="view_on_site",
                )
            urls.append(pattern)
        return urls

    def view_on_site(self, request, content_type_id, object_id):
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            if isinstance(model._meta.pk, models.IntegerField) and whole_number(object_id) is None:
                raise ValueError(object_id)  # int() would read other scripts' digits
            obj = model._default_manager.get(pk=object_id)
        except (ObjectDoesNotExist, AttributeError, ValueError) as error:
            raise Http404("No such page.") from error
        model_admin = self._registry.get(model)
        if model_admin is None or not model_admin.has_view_or_change_permission(request, obj):
            raise Http404("No such page.")
        return shortcut(request, content_type_id, object_id)

    def two_factor_view(self, request):
        """Set up an authenticator app, or give its code to finish signing in."""
        user = request.user
        device = confirmed_device(user)
        setting_up = device is None
        if setting_up:
            device = unconfirmed_device(user)
        form = CodeForm(request.POST or None, device=device)
        if request.method == "POST" and form.is_valid():
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                messages.success(
                    request,
                    "Two-step sign-in is on. From now on, signing in asks for a code "
                    "from your app.",
                )
            otp_login(request, device)
            return redirect("admin:index")
        context = {
            **self.each_context(request),
            "title": "Set up two-step sign-in" if setting_up else "Two-step sign-in",
            "form": form,
            "setting_up": setting_up,
            "required": needs_second_factor(user),
        }
        if setting_up:
            secret = b32encode(device.bin_key).decode()
            # In groups of four, for typing into an app that cannot scan.
            context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
            # segno writes the QR code as inline SVG: no image request, nothing for CSP.
            context["qr_code"] = mark_safe(
                segno.make(device.config_url, error="m").svg_inline(
                    scale=4, title="QR code for your authenticator app"
                )
            )
        response = TemplateResponse(request, "admin/two_factor.html", context)
        response["Cache-Control"] = "no-store"
        return response
