"""The security audit's findings, each replayed as it was found, through the real entry points."""

import multiprocessing
import re
import struct
import zlib
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from PIL import Image
from reversion.models import Version

from articles.models import Article, Callout, Publication, Review, Section
from tests.accounts import member_of, signed_in
from tests.admin_forms import (
    approve,
    change_form_data,
    change_url,
    inline_prefix,
    save_through_admin,
    unrendered,
)
from tests.constants import PROXIED_HTTPS, SEED_SLUG
from tests.factories import (
    ArticleFactory,
    CalloutFactory,
    ReviewFactory,
    SectionFactory,
    indexed,
)

pytestmark = pytest.mark.django_db

PASSWORD = "calm-blue-kettle-sings-at-dawn"
# A hang guard, not a benchmark: the fixed code takes well under a second.
DEADLINE_SECONDS = 20
PREVIEW = "markdownx_markdownify"
UPLOAD = "markdownx_upload"


def form_index(data, prefix, part):
    """The index of `part`'s form within its inline's POST data."""
    return next(
        index
        for index in range(int(data[f"{prefix}-TOTAL_FORMS"]))
        if str(data.get(f"{prefix}-{index}-id")) == str(part.pk)
    )


def parts_of(article):
    """Every part row of the article with all its fields, to prove nothing moved."""
    return {
        name: list(getattr(article, name).order_by("pk").values())
        for name in (
            "sections", "causes", "relief_techniques", "prevention_tips", "callouts",
            "reviews", "sources",
        )
    }  # fmt: skip


