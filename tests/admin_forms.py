"""Reads an admin change page's forms back into POST data, as a browser would submit them."""


def _form_values(form):
    data = {}
    for field in form:
        value = field.value()
        if value is None:
            continue
        if isinstance(value, bool):
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
