import html
import itertools
import re
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from articles.models import Article
from articles.views import server_error
from tests.factories import ArticleFactory, CalloutFactory

# A copy of ../shared/seed/night-calf-cramps.txt, the client's article.
SEED = Path(__file__).resolve().parent / "data" / "night-calf-cramps.txt"
SEED_LINES = [
    re.sub(r"^\d+\.\s+", "", line.strip())
    for line in SEED.read_text(encoding="utf-8").splitlines()
    if line.strip()
]
# Curly quotes and dashes may replace the seed's straight ones.
TYPOGRAPHIC = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


def page_text(response):
    """The page's text without navigation: tags removed, entities decoded, spaces collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style|nav)\b.*?</\1>", " ", body, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return re.sub(r"\s+", " ", text).translate(TYPOGRAPHIC)


def test_the_seed_is_there_to_compare_against():
    assert len(SEED_LINES) == 28
    assert SEED_LINES[0] == "Cramps of calf muscles at night - causes, treatment"


def test_article_page_carries_every_seed_line_word_for_word_in_order(client, seed_article):
    text = page_text(client.get(seed_article.get_absolute_url()))

    position = 0
    for line in SEED_LINES:
        found = text.find(line, position)
        assert found >= 0, f"missing or out of order: {line!r}"
        position = found + len(line)


def test_article_page_shows_the_seed_in_the_seeds_order_of_parts(client, seed_article):
    text = page_text(client.get(seed_article.get_absolute_url()))

    landmarks = [
        "A rare or episodic muscle contraction",  # lead
        "How does the gastrocnemius muscle cramp in a dream?",
        "That's why the calf muscles can be cramped at night:",
        "Not enough fluid",  # an everyday cause
        "the list of pathologies is great:",
        "Parkinson's disease",  # a disease
        "To establish the exact diagnosis",
        "Rapidly rub your leg with your hands.",
        "to prick the gastrocnemius muscle",
        "There is no good evidence",  # its caution
        "These tips help to cope only with the symptoms",
        "Several times a week doing stretching exercises for muscles.",
        "When to see a neurologist",
        "Non-urgent advice: See a doctor or a neurologist if:",
        "Urgent advice:",
        "Immediate action required:",
        "Sources",
    ]
    positions = [text.find(landmark) for landmark in landmarks]
    assert -1 not in positions, dict(zip(landmarks, positions, strict=True))
    assert positions == sorted(positions)


def test_article_page_structure(client, seed_article):
    body = client.get(seed_article.get_absolute_url()).content.decode()

    assert body.count("<h1") == 1
    assert '<html lang="en-GB">' in body
    assert body.index('class="skip-link"') < body.index("<header")
    assert '<main id="main-content"' in body
    assert len(re.findall(r'<ol class="steps">\s*(<li>.*?</li>\s*){5}</ol>', body, re.S)) == 1
    assert len(re.findall(r'<ol class="tips">\s*(<li>.*?</li>\s*){8}</ol>', body, re.S)) == 1
    assert '<meta name="description" content="' + seed_article.summary in body
    scripts = re.findall(r"<script\b[^>]*>", body)
    assert scripts == ['<script type="application/ld+json">'], "only data, no executable script"


def test_headings_never_skip_a_level(client, seed_article):
    body = client.get(seed_article.get_absolute_url()).content.decode()
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", body)]

    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels


def test_care_cards_carry_their_level_in_words(client, seed_article):
    text = page_text(client.get(seed_article.get_absolute_url()))

    assert "Non-urgent advice: See a doctor or a neurologist if:" in text
    assert "Urgent advice: Ask for an urgent GP appointment" in text
    assert "Immediate action required: Get emergency help now if:" in text


def test_emergency_card_shows_the_number_from_settings(client, seed_article, settings):
    settings.EMERGENCY_NUMBER = "999"

    text = page_text(client.get(seed_article.get_absolute_url()))

    assert "Call 999 now." in text


def test_page_says_plainly_that_no_clinician_has_reviewed_it(client, seed_article):
    text = page_text(client.get(seed_article.get_absolute_url()))

    assert "Page last reviewed: 26 November 2026" in text
    assert "Next review due: 26 November 2029" in text
    assert "This page has not yet been reviewed by a clinician." in text


def test_home_page_lists_published_articles_with_summaries(client, db):
    published = ArticleFactory(title="Published one", summary="What the published one covers.")
    ArticleFactory(title="Secret draft", status=Article.Status.DRAFT)

    body = client.get(reverse("articles:index")).content.decode()

    assert published.title in body and published.summary in body
    assert published.get_absolute_url() in body
    assert "Secret draft" not in body


def test_draft_articles_are_invisible_to_readers(client, db):
    draft = ArticleFactory(status=Article.Status.DRAFT)

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_unknown_pages_get_the_real_404_page(client, db):
    response = client.get("/articles/no-such-article/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "<h1>" in response.content.decode()


def test_500_page_renders_without_the_database(db):
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()


def test_markdown_in_content_is_sanitised_on_the_page(client, db):
    article = ArticleFactory(lead="Hello <script>alert(1)</script> [x](javascript:alert(1))")
    CalloutFactory(article=article, body='<img src=x onerror="alert(1)">')

    body = client.get(article.get_absolute_url()).content.decode()

    assert "<script>alert" not in body
    assert "javascript:" not in body
    assert "onerror" not in body


@pytest.mark.parametrize("path", ["/", "/articles/night-calf-cramps/"])
def test_reader_pages_answer_over_https_behind_the_proxy(client, seed_article, path):
    assert client.get(path).status_code == 200


def test_home_page_says_what_each_article_covers(client, launch_content):
    text = page_text(client.get(reverse("articles:index")))

    assert "Covers: How does the gastrocnemius muscle cramp in a dream?" in text
    assert "Restless legs syndrome" in text


def test_articles_link_to_related_ones_both_ways(client, launch_content):
    first, second = launch_content

    assert second.get_absolute_url() in client.get(first.get_absolute_url()).content.decode()
    assert first.get_absolute_url() in client.get(second.get_absolute_url()).content.decode()


def test_related_drafts_are_not_linked(client, launch_content):
    first, second = launch_content
    Article.objects.filter(pk=second.pk).update(status=Article.Status.DRAFT)

    assert second.get_absolute_url() not in client.get(first.get_absolute_url()).content.decode()


def test_bedside_card_holds_the_steps_cautions_and_emergency_number(client, seed_article):
    response = client.get(reverse("articles:bedside_card", args=[seed_article.slug]))
    text = page_text(response)

    assert response.status_code == 200
    for step in (
        "Rapidly rub your leg with your hands.",
        "Pull your foot towards you, holding your toes.",
        "There is no good evidence",
        "Immediate action required: Get emergency help now if:",
        "Call 112 now.",
    ):
        assert step in text
    assert "See a doctor or a neurologist if:" not in text


def test_article_page_links_to_its_bedside_card(client, seed_article):
    body = client.get(seed_article.get_absolute_url()).content.decode()

    assert reverse("articles:bedside_card", args=[seed_article.slug]) in body


def test_an_article_without_relief_steps_has_no_bedside_card(client, launch_content):
    second = launch_content[1]

    response = client.get(reverse("articles:bedside_card", args=[second.slug]))

    assert response.status_code == 404


def test_cramp_diary_is_a_printable_log_with_questions_and_no_form(client, db):
    response = client.get(reverse("articles:diary"))
    body = response.content.decode()
    text = page_text(response)

    assert response.status_code == 200
    for column in ("Date and time", "How long it lasted", "Which leg", "What helped",
                   "Medicines taken that day", "Warning signs"):  # fmt: skip
        assert f'<th scope="col">{column}' in body
    assert body.count("<tr><td>") >= 10
    assert "Questions to ask your doctor" in text
    assert "<form" not in body.split('<main id="main-content"')[1].split("</main>")[0]
    assert "Nothing you write here is sent or stored" in text


def test_seed_article_html_and_css_fit_one_round_trip_compressed(client, seed_article):
    """14 KiB is what a server can send in its first round trip (initial congestion window)."""
    import gzip

    from django.contrib.staticfiles import finders

    response = client.get(seed_article.get_absolute_url(), headers={"Accept-Encoding": "gzip"})
    css = Path(finders.find("css/site.css")).read_bytes()

    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) + len(gzip.compress(css, 9)) <= 14 * 1024


def test_the_home_page_lists_articles_twenty_at_a_time(client, db):
    from tests.factories import ArticleFactory as Factory

    for number in range(25):
        Factory(title=f"Article {number:02d}")

    first = client.get(reverse("articles:index")).content.decode()
    second = client.get(reverse("articles:index"), {"page": 2}).content.decode()

    assert first.count("<li>\n            <h3>") == 20
    assert "Article 24" in second and 'rel="prev"' in second
    assert '<link rel="canonical" href="https://testserver/?page=2">' in second
    assert client.get(reverse("articles:index"), {"page": 9}).status_code == 404