def in_time(function, seconds=DEADLINE_SECONDS):
    """function() run in a forked copy of this process, database connection included;
    its result, or a failure if it is still running after `seconds`."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def child():
        try:
            sender.send(("returned", function()))
        except BaseException as error:
            sender.send(("raised", repr(error)))

    process = context.Process(target=child)
    process.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            pytest.fail(f"still running after {seconds} s")
        outcome, value = receiver.recv()
    finally:
        if process.is_alive():
            process.kill()
        process.join()
    assert outcome == "returned", value
    return value


# 1. reversion's recover page: any version, add permission only, around the restore rules.


def test_the_recover_page_refuses_a_version_of_an_article_that_still_exists(
    admin_client, client, seed_article, django_user_model
):
    save_through_admin(admin_client, seed_article)
    [*_, before_review] = Version.objects.get_for_object(seed_article)
    ReviewFactory(
        article=seed_article,
        kind=Review.Kind.CLINICAL,
        reviewer_name="Dr Ada Reyes",
        reviewer_role="General practitioner",
    )
    save_through_admin(admin_client, seed_article)
    article_before = Article.objects.filter(pk=seed_article.pk).values().get()
    parts_before = parts_of(seed_article)
    editor = member_of("Editors", PASSWORD)
    recover = reverse("admin:articles_article_recover", args=[before_review.pk])

    response = editor.post(recover)

    assert response.status_code == 404
    assert editor.get(recover).status_code == 404
    assert Article.objects.filter(pk=seed_article.pk).values().get() == article_before
    assert parts_of(seed_article) == parts_before
    assert Article.objects.count() == 1 and Article.rows.count() == 2  # the page, its draft
    page = client.get(seed_article.get_absolute_url()).content.decode()
    assert "not yet reviewed by a clinician" not in page
    assert "Dr Ada Reyes" in page


def test_an_empty_post_to_the_recover_page_of_a_part_changes_nothing(
    admin_client, client, seed_article, django_user_model
):
    save_through_admin(admin_client, seed_article)
    # reversion gave the admin's change page the part's id: a section that is no article.
    section = seed_article.sections.exclude(pk__in=Article.rows.values("pk")).last()
    [part_version] = Version.objects.get_for_object(section)

    def reword(data, page):
        # The change page edits the draft: the same section there has the same key.
        prefix = inline_prefix(page, Section)
        in_draft = Section.objects.get(article__draft_of=seed_article, key=section.key)
        data[f"{prefix}-{form_index(data, prefix, in_draft)}-body"] = "Wording of the newest save."

    save_through_admin(admin_client, seed_article, reword)
    url = seed_article.get_absolute_url()
    for _ in range(3):
        cached = client.get(url)
    assert cached["X-Cache"] == "HIT"
    before = parts_of(seed_article)
    editor = member_of("Editors", PASSWORD)

    response = editor.post(reverse("admin:articles_article_recover", args=[part_version.pk]), {})

    assert parts_of(seed_article) == before
    served, rendered = client.get(url), client.get(url, {"utm_source": "audit"})
    assert rendered["X-Cache"] == "MISS"
    for page in (served, rendered):
        assert "Wording of the newest save." in page.content.decode()
    assert response.status_code == 404


def deleted_draft(admin_client, deleter, title, status=Article.Status.DRAFT):
    """The recover page's address for a never-published article with a section and a
    clinical review, saved through the admin with `status`, then deleted by `deleter`."""
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, title=title)
    SectionFactory(article=draft, heading="What was in it", body="Draft text.")
    ReviewFactory(
        article=draft, kind=Review.Kind.CLINICAL, reviewer_name="Dr Ada Reyes",
        reviewer_role="General practitioner",
    )  # fmt: skip
    save_through_admin(admin_client, draft, lambda data, page: data.update(status=status))
    delete = reverse("admin:articles_article_delete", args=[draft.pk])
    assert deleter.post(delete, {"post": "yes"}).status_code == 302
    [version] = Version.objects.get_deleted(Article)
    return reverse("admin:articles_article_recover", args=[version.pk])


def test_an_editor_recovers_a_deleted_draft_with_its_parts(admin_client):
    editor = member_of("Editors", PASSWORD)
    recover = deleted_draft(admin_client, editor, "Plain draft")

    response = editor.post(recover)

    assert response.status_code == 302
    recovered = Article.objects.get(title="Plain draft")
    draft = Article.rows.get(draft_of=recovered)
    assert list(draft.sections.values_list("body", flat=True)) == ["Draft text."]


def test_recovering_never_brings_back_a_review(admin_client):
    editor = member_of("Editors", PASSWORD)
    recover = deleted_draft(admin_client, editor, "Reviewed draft")

    assert editor.post(recover).status_code == 302

    recovered = Article.objects.get(title="Reviewed draft")
    draft = Article.rows.get(draft_of=recovered)
    assert not Review.objects.filter(article__in=[recovered, draft]).exists()


def test_a_recovered_article_stays_unseen_whatever_its_version_said(admin_client, client):
    editor = member_of("Editors", PASSWORD)
    recover = deleted_draft(
        admin_client, editor, "Once marked published", Article.Status.PUBLISHED
    )

    assert editor.post(recover).status_code == 302

    recovered = Article.objects.get(title="Once marked published")
    draft = Article.rows.get(draft_of=recovered)
    assert recovered.status == draft.status == Article.Status.DRAFT
    assert not Publication.objects.filter(article=recovered).exists()
    assert client.get(recovered.get_absolute_url()).status_code == 404


# 2. An image decompression bomb for the upload endpoint.


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width, height):
    """A small PNG of width x height black pixels, one bit each, compressed row by row."""
    compressor = zlib.compressobj(9)
    row = bytes(1 + (width + 7) // 8)  # filter byte, then the row's bits
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", pixels)
        + png_chunk(b"IEND", b"")
    )


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def upload(client, name, content):
    return client.post(reverse(UPLOAD), {"image": SimpleUploadedFile(name, content, "image/png")})


# Refused by our own size check, so Pillow's warning would only alarm whoever reads the logs.
@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_an_image_of_13000_by_13000_pixels_is_refused_before_decoding(editor_client, settings):
    bomb = bomb_png(13_000, 13_000)
    assert len(bomb) < 100_000  # 169 megapixels in a file smaller than a photo thumbnail

    response = upload(editor_client, "bomb.png", bomb)

    assert response.status_code == 400
    assert "13000 by 13000 pixels" in str(response.json())
    assert stored_files(settings) == []


# 3. The Markdown endpoints: rights, not just is_staff; bounded input.


def test_staff_without_article_rights_can_neither_upload_nor_preview(django_user_model, settings):
    staff = django_user_model.objects.create_user("no-rights", password=PASSWORD, is_staff=True)
    client = signed_in(staff)
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG")

    uploaded = upload(client, "a.png", buffer.getvalue())
    previewed = client.post(reverse(PREVIEW), {"content": "**hi**"})

    assert uploaded.status_code == 403
    assert stored_files(settings) == []
    assert previewed.status_code == 403
    assert b"<strong>" not in previewed.content


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 16_000, "the most one box can hold is 6,000"),  # the audit's attack
        ("[" * 51 + " calf" * 100, "square brackets"),
        ("Calf cramps. " * 2_000, "the most one box can hold is 6,000"),
    ],
)
def test_preview_of_text_over_the_limits_gets_a_message_not_a_rendering(
    editor_client, content, message
):
    response = editor_client.post(reverse(PREVIEW), {"content": content})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert b"<p>" not in response.content  # not rendered


# Over the cap, and over Django's own 2.5 MB, which it could only find by reading the body.
@pytest.mark.parametrize("length", [1_000_000, 3_000_000])
def test_a_preview_body_over_the_cap_is_refused_before_it_is_read(editor_client, length):
    response = editor_client.post(reverse(PREVIEW), {"content": "a" * length})

    assert response.status_code == 413


# 4. The care-card list parser on a body of blank lines.

BLANK_LINES = " \n" * 300_000


def test_a_care_card_of_300000_blank_lines_still_renders_the_article():
    article = ArticleFactory(condition_name="Night-time calf cramps")
    callout = CalloutFactory(article=article)
    # A match at the start; then every blank line's start scanned ahead to the end.
    Callout.objects.filter(pk=callout.pk).update(body="- a real sign\n" + BLANK_LINES)
    url = article.get_absolute_url()

    status = in_time(lambda: Client(headers=PROXIED_HTTPS).get(url).status_code)

    assert status == 200


def test_care_card_list_items_are_found_in_linear_time():
    def items():
        from articles.seo.structured_data import list_items

        return list_items(BLANK_LINES + "- a real sign\n" + BLANK_LINES)

    assert in_time(items) == ["a real sign"]


def test_every_regular_expression_that_reads_text_stays_linear():
    """Each of our patterns on ten times the audit's 30,000-line attack, in the worst shape
    for it; and the comparison of two revisions, which is not a pattern but was quadratic."""

    def run_all():
        from articles.caching.variants import accepted_codings
        from articles.publishing.diff import word_diff
        from articles.search.log import may_be_personal
        from articles.search.query import query_words

        hostile = " \t\n" * 100_000 + "x"
        return [
            bool(word_diff(hostile, hostile + "y")),
            # Repeated words are difflib's worst case: 2,000 of them took 79 s before.
            bool(word_diff("a b " * 10_000, "b a c " * 6_000)),
            query_words("a" * 300_000 + " " * 300_000),
            may_be_personal("a" * 300_000 + "@"),
            bool(accepted_codings("g" * 300_000 + "zip,")),
        ]

    assert in_time(run_all)[:2] == [True, True]


@pytest.mark.parametrize(
    "shape",
    ["[", "<a  ", "``a`", "![<a  **a **", "a\n=\n", "a\n-\n", "# h\n", "***\n", "- " * 20 + "x\n"],
)
def test_shapes_that_make_python_markdown_slow_are_refused_before_rendering(shape):
    """Each of these took seconds to render at 20,000 characters (found by a review and a
    fuzz run); at the largest size a box may hold, each is still refused."""
    from articles.markdown import MARKDOWN_MAX_LENGTH, markdown_problem

    text = (shape * MARKDOWN_MAX_LENGTH)[:MARKDOWN_MAX_LENGTH]

    assert markdown_problem(text)


# 5. Page-cache variants.


def cache_files(settings):
    return sum(1 for p in Path(settings.CACHES["default"]["LOCATION"]).rglob("*") if p.is_file())


def warm_generation(client, url):
    """The first page after a start only opens a cache generation; fill from the next on."""
    client.get(url)


def test_an_article_with_p_1_to_200_is_never_stored_again_and_again(client, settings):
    url = ArticleFactory().get_absolute_url()
    warm_generation(client, url)
    files = cache_files(settings)

    answers = [client.get(url, {"p": n})["X-Cache"] for _ in range(2) for n in range(1, 201)]

    assert set(answers) == {"MISS"}
    assert cache_files(settings) == files


def test_a_zero_padded_home_page_number_is_never_stored(client, settings):
    ArticleFactory.create_batch(21)
    warm_generation(client, reverse("articles:index"))

    answers = [client.get(reverse("articles:index"), {"page": "0001"}) for _ in range(3)]

    assert [a.status_code for a in answers] == [200] * 3
    assert [a["X-Cache"] for a in answers] == ["MISS"] * 3


def test_the_second_home_page_is_stored(client):
    ArticleFactory.create_batch(21)
    warm_generation(client, reverse("articles:index"))

    answers = [client.get(reverse("articles:index"), {"page": "2"}) for _ in range(2)]

    assert [a.status_code for a in answers] == [200, 200]
    assert [a["X-Cache"] for a in answers] == ["MISS", "HIT"]


# 6. Search highlight marks injected by the text itself.


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "Quagga \x02injected\x03 title"},
        {"summary": "Quagga facts with \x02injected\x03 words in the summary."},
        {"lead": "Quagga facts with &#2;injected&#3; words in the lead."},
    ],
)
def test_text_cannot_mark_its_own_words_in_search_results(client, fields):
    indexed(ArticleFactory(**{"title": "Quagga", **fields}))

    page = client.get(reverse("articles:search"), {"q": "quagga"}).content.decode()

    marked = re.findall(r"<mark>(.*?)</mark>", page, re.DOTALL)
    assert marked, "the matching word is marked"
    assert {word.lower() for word in marked} == {"quagga"}


# 7. Sign-in guesses spread over many addresses.


@pytest.fixture
def behind_our_proxy(settings):
    """The site as deployed behind nginx at 127.0.0.1, which it is told to trust."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    return settings


