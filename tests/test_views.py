import itertools
import re
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from articles.models import Article
from articles.views import server_error
from tests.admin_forms import save_through_admin
from tests.factories import ArticleFactory, CalloutFactory
from tests.pages import page_text

# A copy of ../shared/seed/night-calf-cramps.txt, the client's article.
SEED = Path(__file__).resolve().parent / "data" / "night-calf-cramps.txt"
SEED_LINES = [
    re.sub(r"^\d+\.\s+", "", line.strip())
    for line in SEED.read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def test_the_seed_is_there_to_compare_against():
    assert len(SEED_LINES) == 28
    assert SEED_LINES[0] == "Cramps of calf muscles at night - causes, treatment"


# Every point of the client's article (one per line of its text) and where the plain-English
# edit readers get makes it. The client's own words are the article's first revision
# (tests/test_fixtures.py).
CLIENT_POINTS = {
    "Cramps of calf muscles at night - causes, treatment": "Night-time calf cramps: causes",
    "A rare or episodic muscle contraction is not a cause for concern.": (
        "An occasional cramp is not a cause for worry."
    ),
    "Pathology refers to the frequent cramping": "If you get cramps often, or they break your",
    "How does the gastrocnemius muscle cramp in a dream?": "What is a night cramp?",
    "The phenomenon under consideration (myoclonia)": "a muscle suddenly tightens",
    "The convulsion is accompanied by an intense pain syndrome": "A cramp can hurt a lot.",
    "What are the causes of seizures in the calf muscles at night?": (
        "Why do calf muscles cramp at night?"
    ),
    "There are 2 groups of factors": "Everyday causes",
    "That's why the calf muscles can be cramped at night:": "Some everyday things make",
    "The second group of causes is a disease": "Health conditions that can cause cramps",
    "To establish the exact diagnosis": "they may refer you to a neurologist",
    "How to treat the causes and symptoms of nocturnal cramps": "What helps during and after",
    "Emergency ways to eliminate spasm in myoclonia:": "These steps may ease the pain.",
    "Rapidly rub your leg with your hands.": "Rub and massage your calf",
    "Press the index finger into the center": "Press on the middle of your calf",
    "Massage the limb.": "Rub and massage your calf",
    "Stand on a cold floor": "Stand on a cold floor.",
    "Pull your foot towards you, holding your toes.": "pull your toes up towards you.",
    "Also, the well-known method is effective": "with a pin or needle",
    "These tips help to cope only with the symptoms": "They cannot cure a health condition",
    "Include in the diet of vitamin D, B6": "Vitamin and mineral pills.",
    "Adhere to the norms of a balanced diet.": "Eat a varied, balanced diet.",
    "Reduce the intensity or frequency of exercise": "avoid hard exercise just before bed",
    "Wear shoes with good ankle support": "Wear shoes that support your feet well.",
    "In the evening make a contrasting douche": "Swapping hot and cold water on your calves",
    "After water procedures, perform self-massage of the feet.": "Massage your feet too",
    "Reduce the amount of sugar and caffeine": "Cut down on caffeine",
    "Several times a week doing stretching exercises": "Stretch your calves every day.",
}


def test_every_point_of_the_clients_text_is_on_the_page_in_plain_english(client, seed_article):
    text = page_text(client.get(seed_article.get_absolute_url()))

    assert [
        line for line in SEED_LINES if not any(line.startswith(p) for p in CLIENT_POINTS)
    ] == []
    missing = {point: edit for point, edit in CLIENT_POINTS.items() if edit not in text}
    assert missing == {}
    assert "Cutting down on sugar." in text  # the other half of the client's seventh tip


def test_article_page_puts_help_first_then_the_text_in_order(client, seed_article):
    text = page_text(client.get(seed_article.get_absolute_url()))

    landmarks = [
        "During a cramp",  # the box, before anything else
        "pull your toes up towards you.",
        "Call 999 now",  # when to get help, in the box
        "Get help the same day",
        "An occasional cramp is not a cause for worry.",  # lead
        "What is a night cramp?",
        "When to see a neurologist",  # the cards, early
        "Non-urgent advice: See a GP if:",
        "Urgent advice:",
        "Immediate action required:",
        "What helps during and after a cramp",
        "Stretch your calf.",
        "What people try that has no good evidence",
        "with a pin or needle",
        "Not advised",  # its label
        "Stretch your calves every day.",
        "Medicines and cramps",
        "What happens when you see a doctor",
        "Why do calf muscles cramp at night?",
        "Everyday causes",
        "Not enough fluid",  # an everyday cause
        "Parkinson's disease",  # a disease
        "Sources",
    ]
    position = 0
    for landmark in landmarks:
        found = text.find(landmark, position)
        assert found >= 0, f"missing or out of order: {landmark!r}"
        position = found + len(landmark)


def test_article_page_structure(client, seed_article):
    body = client.get(seed_article.get_absolute_url()).content.decode()

    assert body.count("<h1") == 1
    assert '<html lang="en-GB">' in body
    assert body.index('class="skip-link"') < body.index("<header")
    assert '<main id="main-content"' in body
    steps = len(seed_article.relief_steps())
    assert (
        len(re.findall(rf'<ol class="steps">\s*(<li[ >].*?</li>\s*){{{steps}}}</ol>', body, re.S))
        == 1
    )
    assert body.count('<ol class="tips">') == 1 and body.count("<ol") >= 3
    assert '<meta name="description" content="' + seed_article.summary in body
    scripts = re.findall(r"<script\b[^>]*>", body)
    # Data, and one deferred file that registers the offline worker: nothing the page needs.
    assert scripts == [
        '<script src="/static/js/offline.js" data-worker="/sw.js" defer>',
        '<script type="application/ld+json">',
    ]


def test_headings_never_skip_a_level(client, seed_article):
    body = client.get(seed_article.get_absolute_url()).content.decode()
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", body)]

    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels


def test_care_cards_carry_their_level_in_words(client, seed_article):
    text = page_text(client.get(seed_article.get_absolute_url()))

    assert "Non-urgent advice: See a GP if:" in text
    assert "Urgent advice: Get medical help the same day if:" in text
    assert "Immediate action required: Get emergency help now if:" in text


def test_emergency_card_shows_the_number_from_settings(client, seed_article, settings):
    settings.EMERGENCY_NUMBER = "112"

    body = client.get(seed_article.get_absolute_url()).content.decode()

    assert 'Call <a href="tel:112">112</a> now or go to A&amp;E.' in body


def test_page_says_plainly_that_no_clinician_has_reviewed_it(client, seed_article):
    text = page_text(client.get(seed_article.get_absolute_url()))

    assert "Page last reviewed: 7 December 2026" in text
    assert "Next review due: 7 December 2029" in text
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

    assert "Covers: What is a night cramp?" in text
    assert "Restless legs syndrome" in text


def listed_titles(client):
    """The home page's article headings, in order."""
    body = client.get(reverse("articles:index")).content.decode()
    return re.findall(r"<h3><a href=\"/articles/[^\"]+\">([^<]+)</a></h3>", body)


def test_the_help_first_article_leads_the_home_page_until_editors_choose(
    client, admin_client, launch_content
):
    main, comparison = launch_content
    # By title, "Cramp, restless legs…" would come first.
    assert listed_titles(client) == [main.title, comparison.title]

    # An editor gives the comparison the first place; once published, it leads.
    save_through_admin(admin_client, comparison, lambda data, page: data.update(position="1"))

    assert listed_titles(client) == [comparison.title, main.title]


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
        "pull your toes up towards you.",
        "Rub and massage your calf",
        "Stand up and put your weight on the leg",
        "Urgent advice: Get medical help the same day if:",
        "Immediate action required: Get emergency help now if:",
        "Call 999 now or go to A&E. 112 also works.",
    ):
        assert step in text
    assert "See a GP if:" not in text
    assert "needle" not in text and "cold floor" not in text  # only the steps chosen for it


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


