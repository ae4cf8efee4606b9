"""make measure-editor: what the seed article's change page costs an editor in Chromium.

Serves the site as `make bench` does (gunicorn, debug off, collected static files) on a
fresh SQLite database holding the launch content, signs in as a member of Editors and opens
the seed article's change page three times. Prints the median of: requests made while
loading (and how many were Markdown previews), the page's HTML size, its height and number
of form fields, and the time until it is usable: the latest of the DOM being ready, the
last long task (50 ms or more of script or layout) and the last response, counted from
the start of navigation. Then the slowest of the warm-up loads, which meet workers that
have drawn no page yet, as the first editors do after a deploy.

A measurement for the performance log (docs/performance.md), not a test: figures depend on
the machine.
"""

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import PROJECT, PYTHON, Gunicorn, environment, manage

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
SEED = "night-calf-cramps"
PASSWORD = "measure-the-editor-page-0123456789"
RUNS = 3
WARM_UP = 6  # more than gunicorn's workers on two cores

# Long tasks are only reported to observers registered before they happen.
WATCH_LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push(entry.startTime + entry.duration);
}).observe({type: "longtask", buffered: true});
"""
READ_FIGURES = """
() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const responses = performance.getEntriesByType("resource").map((r) => r.responseEnd);
  return {
    usable: Math.max(nav.domContentLoadedEventEnd, ...window.__longTasks, ...responses),
    answered: nav.responseStart,
    height: document.documentElement.scrollHeight,
    fields: document.querySelectorAll("input:not([type=hidden]), select, textarea").length,
  };
}
"""


def create_editor(env):
    script = (
        "from django.contrib.auth.models import Group, User\n"
        f"user = User.objects.create_user('measure', password='{PASSWORD}', is_staff=True)\n"
        "user.groups.add(Group.objects.get(name='Editors'))\n"
        "from articles.models import Article\n"
        f"print(Article.objects.get(slug='{SEED}').pk)\n"
    )
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script],
        cwd=PROJECT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return int(result.stdout.strip().splitlines()[-1])


def measure(browser, base, article_pk):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "measure")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.add_init_script(WATCH_LONG_TASKS)
    requests = []
    page.on("request", lambda request: requests.append(request))
    response = page.goto(f"{base}/admin/articles/article/{article_pk}/change/")
    html_bytes = len(response.body())
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    figures = page.evaluate(READ_FIGURES)
    context.close()
    previews = [r for r in requests if "/markdownx/markdownify/" in r.url]
    return {
        "requests": len(requests),
        "previews": len(previews),
        "html_kb": html_bytes / 1024,
        "height": figures["height"],
        "fields": figures["fields"],
        "answered_s": figures["answered"] / 1000,
        "usable_s": figures["usable"] / 1000,
    }


def main():
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="change-page-") as tmp:
        workdir = Path(tmp)
        env = environment(workdir, f"sqlite:///{workdir / 'db.sqlite3'}", DJANGO_HTTPS="false")
        manage(env, "migrate", "--no-input")
        manage(env, "seed_if_empty")
        manage(env, "collectstatic", "--no-input")
        article_pk = create_editor(env)
        server = Gunicorn(env)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                # Each worker's first page fills its Markdown memo: an editor meets that once
                # a worker, not each time. Reported on its own as the slowest first load.
                first = [measure(browser, server.base, article_pk) for _ in range(WARM_UP)]
                runs = [measure(browser, server.base, article_pk) for _ in range(RUNS)]
                browser.close()
        finally:
            server.stop()
    print(f"The seed article's change page, median of {RUNS} loads in Chromium:")
    for key, label, unit in [
        ("requests", "requests while loading", ""),
        ("previews", "  of them Markdown previews", ""),
        ("html_kb", "HTML", " KB"),
        ("height", "page height", " px"),
        ("fields", "form fields", ""),
        ("answered_s", "server answered after", " s"),
        ("usable_s", "usable after", " s"),
    ]:
        value = statistics.median(run[key] for run in runs)
        print(f"  {label:<30} {value:,.1f}{unit}" if isinstance(value, float) else
              f"  {label:<30} {value:,}{unit}")  # fmt: skip
    # The loads that met workers which had drawn no page yet, as after a deploy.
    slowest = max(run["usable_s"] for run in first)
    print(f"  {'  slowest first load':<30} {slowest:,.1f} s")


if __name__ == "__main__":
    main()