def sign_in(username, password, address, code=""):
    """A sign-in from `address`, as our proxy passes it on, in a browser of its own."""
    browser = Client(headers=PROXIED_HTTPS)
    response = browser.post(
        reverse("admin:login"),
        {"username": username, "password": password, "otp_token": code, "next": "/admin/"},
        REMOTE_ADDR="127.0.0.1",
        headers={"X-Forwarded-For": f"203.0.113.66, {address}"},
    )
    return browser, response


def test_twenty_wrong_passwords_from_twenty_addresses_lock_the_username_either_way(
    django_user_model, behind_our_proxy
):
    settings = behind_our_proxy
    django_user_model.objects.create_user("pat", password=PASSWORD, is_staff=True)
    tries = 20
    answers = {}
    for username in ("pat", "nobody-of-that-name"):
        statuses = [
            sign_in(username, f"wrong-{n}", f"198.51.100.{n + 1}")[1].status_code
            for n in range(tries)
        ]
        browser, last = sign_in(username, PASSWORD, "192.0.2.77")
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", last.content.decode())
        answers[username] = (statuses, last.status_code, page)
        assert "_auth_user_id" not in browser.session

    statuses, status, content = answers["pat"]
    assert status == 429
    assert "Sign-in paused" in content
    assert statuses[: tries - 1] == [200] * (tries - 1)  # one each: no address was locked
    assert answers["nobody-of-that-name"] == answers["pat"]
    assert tries == settings.AXES_ACCOUNT_FAILURE_LIMIT