def test_what_a_reader_needs_first_and_the_css_fit_one_round_trip_compressed(
    client, launch_content, translations
):
    """14 KiB is what a server can send in its first round trip (initial congestion window).
    In it, with the stylesheet: the page's head, the help box and the three care cards. The
    rest (the finer detail, the sources, the structured data) follows in the next. In each
    language (Cyrillic takes two bytes a letter)."""
    import gzip
    import zlib

    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/site.css")).read_bytes()
    for article in (launch_content[0], translations[0]):
        response = client.get(article.get_absolute_url(), headers={"Accept-Encoding": "gzip"})
        html = gzip.decompress(response.content)
        after_cards = html.index(b'<p class="evidence">', html.index(b"care-card--emergency"))
        # The bytes of the compressed stream that carry everything up to there.
        stream = zlib.compressobj(9, zlib.DEFLATED, 31)
        first = stream.compress(html[:after_cards]) + stream.flush(zlib.Z_SYNC_FLUSH)

        assert response["Content-Encoding"] == "gzip"
        assert len(first) + len(gzip.compress(css, 9)) <= 14 * 1024, (article.language, len(first))


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


def reader_urls(launch_content):
    first, second = launch_content
    return [
        reverse("articles:index"),
        first.get_absolute_url(),
        second.get_absolute_url(),
        reverse("articles:bedside_card", args=[first.slug]),
        reverse("articles:diary"),
        reverse("articles:search") + "?q=cramp",
        "/no-such-page/",
    ]


def test_every_reader_page_is_valid_html_with_a_heading_outline(client, launch_content):
    import html5lib

    for url in reader_urls(launch_content):
        body = client.get(url).content.decode()
        # The HTML standard's own parsing rules, stopping at the first parse error.
        html5lib.HTMLParser(strict=True).parse(body)
        ids = re.findall(r'\sid="([^"]+)"', body)
        assert len(ids) == len(set(ids)), f"{url}: repeated ids"
        levels = [int(level) for level in re.findall(r"<h([1-6])\b", body)]
        assert levels[0] == 1 and levels.count(1) == 1, f"{url}: {levels}"
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), f"{url}: {levels}"
