"""Static files: every reference resolves at build time, and hashed files cache for good."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests import servers

TEMPLATES = Path(settings.BASE_DIR) / "templates"
STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]\s*%\}""")


def test_every_static_reference_in_a_template_exists():
    references = {
        (template.relative_to(TEMPLATES).as_posix(), name)
        for template in TEMPLATES.rglob("*.html")
        for name in STATIC_TAG.findall(template.read_text())
    }

    assert references
    assert [ref for ref in references if not finders.find(ref[1])] == []


@pytest.mark.django_db(transaction=True)
def test_hashed_files_are_compressed_and_cached_for_good(tmp_path, launch_content):
    static_root = tmp_path / "static"
    with servers.gunicorn(static_root) as base:
        page = servers.fetch(base + "/")[2].decode()
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1)
        status, headers, _ = servers.fetch(base + stylesheet, {"Accept-Encoding": "br, gzip"})

    assert status == 200
    assert headers["Content-Encoding"] == "br"
    assert "immutable" in headers["Cache-Control"]
    assert int(re.search(r"max-age=(\d+)", headers["Cache-Control"]).group(1)) >= 365 * 86400
    assert (static_root / "staticfiles.json").exists()
    assert list(static_root.glob("css/site.*.css.br")) and list(
        static_root.glob("css/site.*.css.gz")
    )