def test_the_username_lock_ends_after_the_cool_off(django_user_model, behind_our_proxy):
    settings = behind_our_proxy
    from axes.models import AccessAttempt
    from django.utils import timezone

    django_user_model.objects.create_user("pat", password=PASSWORD, is_staff=True)
    for n in range(settings.AXES_ACCOUNT_FAILURE_LIMIT):
        sign_in("pat", f"wrong-{n}", f"198.51.100.{n + 1}")
    assert sign_in("pat", PASSWORD, "192.0.2.77")[1].status_code == 429

    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    browser, response = sign_in("pat", PASSWORD, "192.0.2.77")

    assert response.status_code == 302
    assert "_auth_user_id" in browser.session


# 8. A restore that fails must not leave the parts parked above the maximum position.


@pytest.mark.database  # the database's unique constraint refuses the slug mid-restore
def test_a_restore_that_fails_on_a_taken_slug_leaves_every_part_where_it_was(
    admin_client, seed_article
):
    save_through_admin(admin_client, seed_article)
    [*_, revision_a] = Version.objects.get_for_object(seed_article)
    save_through_admin(admin_client, seed_article, lambda d, p: d.update(slug="renamed-cramps"))
    restore = reverse("admin:articles_article_revision", args=[seed_article.pk, revision_a.pk])
    assert admin_client.get(restore).status_code == 200  # the editor opens revision A
    ArticleFactory(slug=SEED_SLUG, title="Another article")  # meanwhile its address is taken
    article_before = Article.objects.filter(pk=seed_article.pk).values().get()
    parts_before = parts_of(seed_article)

    assert admin_client.post(restore).status_code == 302
    refused = approve(admin_client, seed_article)

    assert "is the address of “Another article”" in refused.content.decode()
    parts_after = parts_of(seed_article)
    parts_of_draft = parts_of(Article.rows.get(draft_of=seed_article))
    parked = [
        (name, part["position"])
        for name, parts in [*parts_after.items(), *parts_of_draft.items()]
        for part in parts
        if part.get("position", 0) > 9999
    ]
    assert parked == []
    assert parts_after == parts_before
    assert Article.objects.filter(pk=seed_article.pk).values().get() == article_before
    assert Article.objects.get(slug=SEED_SLUG).title == "Another article"


