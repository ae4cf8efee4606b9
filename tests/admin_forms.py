"""Reads an admin change page's forms back into POST data, as a browser would submit them,
and saves or restores an article through the admin as an editor would."""

import datetime

from django.conf import settings
from django.forms import MultiWidget
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils.module_loading import import_string
from reversion.models import Version

from tests.constants import PROXIED_HTTPS


def _form_values(form):
    data = {}
    for field in form:
        value = field.value()
        if value is None:
            continue
        widget = field.field.widget
        if isinstance(widget, MultiWidget):
            parts = value if isinstance(value, list) else widget.decompress(value)
            for index, part in enumerate(parts):
                data[f"{field.html_name}_{index}"] = "" if part is None else part
        elif isinstance(value, bool):
            if value:
                data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = list(value)
        else:
            data[field.html_name] = value
    return data


def change_form_data(response, publish=True):
    """The POST data for saving the change page in `response` unchanged. For a published
    article, by default with "Save and publish" (which those who may publish have), so that
    the save reaches readers; `publish=False` is plain "Save". A draft is saved as a draft."""
    data = _form_values(response.context["adminform"].form)
    if publish and data.get("status") == "published":
        data["_publish"] = "Save and publish"
    if "reviewer_role" in response.context["adminform"].form.fields:
        # A clinician publishing gives their role, as readers are told it.
        data["reviewer_role"] = data.get("reviewer_role") or "Consultant neurologist"
    for inline in response.context["inline_admin_formsets"]:
        data.update(_form_values(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(_form_values(form))
    return data


def inline_prefix(response, model):
    """The form prefix Django gave the inline of `model` on this page."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return inline.formset.prefix
    raise LookupError(model)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


# The middleware from here on makes a request a signed-in member of staff's; those before it,
# and CommonMiddleware (Content-Length), read or compress the rendered page.
FIRST_STAFF_MIDDLEWARE = "django.contrib.sessions.middleware.SessionMiddleware"
READS_THE_BODY = {"django.middleware.common.CommonMiddleware"}


def unrendered(client, url):
    """An admin page's response as its view returns it to `client`'s user, with its forms in
    `.context`, but never rendered: reading a form back from the change page should not cost
    rendering its half a megabyte of HTML, where that HTML is not what a test checks."""
    request = RequestFactory(headers=PROXIED_HTTPS).get(url)
    request.COOKIES.update({name: morsel.value for name, morsel in client.cookies.items()})
    match = request.resolver_match = resolve(request.path_info)

    def handler(request):
        return match.func(request, *match.args, **match.kwargs)

    middleware = settings.MIDDLEWARE[settings.MIDDLEWARE.index(FIRST_STAFF_MIDDLEWARE) :]
    for path in reversed([path for path in middleware if path not in READS_THE_BODY]):
        handler = import_string(path)(handler)
    response = handler(request)
    response.context = response.context_data
    return response


def save_through_admin(client, article, change=lambda data, page: None):
    """Open the article's change page, let `change` edit the POST data, and save."""
    page = unrendered(client, change_url(article))
    data = change_form_data(page)
    change(data, page)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context and response.context["errors"]


def article_versions(article):
    return Version.objects.get_for_object(article)


def restore(client, article, version):
    """Restore `version` of the article from its history into its unpublished changes, as
    the history's restore page does (its button sends nothing but the request)."""
    url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    return page


def sign_off_url(article):
    return reverse("admin:articles_article_signoff", args=[article.pk])


def approve(client, article, page=None, note="", go_live_at="", role="Consultant neurologist"):
    """Approve and publish the article's changes from its sign-off page: as loaded now, or
    as shown on `page`, an earlier response of that page. A clinician gives their `role`;
    `go_live_at`, a local time as ISO text, is typed into the go-live boxes."""
    page = page or client.get(sign_off_url(article))
    reviewed = page.context["approve_form"]["reviewed"].value() if page.context else ""
    data = {
        "_approve": "Approve and publish", "note": note, **go_live_boxes(go_live_at),
        "when": "later" if go_live_at else "now", "reviewed": reviewed, "reviewer_role": role,
    }  # fmt: skip
    return client.post(sign_off_url(article), data)


def go_live_boxes(go_live_at):
    """The approval form's go-live date and time boxes for a local time given as ISO text
    (or empty), typed as the boxes ask: dd/mm/yyyy and the 24-hour clock."""
    if not go_live_at:
        return {"go_live_at_0": "", "go_live_at_1": ""}
    moment = datetime.datetime.fromisoformat(go_live_at)
    return {"go_live_at_0": f"{moment:%d/%m/%Y}", "go_live_at_1": f"{moment:%H:%M:%S}"}


def add_row(data, page, model, **values):
    """Add a row of `model`'s inline to the POST data, as "Add another" and typing do."""
    prefix = inline_prefix(page, model)
    row = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = row + 1
    data.update({f"{prefix}-{row}-{name}": value for name, value in values.items()})
