"""Reads an admin change page's forms back into POST data, as a browser would submit them."""

from django.forms import MultiWidget


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


def change_form_data(response):
    """The POST data for saving the change page in `response` unchanged."""
    data = _form_values(response.context["adminform"].form)
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
