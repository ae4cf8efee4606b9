"""What readers see was approved: a property over random sequences of what editors,
clinical reviewers, superusers and time can do, through the real admin.

After every step: each article's page, its search result and its JSON-LD equal the
version of its last publication that went live; every publication that went live was
approved by someone allowed to approve it, and the version approved is the version the
reviewer's sign-off page showed; no publication record is ever lost; nothing answers 500
(the test client raises). CI runs a fixed seed (derandomised) within a minute;
`make test-sign-off-long` runs more and longer sequences from a random seed
(HYPOTHESIS_EXAMPLES, HYPOTHESIS_STEPS).
"""

import collections
import datetime
import json
import os
import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)
from reversion.models import Version

from articles.accounts.roles import may_publish
from articles.models import Article, PreventionTip, Publication, Section
from articles.publishing.drafts import Snapshot
from articles.publishing.publish import record_launch
from articles.search import search
from tests.accounts import member_of, sign_in_again
from tests.admin_forms import (
    add_row,
    change_form_data,
    change_url,
    go_live_boxes,
    inline_prefix,
    sign_off_url,
    unrendered,
)
from tests.constants import PROXIED_HTTPS
from tests.factories import ArticleFactory, PreventionTipFactory, SectionFactory
from tests.test_sign_off import DISCARD

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "15"))
STEPS = int(os.environ.get("HYPOTHESIS_STEPS", "20"))
WORD = re.compile(r"\btok[a-z]+\b")
# What the runs did, so that a run that never approved anything fails rather than passes.
SEEN = collections.Counter()


def seen(what):
    event(what)
    SEEN[what] += 1


def token(number):
    """A made-up word that search keeps as it is: "tok" and letters."""
    letters = ""
    while True:
        number, rest = divmod(number, 26)
        letters = chr(ord("a") + rest) + letters
        if not number:
            return "tok" + letters


def summary_with(word):
    return f"What to do about night cramps in the calf, tested as {word} by a reader."


