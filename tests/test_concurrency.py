"""Two editors, one article: the second save from a stale form is refused, nothing is lost."""

import threading

import pytest
from django.db import connections
from django.db.models.signals import pre_save
from django.urls import reverse

from articles.models import Article, Section
from tests.accounts import signed_in
from tests.admin_forms import approve, change_form_data, inline_prefix, unrendered
from tests.transactions import wait_until_another_transaction_waits_for_a_lock


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def two_editors(django_user_model):
    clients = []
    for username, full_name in (("ann", "Ann Hughes"), ("bob", "Bob Stone")):
        first, last = full_name.split()
        user = django_user_model.objects.create_superuser(
            username, f"{username}@example.org", "x" * 20, first_name=first, last_name=last
        )
        clients.append(signed_in(user))
    return clients


def edited_form(client, article, section_text, publish=True):
    page = unrendered(client, change_url(article))
    data = change_form_data(page, publish=publish)
    data[f"{inline_prefix(page, Section)}-0-body"] = section_text
    return data


@pytest.mark.django_db
def test_a_save_from_a_stale_form_is_refused_and_keeps_the_text(two_editors, seed_article):
    ann, bob = two_editors
    ann_form = edited_form(ann, seed_article, "Ann's wording.")
    bob_form = edited_form(bob, seed_article, "Bob's wording.")

    assert ann.post(change_url(seed_article), ann_form).status_code == 302
    refused = bob.post(change_url(seed_article), bob_form)

    body = refused.content.decode()
    assert refused.status_code == 200
    assert "Ann Hughes saved this article" in body
    assert "Bob&#x27;s wording." in body or "Bob's wording." in body
    assert seed_article.sections.first().body == "Ann's wording."


@pytest.mark.django_db
def test_after_merging_the_second_editor_can_save(two_editors, seed_article):
    ann, bob = two_editors
    ann_form = edited_form(ann, seed_article, "Ann's wording.")
    bob_form = edited_form(bob, seed_article, "Bob's wording.")
    ann.post(change_url(seed_article), ann_form)
    refused = bob.post(change_url(seed_article), bob_form)

    merged = change_form_data(refused)
    merged[f"{inline_prefix(refused, Section)}-0-body"] = "Ann's and Bob's wording."
    saved = bob.post(change_url(seed_article), merged)

    assert saved.status_code == 302, saved.context and saved.context["errors"]
    assert seed_article.sections.first().body == "Ann's and Bob's wording."


def draft_sections(article):
    return Section.objects.filter(article__draft_of=article)


@pytest.mark.django_db
def test_a_stale_save_of_unpublished_changes_is_refused_and_merging_saves(
    two_editors, seed_article
):
    ann, bob = two_editors
    ann_form = edited_form(ann, seed_article, "Ann's wording.", publish=False)
    bob_form = edited_form(bob, seed_article, "Bob's wording.", publish=False)
    assert ann.post(change_url(seed_article), ann_form).status_code == 302

    refused = bob.post(change_url(seed_article), bob_form)

    assert refused.status_code == 200
    assert "Ann Hughes saved this article" in refused.content.decode()
    assert draft_sections(seed_article).first().body == "Ann's wording."
    merged = change_form_data(refused, publish=False)
    merged[f"{inline_prefix(refused, Section)}-0-body"] = "Ann's and Bob's wording."
    assert bob.post(change_url(seed_article), merged).status_code == 302
    assert draft_sections(seed_article).first().body == "Ann's and Bob's wording."
    assert seed_article.sections.first().body != "Ann's and Bob's wording."


@pytest.mark.django_db
def test_an_editor_whose_changes_were_approved_meanwhile_can_save_after_merging(
    editor, clinical_reviewer, seed_article
):
    submitted = edited_form(editor, seed_article, "Submitted wording.", publish=False)
    assert editor.post(change_url(seed_article), submitted | {"_submit": "1"}).status_code == 302
    stale = edited_form(editor, seed_article, "Wording typed during the approval.", publish=False)
    assert approve(clinical_reviewer, seed_article).status_code == 302
    refused = editor.post(change_url(seed_article), stale)
    assert refused.status_code == 200

    saved = editor.post(change_url(seed_article), change_form_data(refused, publish=False))

    assert saved.status_code == 302, saved.context and saved.context["errors"]
    assert draft_sections(seed_article).first().body == "Wording typed during the approval."


@pytest.mark.django_db
def test_saving_twice_from_one_editor_works(admin_client, seed_article):
    first = edited_form(admin_client, seed_article, "One.")
    assert admin_client.post(change_url(seed_article), first).status_code == 302
    second = edited_form(admin_client, seed_article, "Two.")
    assert admin_client.post(change_url(seed_article), second).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_never_both_win(two_editors, seed_article):
    """Ann's save holds its transaction open while Bob's save runs against it."""
    ann, bob = two_editors
    ann_form = edited_form(ann, seed_article, "Ann's wording.")
    bob_form = edited_form(bob, seed_article, "Bob's wording.")
    ann_in_transaction, release_ann = threading.Event(), threading.Event()
    responses = {}

    def hold_ann(sender, instance, **kwargs):
        if threading.current_thread().name == "ann":
            ann_in_transaction.set()
            release_ann.wait(timeout=30)

    def post(name, client, data):
        try:
            responses[name] = client.post(change_url(seed_article), data)
        finally:
            connections.close_all()

    pre_save.connect(hold_ann, sender=Article)
    try:
        ann_thread = threading.Thread(target=post, args=("ann", ann, ann_form), name="ann")
        ann_thread.start()
        assert ann_in_transaction.wait(timeout=30)
        bob_thread = threading.Thread(target=post, args=("bob", bob, bob_form), name="bob")
        bob_thread.start()
        bob_was_blocked = wait_until_another_transaction_waits_for_a_lock()
        assert bob_thread.is_alive(), "Bob's save finished while Ann's transaction was open"
        release_ann.set()
        ann_thread.join(timeout=30)
        bob_thread.join(timeout=30)
    finally:
        release_ann.set()
        pre_save.disconnect(hold_ann, sender=Article)

    assert responses["ann"].status_code == 302
    assert responses["bob"].status_code == 200
    assert "Ann Hughes saved this article" in responses["bob"].content.decode()
    assert Section.objects.filter(article=seed_article).first().body == "Ann's wording."
    assert bob_was_blocked, "Bob's transaction never waited on Ann's row lock"
