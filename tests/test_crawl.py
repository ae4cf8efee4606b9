"""Walk every public page from the sitemap and the home page: no broken link, no error."""

import pytest

from tests import servers
from tests.crawler import crawl


def test_crawl_through_the_test_client_finds_no_problem(client, launch_content):
    def get(path):
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, response.headers, body

    report = crawl(get, "https://testserver")

    assert report.problems == []
    assert len([s for s in report.pages.values() if s == 200]) >= 8
    assert report.links_checked > 50


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_crawl_of_the_gunicorn_served_site_finds_no_problem(launch_content, tmp_path):
    with servers.gunicorn(tmp_path / "static") as base:
        origin = "https://localhost"  # the site's origin (servers.production_env)

        def get(path):
            return servers.fetch(base + path)

        report = crawl(get, origin)
        revalidated = [
            servers.fetch(base + path, {"If-None-Match": etag})[0]
            for path, etag in report.etags.items()
        ]

    assert report.problems == []
    assert revalidated.count(304) == len(report.etags)
    print(
        f"\ncrawled {len(report.pages)} addresses, checked {report.links_checked} links "
        f"({len(report.external_links)} external, not fetched), "
        f"304 on {revalidated.count(304)}/{len(revalidated)} revalidations"
    )