class SignOff(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Each example starts from the same database (rolled back in teardown) and an
        # empty page cache (which no rollback empties).
        self.example = transaction.atomic()
        self.example.__enter__()
        cache.clear()
        self.clock = time_machine.travel(timezone.now(), tick=False)
        self.now = self.clock.start()
        self.counter = 0
        self.editor = member_of("Editors")
        self.reviewer = member_of("Clinical reviewers")
        self.other_reviewer = member_of("Clinical reviewers", username="second_reviewer")
        self.reader = Client(headers=PROXIED_HTTPS)
        self.page = self._launched_article()
        self.opened = {}  # a reviewer's last sign-off page: (response, summary shown)
        self.approved = {}  # publication pk -> the summary its reviewer was shown
        self.gone_live = set()

    def teardown(self):
        self.clock.stop()
        transaction.set_rollback(True)
        self.example.__exit__(None, None, None)

    def _launched_article(self):
        article = ArticleFactory(summary=summary_with(token(0)), slug="cramps-under-test")
        SectionFactory(article=article, position=1, heading="What helps", body="Stretch.")
        PreventionTipFactory(article=article, position=1, body="Drink water.", evidence="")
        record_launch(article)
        return article

    def _next_word(self):
        self.counter += 1
        return token(self.counter)

    def _step(self, action):
        """Run one step as a request would: what it queues for after commit runs."""
        with TestCase.captureOnCommitCallbacks(execute=True):
            return action()

    # A change from edit to verdict in one step, so that every run approves and takes down
    # often; the rules below interleave everything else between them.
    @rule(
        take_down=st.sampled_from([False, True]),
        later=st.sampled_from([0, 5, 90]),
        verdict=st.sampled_from(["approve", "approve", "send_back"]),
    )
    def change_and_review(self, take_down, later, verdict):
        self.edit(submit=True, add_tip=True, drop_tip=False, take_down=take_down)
        if verdict == "approve":
            self.approve("reviewer", later, fresh=True)
        else:
            self.send_back()

    # What editors do.

    @rule(submit=st.sampled_from([True, True, False]), add_tip=st.booleans(),
          drop_tip=st.booleans(),
          take_down=st.sampled_from([False, False, False, True]))  # fmt: skip
    def edit(self, submit, add_tip, drop_tip, take_down):
        word = self._next_word()

        def save():
            page = unrendered(self.editor, change_url(self.page))
            data = change_form_data(page, publish=False)
            data["summary"] = summary_with(word)
            data["status"] = "draft" if take_down else "published"
            tips = inline_prefix(page, PreventionTip)
            count = int(data[f"{tips}-TOTAL_FORMS"])
            if drop_tip and count:
                data[f"{tips}-0-DELETE"] = "on"
            if add_tip:
                add_row(data, page, PreventionTip, body=f"Try {word} before bed.")
            sections = inline_prefix(page, Section)
            data[f"{sections}-0-body"] = f"Stretch, then {word}."
            if submit:
                data["_submit"] = "Save and submit for clinical review"
            return self.editor.post(change_url(self.page), data)

        response = self._step(save)
        assert response.status_code in (200, 302)

    def submit(self):
        response = self._step(lambda: self.editor.post(sign_off_url(self.page), {"_submit": "1"}))
        assert response.status_code == 302

    def discard(self):
        response = self._step(lambda: self.editor.post(sign_off_url(self.page), DISCARD))
        assert response.status_code == 302

    def restore(self, which):
        versions = list(Version.objects.get_for_object(self.page))
        version = versions[which % len(versions)]
        url = reverse("admin:articles_article_revision", args=[self.page.pk, version.pk])
        assert self._step(lambda: self.editor.post(url)).status_code == 302

    def delete(self):
        url = reverse("admin:articles_article_delete", args=[self.page.pk])
        response = self._step(lambda: self.editor.post(url, {"post": "yes"}))
        assert response.status_code in (302, 403)
        assert Article.objects.filter(pk=self.page.pk).exists()

    def recover(self):
        for version in Version.objects.get_deleted(Article)[:3]:
            url = reverse("admin:articles_article_recover", args=[version.pk])
            assert self._step(lambda url=url: self.editor.post(url)).status_code == 302

    @rule(
        action=st.sampled_from(["submit", "discard", "restore", "delete", "recover"]),
        which=st.integers(min_value=0, max_value=50),
    )
    def editor_acts(self, action, which):
        if action == "restore":
            self.restore(which)
        else:
            getattr(self, action)()

    # What reviewers do.

    @rule(
        action=st.sampled_from(["approve", "approve", "send_back", "cancel_scheduled", "look"]),
        reviewer=st.sampled_from(["reviewer", "other_reviewer"]),
        later=st.sampled_from([0, 0, 5, 90]),
        fresh=st.booleans(),
        crafted=st.sampled_from(["", "nothing", "draft:", "draft:²", "revision:1", "x" * 100]),
    )
    def review(self, action, reviewer, later, fresh, crafted):
        if action == "approve":
            self.approve(reviewer, later, fresh)
        elif action == "look":  # a stale or a crafted approval changes nothing
            self.open_sign_off(reviewer)
            self.approve_crafted(crafted)
        else:
            getattr(self, action)()

    def open_sign_off(self, reviewer):
        client = getattr(self, reviewer)
        response = client.get(sign_off_url(self.page))
        assert response.status_code == 200
        draft = Article.rows.filter(draft_of=self.page).first()
        self.opened[reviewer] = (response, draft.summary if draft else None)

    def approve(self, reviewer, later, fresh):
        if fresh or reviewer not in self.opened:
            self.open_sign_off(reviewer)
        response, shown = self.opened[reviewer]
        form = response.context["approve_form"]
        go_live = timezone.localtime() + datetime.timedelta(minutes=later)
        data = {
            "_approve": "1",
            "reviewed": form["reviewed"].value() or "",
            "reviewer_role": "GP",
            "note": "",
            "when": "later" if later else "now",
            **go_live_boxes(go_live.strftime("%Y-%m-%dT%H:%M") if later else ""),
        }
        before = set(Publication.objects.values_list("pk", flat=True))
        client = getattr(self, reviewer)
        result = self._step(lambda: client.post(sign_off_url(self.page), data))
        assert result.status_code in (200, 302)
        for publication in Publication.objects.exclude(pk__in=before):
            # Approved what the page showed, and nothing else.
            self.approved[publication.pk] = shown
            assert shown is not None
            seen("approved for later" if publication.went_live_at is None else "approved now")

    def send_back(self):
        response = self._step(
            lambda: self.reviewer.post(
                sign_off_url(self.page), {"_send_back": "1", "comment": "No"}
            )
        )
        assert response.status_code in (200, 302)

    def cancel_scheduled(self):
        response = self._step(
            lambda: self.reviewer.post(sign_off_url(self.page), {"_cancel_scheduled": "1"})
        )
        assert response.status_code == 302

    def approve_crafted(self, crafted):
        data = {"_approve": "1", "reviewed": crafted, "reviewer_role": "GP", "when": "now"}
        before = Publication.objects.count()
        response = self._step(lambda: self.other_reviewer.post(sign_off_url(self.page), data))
        assert response.status_code in (200, 302)
        assert Publication.objects.count() == before

    # Time.

    @rule(minutes=st.sampled_from([1, 10, 100]))
    def time_passes(self, minutes):
        self.now.shift(datetime.timedelta(minutes=minutes))
        # Staff come back to a session that may have ended (STAFF_SESSION_IDLE).
        for client in (self.editor, self.reviewer, self.other_reviewer):
            sign_in_again(client)
        waiting = Publication.objects.waiting().count()
        self._step(lambda: self.reader.get("/"))  # the first request puts due changes live
        if Publication.objects.waiting().count() < waiting:
            seen("went live at its time")

    # What must hold after every step.

    @invariant()
    def readers_get_the_last_publication_that_went_live(self):
        live = Publication.objects.gone_live().filter(article=self.page).first()
        version = Snapshot.of_revision(live.revision)
        url = f"/articles/{self.page.slug}/"
        response = self._step(lambda: self.reader.get(url))
        expected_live = version.article.is_live()
        summary = version.article.summary
        [word] = WORD.findall(summary)
        found = [result.article.pk for result in search(word)]
        seen(f"readers see {'the page' if expected_live else 'nothing'}")
        if not expected_live:
            assert response.status_code == 404
            assert self.page.pk not in found
            return
        assert response.status_code == 200
        body = response.content.decode()
        assert set(WORD.findall(_summary_in(body))) == {word}
        assert _json_ld(body)["description"] == summary
        assert self.page.pk in found

    @invariant()
    def every_publication_was_approved_by_someone_allowed_as_shown(self):
        gone_live = set(Publication.objects.gone_live().values_list("pk", flat=True))
        assert self.gone_live <= gone_live, "a publication record was lost"
        self.gone_live = gone_live
        for publication in Publication.objects.select_related("published_by", "revision"):
            if publication.published_by is None:
                continue  # the launch
            assert may_publish(publication.published_by)
            shown = self.approved.get(publication.pk)
            if shown is not None:
                assert Snapshot.of_revision(publication.revision).article.summary == shown


def _summary_in(body):
    match = re.search(r'<meta name="description" content="([^"]*)"', body)
    return match.group(1) if match else ""


def _json_ld(body):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    for block in blocks:
        for node in json.loads(block).get("@graph", []):
            if "MedicalWebPage" in str(node.get("@type")):
                return node
    raise AssertionError("no MedicalWebPage in the page's JSON-LD")


@pytest.mark.django_db
def test_what_readers_see_was_approved_whatever_the_order_of_steps(settings_fixture):
    SEEN.clear()
    run_state_machine_as_test(
        SignOff,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=not os.environ.get("HYPOTHESIS_RANDOM"),
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    # The paths that matter were taken, not only checked when taken.
    for path in ("approved now", "approved for later", "went live at its time",
                 "readers see the page", "readers see nothing"):  # fmt: skip
        assert SEEN[path], f"no run {path}: {dict(SEEN)}"
    print(f"\nSign-off paths taken: {dict(SEEN)}")


@pytest.fixture
def settings_fixture(settings):
    # The production default: a second person approves every change.
    settings.SIGN_OFF_SELF_APPROVAL = False
    return settings
