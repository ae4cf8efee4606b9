"""The article's change page, through the real admin: previews drawn on the server, images
with alt text, warnings about parts readers would not see, and the content checks."""

import pytest
from django.urls import reverse

from articles.editing.writing import read, reading_age_of, text_problems
from articles.markdown import render_markdown
from articles.models import Article, Callout, PreventionTip, Section
from tests.admin_forms import change_form_data, change_url, inline_prefix, unrendered
from tests.factories import (
    ArticleFactory,
    CalloutFactory,
    PreventionTipFactory,
    SectionFactory,
    SourceFactory,
)
from tests.uploads import image_bytes, stored_files, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    """A draft that passes every check, to break one thing at a time."""
    article = ArticleFactory(title="Cramps", status=Article.Status.DRAFT)
    source = SourceFactory(article=article, position=1)
    SectionFactory(
        article=article, position=1, heading="Prevention", body="Some ways to help.",
        appendix=Section.Appendix.PREVENTION_TIPS,
    )  # fmt: skip
    PreventionTipFactory(
        article=article, position=1, body="Drink enough water.", evidence="recommended",
        source_ids=[source.pk],
    )  # fmt: skip
    CalloutFactory(
        article=article, position=1, level=Callout.Level.URGENT, heading="Get help if:",
        body="- your calf is swollen", source_ids=[source.pk],
    )  # fmt: skip
    return article


def checks_on_change_page(client, article):
    page = client.get(change_url(article))
    assert page.status_code == 200
    return page, [str(check) for check in page.context["content_checks"]]


def test_the_page_opens_with_every_preview_drawn_and_none_of_markdownxs_script(
    admin_client, seed_article
):
    page = admin_client.get(change_url(seed_article)).content.decode()

    assert "markdownx/js/markdownx" not in page
    assert "js/editor" in page
    lead_preview = render_markdown(seed_article.lead)
    assert f'aria-label="Preview">{lead_preview}' in page
    assert "Reading age about" in page


def test_a_clean_article_has_nothing_to_check(admin_client, article):
    _, checks = checks_on_change_page(admin_client, article)
    assert checks == []


def test_a_tip_no_section_places_is_named_on_saving_and_in_the_preview(admin_client, article):
    Section.objects.filter(article=article).update(appendix="")
    url = change_url(article)
    page = unrendered(admin_client, url)
    data = change_form_data(page)
    prefix = inline_prefix(page, PreventionTip)
    data[f"{prefix}-TOTAL_FORMS"] = "2"
    data[f"{prefix}-1-body"] = "Keep your bedcovers loose."
    data[f"{prefix}-1-evidence"] = "recommended"
    data[f"{prefix}-1-backed_by"] = "1"

    saved = admin_client.post(url, data, follow=True)

    assert PreventionTip.objects.filter(article__draft_of=article).count() == 2
    [message] = [str(m) for m in saved.context["messages"] if "check" in str(m)]
    assert "Readers do not see the 2 prevention tips" in message
    assert "“Prevention tips”" in message
    preview = admin_client.get(reverse("admin:articles_article_preview", args=[article.pk]))
    assert "Readers do not see the 2 prevention tips" in preview.content.decode()


@pytest.mark.parametrize(
    ("body", "warning"),
    [
        ("![](/media/uploads/photo.png)", "has no alt text"),
        ("Read [click here](https://www.nhs.uk/).", "does not say where it goes"),
        ("See [https://www.nhs.uk/](https://www.nhs.uk/).", "is a bare web address"),
        ("### Causes\n\n##### Rare causes", "skips a level"),
        ("## Causes", "which is for the page's own headings"),
        ("DO NOT stretch a torn muscle.", "“DO NOT” is in capitals"),
    ],
)
def test_content_checks_name_the_box_on_the_change_page_and_the_sign_off_page(
    admin_client, article, body, warning
):
    page = unrendered(admin_client, change_url(article))
    data = change_form_data(page)
    data[f"{inline_prefix(page, Section)}-0-body"] = body
    assert admin_client.post(change_url(article), data).status_code == 302

    _, checks = checks_on_change_page(admin_client, article)
    sign_off = admin_client.get(reverse("admin:articles_article_signoff", args=[article.pk]))

    [check] = checks
    assert check.startswith("Section “Prevention”: ") and warning in check
    assert warning in sign_off.content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize(
    "body",
    [
        "![A calf stretch against a wall](/media/uploads/photo.png)",
        '![](/media/uploads/photo.png "decorative")',
        "Read [NHS: leg cramps](https://www.nhs.uk/).",
        "Call [111](tel:111). The NHS and NICE agree. See a GP.",
        "### Causes\n\n#### Rare causes",
    ],
)
def test_good_writing_raises_no_warning(body):
    assert text_problems(body) == []


