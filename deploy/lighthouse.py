"""make lighthouse: Lighthouse's scores for the reader pages, as a phone on a slow network.

Serves the site as make bench does (gunicorn, debug off, collected static files, the seed)
on plain http at localhost, which browsers treat as a secure origin, so that the service
worker registers as it does in production. Runs Lighthouse (from the npm registry, pinned in
deploy/lighthouse/package-lock.json) in Debian's Chromium against each page, and prints
each category's score. A measurement, not a test: the performance score moves with the
machine's load.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench

TOOLS = Path(__file__).resolve().parent / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PAGES = (
    ("home", "/"),
    ("article", "/articles/night-calf-cramps/"),
    ("bedside card", "/articles/night-calf-cramps/bedside-card/"),
    ("offline page", "/offline/"),
    ("Russian article", "/ru/articles/night-calf-cramps/"),
    ("developers", "/api/"),
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def main():
    if not (TOOLS / "node_modules" / ".bin" / "lighthouse").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=TOOLS, check=True)
    workdir = Path(tempfile.mkdtemp(prefix="cramps-lighthouse-"))
    env = bench.environment(workdir, f"sqlite:///{workdir / 'site.sqlite3'}",
                            DJANGO_HTTPS="false")  # fmt: skip
    bench.manage(env, "migrate", "-v0")
    bench.manage(env, "seed_if_empty", "-v0")
    bench.manage(env, "collectstatic", "--no-input", "-v0")
    server = bench.Gunicorn(env)
    base = f"http://localhost:{server.port}"
    try:
        print(f"make lighthouse: Lighthouse {version()}, mobile, simulated slow 4G")
        print(f"  {'page':<18}" + "".join(f"{name:>16}" for name in CATEGORIES))
        for name, path in PAGES:
            scores = audit(base + path, workdir)
            print(f"  {name:<18}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES))
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def version():
    lighthouse = TOOLS / "node_modules" / ".bin" / "lighthouse"
    return subprocess.run([lighthouse, "--version"], capture_output=True, text=True).stdout.strip()


def run_lighthouse(url, report):
    """Whether Lighthouse finished."""
    return subprocess.run(
        [TOOLS / "node_modules" / ".bin" / "lighthouse", url, "--quiet", "--output=json",
         f"--output-path={report}", f"--only-categories={','.join(CATEGORIES)}",
         f"--chrome-path={CHROMIUM}",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        check=False, env={**os.environ, "CHROME_PATH": CHROMIUM},
    ).returncode == 0  # fmt: skip


def audit(url, workdir):
    """Each category's score out of 100, and the audits that cost points."""
    report = workdir / "report.json"
    # Lighthouse sometimes loses its trace ("Please run Lighthouse again"): up to 3 tries.
    for attempt in range(3):
        if run_lighthouse(url, report):
            break
        if attempt == 2:
            raise RuntimeError(f"Lighthouse failed three times on {url}")
    result = json.loads(report.read_text())
    scores = {}
    for name in CATEGORIES:
        category = result["categories"][name]
        scores[name] = round(category["score"] * 100)
        if scores[name] < 100:
            lost = [
                ref["id"]
                for ref in category["auditRefs"]
                if ref["weight"] and (result["audits"][ref["id"]]["score"] or 0) < 1
            ]
            print(f"    {url} {name}: {', '.join(lost)}")
    return scores


if __name__ == "__main__":
    main()