# 9. Deeply nested Markdown, and the admin's shortcut to an object's address.

# The list as the audit wrote it, four spaces a level; and the same depth of nesting that
# fits in a box, each item opening the next list on one line.
NESTED_LISTS = {
    "indented, 300 levels": "\n".join("    " * depth + f"- level {depth}" for depth in range(300)),
    "on one line, 1000 levels": "- " * 1000 + "level 1000",
}


@pytest.mark.database  # nothing saved: the whole save rolls back
@pytest.mark.parametrize("shape", NESTED_LISTS)
def test_saving_a_deeply_nested_list_is_a_form_error_and_saves_nothing(
    seed_article, django_user_model, shape
):
    editor = member_of("Editors", PASSWORD)
    article_before = Article.objects.filter(pk=seed_article.pk).values().get()
    parts_before = parts_of(seed_article)
    versions_before = Version.objects.count()
    page = unrendered(editor, change_url(seed_article))
    data = change_form_data(page)
    data["title"] = "A title saved along with the list"
    prefix = inline_prefix(page, Section)
    data[f"{prefix}-0-body"] = NESTED_LISTS[shape]

    response = editor.post(change_url(seed_article), data)

    assert response.status_code == 200
    assert f'id="id_{prefix}-0-body_error"' in response.content.decode()
    assert Article.objects.filter(pk=seed_article.pk).values().get() == article_before
    assert parts_of(seed_article) == parts_before
    assert Version.objects.count() == versions_before


@pytest.mark.parametrize("shape", NESTED_LISTS)
def test_a_stored_deeply_nested_list_still_renders_the_page(client, seed_article, shape):
    Section.objects.filter(pk=seed_article.sections.first().pk).update(body=NESTED_LISTS[shape])

    response = client.get(seed_article.get_absolute_url())

    assert response.status_code == 200
    assert NESTED_LISTS[shape].rsplit("- ", 1)[1] in response.content.decode()


