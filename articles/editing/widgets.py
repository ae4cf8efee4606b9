"""The Markdown box of the change page: django-markdownx's widget with its preview drawn on
the server, and the project's own script in place of markdownx's.

markdownx's script asks the server for every box's preview as the page opens, writes
"Invalid response" into the text when an upload is refused, and inserts images without alt
text. Its field, settings and endpoints stay.
"""

import math

from markdownx.widgets import AdminMarkdownxWidget

from articles.editing.views import preview_html, upload_limit


class MarkdownEditor(AdminMarkdownxWidget):
    template_name = "admin/articles/widgets/markdown_editor.html"

    class Media:
        extend = False  # not markdownx's script
        css = {"all": ["css/admin.css"]}
        js = ["js/editor.js"]

    def get_context(self, name, value, attrs):
        # As tall as its text (about 90 characters a line), within reason: an empty caution
        # box takes three lines, not ten.
        lines = sum(max(1, math.ceil(len(line) / 90)) for line in (value or "").splitlines())
        attrs = {
            **(attrs or {}),
            "rows": min(max(lines + 1, 3), 20),
            "data-upload-limit": upload_limit(),  # for the Insert image dialog
        }
        context = super().get_context(name, value, attrs)
        context["preview"] = preview_html(value or "")
        return context
