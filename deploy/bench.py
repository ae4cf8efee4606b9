"""make bench: the article page under load, against the same bytes as a static file.

Starts gunicorn as in production (gunicorn.conf.py, debug off, collected static files),
measures with wrk (Debian's package) and prints throughput and p99 latency, each as a ratio
to a static file's, and errors:

1. warm: the article from the page cache, against the same bytes served by WhiteNoise, in
   several rounds (BENCH_ROUNDS, default 5), then its Russian edition and its API document
   (JSON-LD) the same way;
2. cold: the same pages with the page cache off;
3. at scale: 10,000 generated articles on SQLite, then on PostgreSQL (when it answers at
   127.0.0.1:5432): home, search (a synonym and a misspelling too), sitemap and the API's
   list with the page cache off, and how many cached pages survive one publication.

Figures depend on the machine; the ratios compare runs made in the same minute on it.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CONNECTIONS, THREADS, SECONDS = 64, 2, 10
# The launch article, its Russian edition (the seed loads both), and the article as the
# content API gives it.
ARTICLES = (
    ("Article page", "/articles/night-calf-cramps/"),
    ("Russian edition", "/ru/articles/night-calf-cramps/"),
    ("API article (JSON-LD)", "/api/v1/articles/en-gb/night-calf-cramps/"),
)
HEADERS = {"X-Forwarded-Proto": "https", "Host": "localhost"}
SECRET = "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOP"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(workdir, database_url, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "cramps.settings",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DJANGO_CACHE_DIR": str(workdir / "cache"),
        "DATABASE_URL": database_url,
        "GUNICORN_LOG_LEVEL": "warning",
        # X-Cache says whether a page came from the page cache (off in production).
        "DJANGO_PAGE_CACHE_STATUS_HEADER": "true",
        # wrk is one address: the API's per-address limit would answer it with 429s, and a
        # limit that high keeps every request's time for the address.
        "CRAMPS_API_RATE_LIMIT": "",
        **extra,
    }


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=PROJECT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


class Gunicorn:
    def __init__(self, env):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "cramps.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--access-logfile", "/dev/null"],
            cwd=PROJECT, env=env,
        )  # fmt: skip
        for _ in range(300):
            try:
                self.get("/healthz")
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def get(self, path):
        request = urllib.request.Request(self.base + path, headers=HEADERS)
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()

    def from_cache(self, path):
        request = urllib.request.Request(self.base + path, headers=HEADERS)
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.headers.get("X-Cache") == "HIT"

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def wrk(url, connections=CONNECTIONS, seconds=SECONDS):
    header_args = [arg for name, value in HEADERS.items() for arg in ("-H", f"{name}: {value}")]
    output = subprocess.run(
        ["wrk", f"-t{min(THREADS, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency",
         *header_args, url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|connect|read|write|"
                                            r"timeout)\s*:?\s+(\d+)", output))  # fmt: skip
    return {"rps": rate, "p50": _latency(output, "50%"), "p99": _latency(output, "99%"),
            "errors": errors}  # fmt: skip


def _latency(output, percentile):
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)\b", output).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def row(name, result, baseline=None):
    baseline = baseline or result
    return (
        f"  {name:<30} {result['rps']:>7.0f} req/s {result['rps'] / baseline['rps']:>5.2f}x"
        f"  p50 {result['p50']:>6.2f} ms  p99 {result['p99']:>6.2f} ms"
        f" {result['p99'] / baseline['p99']:>5.2f}x  errors {result['errors']}"
    )


def median(results):
    """Each figure's median over the rounds (errors summed)."""
    figures = {}
    for name in ("rps", "p50", "p99"):
        values = sorted(result[name] for result in results)
        figures[name] = values[len(values) // 2]
    figures["errors"] = sum(result["errors"] for result in results)
    return figures


ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="cramps-bench-"))
    env = environment(workdir, f"sqlite:///{workdir / 'bench.sqlite3'}")
    manage(env, "migrate", "-v0")
    manage(env, "seed_if_empty", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    print(f"make bench: {os.cpu_count()} cores, wrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s, "
          f"gunicorn.conf.py workers, SQLite, file page cache")  # fmt: skip

    for name, path in ARTICLES:
        warm_and_cold(env, workdir, name, path)

    scale(workdir)
    shutil.rmtree(workdir, ignore_errors=True)


def warm_and_cold(env, workdir, name, path):
    """The article at `path`, warm in rounds against its own bytes as a static file, served
    by the same gunicorn and WhiteNoise, then cold."""
    server = Gunicorn(env)
    page = server.get(path)
    server.stop()
    static_path = f"/static/bench/{uuid.uuid4().hex}.html"
    (workdir / "static" / "bench").mkdir(exist_ok=True)
    (workdir / static_path.lstrip("/")).write_bytes(page)

    # Rounds alternate file and page, so that both meet the same machine; each round's
    # ratios compare neighbours, and the medians over the rounds are reported.
    server = Gunicorn(env)
    rounds = []
    try:
        for _ in range(3):
            server.get(path)  # start a cache generation, then store the page
        for _ in range(ROUNDS):
            static = wrk(server.base + static_path)
            warm = wrk(server.base + path)
            rounds.append((static, warm))
    finally:
        server.stop()
    server = Gunicorn({**env, "DJANGO_PAGE_CACHE_SECONDS": "0"})
    try:
        cold = wrk(server.base + path)
    finally:
        server.stop()

    print(f"\n{name} {path} ({len(page)} bytes), against the same bytes as a static file")
    print(f"(throughput and p99 as ratios to the file's; {ROUNDS} rounds):")
    for number, (static, warm) in enumerate(rounds, 1):
        print(f" round {number}")
        print(row("static file (WhiteNoise)", static))
        print(row("article, warm (page cache)", warm, static))
    static, warm = median([r[0] for r in rounds]), median([r[1] for r in rounds])
    print(" median of the rounds")
    print(row("static file (WhiteNoise)", static))
    print(row("article, warm (page cache)", warm, static))
    print(row("article, cold (no page cache)", cold, static))
    p99_ratios = [w["p99"] / s["p99"] for s, w in rounds]
    print(f"  warm p99 / file p99 by round: {', '.join(f'{r:.2f}' for r in p99_ratios)}")
    print("  targets: warm >= 1.0x throughput and p99 <= 1.0x the file's in every round,")
    print("  0 errors; cold >= 0.5x")


SCALE_PAGES = (
    ("home (20 per page)", "/"),
    ("search ?q=calf+stretch (9,600 hits)", "/search/?q=calf+stretch"),
    ("search ?q=neurologist (1 hit)", "/search/?q=neurologist"),
    ("search ?q=water+tablets (synonym)", "/search/?q=water+tablets"),
    ("search ?q=neurologst (did you mean)", "/search/?q=neurologst"),
    (
        "Russian search ?q=судороги+икры",
        "/ru/search/?q=%D1%81%D1%83%D0%B4%D0%BE%D1%80%D0%BE%D0%B3%D0%B8+%D0%B8%D0%BA%D1%80%D1%8B",
    ),
    ("sitemap.xml (index)", "/sitemap.xml"),
    ("sitemap-articles.xml (1,000)", "/sitemap-articles.xml"),
    ("API list, first page (100)", "/api/v1/"),
    ("API list, ?updated_since (none)", "/api/v1/?updated_since=2100-01-01T00:00:00Z"),
)


def at_scale(env, count, database):
    manage(env, "migrate", "-v0")
    manage(env, "seed_if_empty", "-v0")
    manage(env, "generate_articles", str(count))
    server = Gunicorn(env)
    try:
        print(
            f"\nAt scale: {count:,} generated articles on {database}, page cache off; "
            "latency with one connection, then throughput with eight (wrk -d5s):"
        )
        for label, path in SCALE_PAGES:
            alone = wrk(server.base + path, connections=1, seconds=5)
            busy = wrk(server.base + path, connections=8, seconds=5)
            print(
                f"  {label:<38} p50 {alone['p50']:>7.2f} ms  p99 {alone['p99']:>7.2f} ms"
                f"  | c8 {busy['rps']:>6.0f} req/s  errors {alone['errors'] + busy['errors']}"
            )
        print("  target: search p50 under 50 ms")
    finally:
        server.stop()


def scale(workdir, count=10_000):
    sqlite = environment(workdir, f"sqlite:///{workdir / 'scale.sqlite3'}",
                         DJANGO_PAGE_CACHE_SECONDS="0")  # fmt: skip
    at_scale(sqlite, count, "SQLite")
    try:
        import psycopg

        admin = psycopg.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres",
                                autocommit=True)  # fmt: skip
    except Exception as error:
        print(f"\nAt scale: skipped, PostgreSQL did not answer at 127.0.0.1:5432 ({error})")
        return
    name = f"cramps_bench_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = environment(workdir, f"postgres://postgres@127.0.0.1:5432/{name}",
                          DJANGO_PAGE_CACHE_SECONDS="0")  # fmt: skip
        at_scale(env, count, "PostgreSQL")
        survival({**env, "DJANGO_PAGE_CACHE_SECONDS": "600"}, count)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def survival(env, count, sample=1_000, home_pages=50):
    """How many cached reader pages one publication leaves in the cache: a sample of article
    pages, the first pages of the list, the sitemap and the feed, then one article published
    through sign-off's write path."""
    pages = [f"/articles/generated-{n:05d}/" for n in range(0, count, count // sample)]
    pages += ["/", *(f"/?page={n}" for n in range(2, home_pages + 1)), "/sitemap.xml", "/feed/"]
    server = Gunicorn(env)
    try:
        for _ in range(3):  # start a generation, store, then read back from the cache
            cached = [path for path in pages if server.from_cache(path)]
        manage(env, "shell", "-c", (
            "from articles.models import Article; from articles.publishing import publish; "
            "publish.record_launch(Article.objects.get(slug='generated-00000'))"
        ))  # fmt: skip
        still = [path for path in cached if server.from_cache(path)]
    finally:
        server.stop()
    print(
        f"\nCache survival: of {len(cached):,} cached reader pages ({sample:,} articles, "
        f"{home_pages} pages of the list, sitemap, feed), {len(still):,} "
        f"({len(still) / max(len(cached), 1):.1%}) were still served from the cache after one "
        "article was published.\n  target: >= 99 %"
    )


if __name__ == "__main__":
    main()