def test_page_level_checks(admin_client, article):
    Section.objects.filter(article=article).update(heading="", body="", appendix="")
    Callout.objects.filter(article=article).update(heading="Urgent signs")
    type(article).objects.filter(pk=article.pk).update(summary="Too short.")
    article.sources.all().delete()

    _, checks = checks_on_change_page(admin_client, article)

    for expected in [
        "The summary has 10 characters",
        "Readers do not see the 1 prevention tip",
        "Section 1 is empty",
        "should be an action ending in “if:”",
        "The page lists no sources",
    ]:
        assert any(expected in check for check in checks), (expected, checks)


def test_each_list_item_is_a_sentence_and_the_hardest_is_named():
    card = (
        "- your calf is swollen\n"
        "- you feel unwell\n"
        "- the cramp lasts more than 10 minutes\n"
        "- your leg is red, warm and tender, and the pain continues notwithstanding "
        "considerable rest and elevation\n"
    )
    result = reading_age_of(read(card))

    assert result.age <= 14  # as one run-on sentence it read as about 20
    assert result.hardest.startswith("your leg is red")


def test_the_preview_endpoint_returns_the_reading_age_and_the_checks(editor_client):
    response = editor_client.post(
        reverse("markdownx_markdownify"),
        {"content": "Stretch your calf. Hold it for 30 seconds, then let go slowly. "
                    "DO NOT bounce. ![](/media/uploads/x.png)"},
    )  # fmt: skip

    page = response.content.decode()
    assert "Reading age about" in page
    assert "“DO NOT” is in capitals" in page and "has no alt text" in page


def test_a_refused_upload_says_why_in_plain_words_and_stores_nothing(editor_client, settings):
    response = upload(editor_client, "notes.png", b"just some text", "image/png")

    assert response.status_code == 400
    assert response.json() == {"error": "This file is not a JPEG or PNG image."}
    assert stored_files(settings) == []


def test_an_uploaded_image_reaches_readers_with_its_size_and_lazy_loading(editor_client, settings):
    settings.MARKDOWNX_IMAGE_MAX_SIZE = {"size": (1200, 1200), "quality": 85}
    response = upload(editor_client, "calf.png", image_bytes("PNG", (640, 480)), "image/png")

    url = response.json()["url"]
    assert url.endswith("-640x480.png")
    html = render_markdown(f"![A calf stretch]({url})")
    assert 'width="640"' in html and 'height="480"' in html
    assert 'loading="lazy"' in html and 'alt="A calf stretch"' in html


def test_decorative_images_get_empty_alt_text():
    html = render_markdown('![](/media/uploads/x.png "decorative")')
    assert 'alt=""' in html and 'role="presentation"' in html and "title" not in html


def test_the_web_address_error_is_in_plain_words(admin_client, article):
    data = change_form_data(unrendered(admin_client, change_url(article)))
    data["slug"] = "night cramps!"

    refused = admin_client.post(change_url(article), data)

    assert refused.status_code == 200
    assert "Use only lower-case letters, numbers and hyphens" in refused.content.decode()
    assert "valid “slug”" not in refused.content.decode()


def test_source_titles_in_a_claims_help_are_escaped(admin_client, article):
    article.sources.update(title='<img src=x onerror="alert(1)">')

    page = admin_client.get(change_url(article)).content.decode()

    assert '<img src=x onerror="alert(1)">' not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


@pytest.mark.parametrize("numbers", ["¹, ³", "1²", "99999"])
def test_numbers_that_are_not_plain_digits_get_a_form_error(admin_client, article, numbers):
    page = unrendered(admin_client, change_url(article))
    data = change_form_data(page)
    data[f"{inline_prefix(page, PreventionTip)}-0-backed_by"] = numbers

    refused = admin_client.post(change_url(article), data)

    assert refused.status_code == 200
    assert "Write the sources' numbers" in refused.content.decode().replace("&#x27;", "'")


def test_odd_image_sizes_in_a_name_render_without_a_size():
    name = "0b7d2c1e-1111-4222-8333-944445555666"
    for size in ("²x1", "1" * 5000 + "x1"):
        html = render_markdown(f"![A calf](/media/uploads/{name}-{size}.jpg)")
        assert "width=" not in html and 'alt="A calf"' in html


def test_a_role_other_than_presentation_is_dropped():
    assert "role" not in render_markdown('<img src="/x.png" alt="x" role="button">')
