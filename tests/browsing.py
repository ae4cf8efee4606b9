"""What the browser tests share: Debian's Chromium, driven by Playwright, checked by axe-core,
and signed in as editors. The fixtures that use it are in tests/conftest.py."""

import os

from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.constants import FORWARDED_HTTPS

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Chromium as root in a sandbox, with nothing that reaches out to the network.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PHONE, DESKTOP = {"width": 320, "height": 720}, {"width": 1280, "height": 800}
FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])"


def number_focusable(page, within=""):
    """Number each visible element Tab should reach (inside `within`, a selector), to tell
    which ones it did (focus_walk); their count. checkVisibility leaves out what sits in a
    closed <details>, which still has boxes in Chromium."""
    selector = f"{within} :is({FOCUSABLE})" if within else FOCUSABLE
    return page.eval_on_selector_all(
        selector,
        """els => els.filter(e => e.checkVisibility())
                     .map((e, i) => (e.dataset.tabCheck = i)).length""",
    )


def focus_walk(page, steps):
    """Press Tab from where focus is until it leaves the page (at most `steps` times): the
    numbers of the numbered elements it reached, and those it reached with no visible focus."""
    reached, invisible = set(), []
    for _ in range(steps):
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (el === document.body) return null;
                const style = getComputedStyle(el);
                const shown = style.boxShadow !== "none" ||
                    (style.outlineStyle !== "none" && style.outlineWidth !== "0px");
                return [el.dataset.tabCheck, shown, el.outerHTML.slice(0, 80)];
            }"""
        )
        if focused is None:  # past the last element, focus leaves the page
            break
        if focused[0] is not None:
            reached.add(focused[0])
            if not focused[1]:
                invisible.append(focused[2])
        page.keyboard.press("Tab")
    return reached, invisible


def editor_account(username="ed"):
    """A member of staff with every right on articles but publishing: an editor."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user(username, password="x" * 20, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles").exclude(
            codename__in=["publish_article", "record_clinical_review"]
        )
    )
    return user


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} elements: "
        f"{', '.join(node['target'][0] for node in violation['nodes'][:3])})"
        for violation in results.response["violations"]
    ]


def signed_in_as(context, live_server, user):
    """Give the browser a session of the server's making for `user`: the sign-in pages are
    walked once, in the sign-off test (signed_in_page), not before every editor's test."""
    session = Client()
    session.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    # Host-only, Secure and for every path, as the __Host- prefix requires.
    host = live_server.url.split("://")[1].split(":")[0]
    cookie = {"name": name, "value": session.cookies[name].value, "domain": host, "path": "/"}
    context.add_cookies([{**cookie, "secure": True, "httpOnly": True}])


def signed_in_page(browser, live_server, username, *, publishes):
    """A browser signed in through the sign-in page as a new editor, or as a clinical
    reviewer, who also gives a code from an authenticator app (two-step sign-in)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.create_user(username, password="x" * 20, is_staff=True)
    perms = Permission.objects.filter(content_type__app_label="articles")
    if not publishes:
        perms = perms.exclude(codename__in=["publish_article", "record_clinical_review"])
    user.user_permissions.set(perms)
    context = browser.new_context(viewport=DESKTOP, extra_http_headers=FORWARDED_HTTPS)
    page = context.new_page()
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", "x" * 20)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if publishes:
        device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
        page.goto(live_server.url + reverse("admin:two_factor"))
        page.fill("input[name=token]", f"{totp(device.bin_key):06d}")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    return page
