"""Ids and numbers people send are read by one parser (articles.numbers.whole_number):
ASCII digits only, so digits of other scripts, which int() also reads, never match."""

import pytest
from django.forms import modelform_factory
from django.urls import reverse

from articles.editing.forms import PositionedForm
from articles.models import Section, Synonym
from articles.numbers import whole_number

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def in_other_digits(number):
    """`number` in Arabic-Indic digits: int() reads them, the site must not."""
    return str(number).translate(ARABIC_INDIC)


@pytest.mark.parametrize(("text", "number"), [("12", 12), ("0", 0), ("9" * 18, int("9" * 18))])
def test_whole_number_reads_ascii_digits(text, number):
    assert whole_number(text) == number


@pytest.mark.parametrize(
    "text", ["١٢", "²", "1²", "", " 1", "1 ", "+1", "-1", "1.0", "1_000", "0x1", "9" * 19]
)
def test_whole_number_refuses_anything_else(text):
    assert whole_number(text) is None


@pytest.mark.parametrize(
    "name", ["change", "signoff", "preview", "history", "delete", "revision", "compare"]
)
def test_an_article_id_in_other_digits_is_answered_as_an_unknown_one(
    admin_client, seed_article, name
):
    def answer(article_id):
        args = [article_id, "1"] if name == "revision" else [article_id]
        return admin_client.get(reverse(f"admin:articles_article_{name}", args=args))

    odd, unknown = answer(in_other_digits(seed_article.pk)), answer("999999")

    assert odd.status_code == unknown.status_code
    assert odd.status_code in (302, 404)


def test_a_synonym_id_in_other_digits_is_answered_as_an_unknown_one(admin_client):
    synonym = Synonym.objects.create(words="numbat, banded anteater")

    def answer(synonym_id):
        return admin_client.get(reverse("admin:articles_synonym_change", args=[synonym_id]))

    assert answer(synonym.pk).status_code == 200
    odd, unknown = answer(in_other_digits(synonym.pk)), answer("999999")
    assert odd.status_code == unknown.status_code == 302


@pytest.mark.django_db
def test_a_list_page_number_in_other_digits_is_not_found(client):
    assert client.get("/", {"page": "1"}).status_code == 200
    assert client.get("/", {"page": in_other_digits(1)}).status_code == 404
    assert client.get("/", {"page": "last"}).status_code == 404


@pytest.mark.django_db
def test_a_position_in_other_digits_is_a_form_error():
    form_class = modelform_factory(Section, form=PositionedForm, fields=["heading", "body"])

    form = form_class({"position": in_other_digits(2), "heading": "Why", "body": ""})

    assert not form.is_valid()
    assert "position" in form.errors
    assert form_class({"position": "2", "heading": "Why", "body": ""}).is_valid()


def test_a_request_length_in_other_digits_is_refused(editor_client):
    response = editor_client.post(
        reverse("markdownx_markdownify"),
        {"content": "Some *text*."},
        CONTENT_LENGTH=in_other_digits(20),
    )

    assert response.status_code == 400


def test_view_on_site_with_an_id_in_other_digits_is_not_found(admin_client, seed_article):
    from django.contrib.contenttypes.models import ContentType

    article_type = ContentType.objects.get_for_model(seed_article).pk

    def answer(article_id):
        return admin_client.get(reverse("admin:view_on_site", args=[article_type, article_id]))

    assert answer(seed_article.pk).status_code == 302
    assert answer(in_other_digits(seed_article.pk)).status_code == 404