def test_the_admin_shortcut_tells_only_editors_where_a_draft_lives(django_user_model):
    draft = ArticleFactory(
        status=Article.Status.DRAFT, publish_at=None, slug="unannounced-draft-address"
    )
    shortcut = reverse(
        "admin:view_on_site", args=[ContentType.objects.get_for_model(Article).pk, draft.pk]
    )
    no_rights = signed_in(
        django_user_model.objects.create_user("no-rights", password=PASSWORD, is_staff=True)
    )
    editor = member_of("Editors", PASSWORD)

    refused = no_rights.get(shortcut)
    sent_on = editor.get(shortcut)

    assert refused.status_code == 404
    assert "unannounced-draft-address" not in refused.content.decode() + refused.get(
        "Location", ""
    )
    assert sent_on.status_code == 302
    assert sent_on["Location"].endswith("/articles/unannounced-draft-address/")


# Two-step sign-in.


def current_code(device, steps_ahead=0):
    device.refresh_from_db()
    code = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift + steps_ahead,
    )
    return f"{code:0{device.digits}d}"


def test_a_superuser_without_an_app_must_set_one_up_before_any_other_admin_page(
    django_user_model,
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    browser, signed = sign_in("boss", PASSWORD, "198.51.100.20")
    two_factor = reverse("admin:two_factor")

    assert signed.status_code == 302
    for name in (
        "admin:index", "admin:articles_article_changelist", "admin:articles_article_add",
        "admin:articles_article_recoverlist", "admin:auth_user_changelist",
        "admin:otp_totp_totpdevice_changelist",
    ):  # fmt: skip
        response = browser.get(reverse(name))
        assert (response.status_code, response.get("Location")) == (302, two_factor), name
    assert browser.get(two_factor).status_code == 200
    device = TOTPDevice.objects.get(user=boss, confirmed=False)

    confirmed = browser.post(two_factor, {"token": current_code(device)})

    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("admin:index")
    device.refresh_from_db()
    assert device.confirmed
    assert browser.get(reverse("admin:auth_user_changelist")).status_code == 200


def test_the_editor_endpoints_also_wait_for_the_second_step(django_user_model, settings):
    django_user_model.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    browser, signed = sign_in("boss", PASSWORD, "198.51.100.24")
    assert signed.status_code == 302
    assert browser.get(reverse("admin:index")).status_code == 302  # to the second step
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG")

    uploaded = upload(browser, "a.png", buffer.getvalue())
    previewed = browser.post(reverse(PREVIEW), {"content": "**hi**"})

    assert uploaded.status_code == 403
    assert stored_files(settings) == []
    assert previewed.status_code == 403


def test_once_set_up_sign_in_needs_the_password_and_a_current_code(django_user_model):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    device = TOTPDevice.objects.create(user=boss, name="Phone", confirmed=True)

    password_only, refused = sign_in("boss", PASSWORD, "198.51.100.21")
    assert refused.status_code == 200
    assert "Enter the six-digit code from your authenticator app." in refused.content.decode()
    assert "_auth_user_id" not in password_only.session
    assert password_only.get(reverse("admin:index")).status_code == 302

    code = current_code(device)
    browser, accepted = sign_in("boss", PASSWORD, "198.51.100.21", code)
    assert accepted.status_code == 302
    assert browser.get(reverse("admin:auth_user_changelist")).status_code == 200

    replayed, again = sign_in("boss", PASSWORD, "198.51.100.22", code)
    assert again.status_code == 200
    assert "_auth_user_id" not in replayed.session


def test_an_editor_without_an_app_signs_in_with_the_password_alone(django_user_model):
    editor = django_user_model.objects.create_user("ed", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))

    browser, signed = sign_in("ed", PASSWORD, "198.51.100.23")

    assert signed.status_code == 302
    assert browser.get(reverse("admin:index")).status_code == 200
    assert browser.get(reverse("admin:articles_article_changelist")).status_code == 200
