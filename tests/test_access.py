"""Every admin and editor URL, for every role and method: the answer it must give.

MATRIX has one entry per URL pattern the URLconf exposes, the libraries' included, so a
pattern that arrives without an entry fails the first test. Each entry lists the real URLs
the pattern is tried at and, for each, a rule giving every role's answer to GET and POST.
A refusal must also change nothing; no answer changes the pages readers are given (an
article's page rows and what belongs to them) unless its rule says it publishes or deletes;
and no answer to someone without rights on articles, nor any reader page, may show an
unpublished article or a change waiting for sign-off.
"""

import copy
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlencode, urlsplit
from uuid import uuid4

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLResolver
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from reversion.models import Version

from articles.models import (
    PART_MODELS,
    Article,
    Feedback,
    Publication,
    Review,
    SearchWord,
    SlugRedirect,
    Synonym,
)
from articles.publishing.publish import record_launch
from cramps.urls import UPLOAD_NAME
from tests import admin_forms
from tests.accounts import signed_in
from tests.admin_forms import change_form_data
from tests.constants import PROXIED_HTTPS, SEED_SLUG
from tests.factories import ArticleFactory

pytestmark = pytest.mark.slow

ANONYMOUS = "anonymous"
MEMBER = "signed_in_not_staff"
STAFF = "staff_without_permissions"
EDITOR = "editor"
REVIEWER = "clinical_reviewer"
SUPERUSER = "superuser"
PENDING = "superuser_before_second_step"
ROLES = [ANONYMOUS, MEMBER, STAFF, EDITOR, REVIEWER, SUPERUSER, PENDING]
METHODS = ["GET", "POST"]

# What each role may do: enter the admin, work on articles (edit drafts, restore and
# recover versions), approve changes for readers, approve as a clinician (the approval is
# a clinical review: a superuser's is editorial), manage accounts (users, groups, sign-in
# records, authenticator apps). The tests' settings keep the clinical policy.
ADMIN, ARTICLES, PUBLISH, CLINICAL, ACCOUNTS = (
    "admin", "articles", "publish", "clinical", "accounts"
)  # fmt: skip
RIGHTS = {
    ANONYMOUS: set(),
    MEMBER: set(),
    STAFF: {ADMIN},
    EDITOR: {ADMIN, ARTICLES},
    REVIEWER: {ADMIN, ARTICLES, PUBLISH, CLINICAL},
    SUPERUSER: {ADMIN, ARTICLES, PUBLISH, ACCOUNTS},
    PENDING: set(),  # nothing until the second step
}
MISSING_PK = 987654


# What an answer may do to the pages readers are given (pages_state): nothing (a new page
# readers cannot see aside), nothing but write a draft, give them a new version, or delete
# a page.
KEEPS_PAGES, FILLS_DRAFT = "keeps pages", "writes a draft and no page"
PUBLISHES, DELETES = "publishes", "deletes a page"


class Answer(NamedTuple):
    status: int
    to: str | re.Pattern | None = None  # the path a redirect must point to; None: anywhere
    changes_nothing: bool = False  # a refusal answered with a page or a redirect
    pages: str = KEEPS_PAGES  # what it may do to pages (and must do: a draft, publishing)

    def __str__(self):
        to = getattr(self.to, "pattern", self.to)
        return f"{self.status} to {to}" if to else str(self.status)

    def points_to(self, location):
        path = urlsplit(location).path
        if isinstance(self.to, re.Pattern):
            return self.to.fullmatch(path) is not None
        return self.to is None or path == self.to

    @property
    def refuses(self):
        return (
            self.changes_nothing
            or self.status in (403, 404, 405)
            or self.to in (reverse("admin:login"), reverse("admin:two_factor"))
        )


OK = Answer(200)
FORBIDDEN = Answer(403)
NOT_FOUND = Answer(404)
NOT_ALLOWED = Answer(405)


def redirect(to, changes_nothing=False, pages=KEEPS_PAGES):
    return Answer(302, to, changes_nothing, pages)


def sent_back_to(name, *args):
    """A refusal by redirect, with a message saying why; nothing changes."""
    return redirect(reverse(f"admin:{name}", args=args), changes_nothing=True)


# Rules: each gives the Answer for (role, method).


def admin_gate(role):
    """The admin's answer before it looks at rights: sign in first, then the second step."""
    if role in (ANONYMOUS, MEMBER):
        return redirect(reverse("admin:login"))
    if role == PENDING:
        return redirect(reverse("admin:two_factor"))
    return None


def admin_page(need, get=OK, post=OK, without=FORBIDDEN):
    """Past the gate, `get` and `post` for those with the right `need`, else `without`.

    `get` and `post` may instead be functions of the role, where a further right matters."""

    def rule(role, method):
        gated = admin_gate(role)
        if gated:
            return gated
        if need not in RIGHTS[role]:
            return without
        answer = get if method == "GET" else post
        return answer(role) if callable(answer) else answer

    return rule


def no_such_object(need, holders=NOT_FOUND):
    """A URL naming no such object: rights are checked first, so that staff without them
    learn nothing about what exists."""
    return admin_page(need, holders, holders)


def publishers(allowed, others=FORBIDDEN):
    """`allowed` for those who may approve changes for readers, `others` for the rest."""
    return lambda role: allowed if PUBLISH in RIGHTS[role] else others


def clinicians(allowed, others):
    """`allowed` for clinicians; for the rest, what the rule `others` gives their role."""
    return lambda role: allowed if CLINICAL in RIGHTS[role] else others(role)


def same_for_everyone(get, post):
    return lambda role, method: get if method == "GET" else post


def editor_endpoint(role, method):
    """markdownx's preview and upload: called by the editor's script, so a plain 403 (no
    sign-in page) to anyone who may not write articles or has not finished signing in."""
    if ARTICLES not in RIGHTS[role]:
        return FORBIDDEN
    return OK if method == "POST" else NOT_ALLOWED


def autocomplete(need):
    """Search results of a model, for those who may view it; Django refuses any method but
    GET before it looks at rights."""
    search = admin_page(need)

    def rule(role, method):
        if method == "POST":
            return admin_gate(role) or NOT_ALLOWED
        return search(role, method)

    return rule


def two_factor_page(role, method):
    # Open to all staff: required for some, anyone may turn it on. The POST sends a wrong
    # code, and the page comes back with an error.
    if role in (ANONYMOUS, MEMBER):
        return redirect(reverse("admin:login"))
    return OK


def login_page(role, method):
    # Django sends anyone already in the admin on to it; a wrong password is refused on
    # the sign-in page itself.
    if method == "GET" and (ADMIN in RIGHTS[role] or role == PENDING):
        return redirect(reverse("admin:index"))
    return OK


def logout_page(role, method):
    # Django's admin sends someone not signed in to its index (which asks them to sign
    # in); signing out is a POST, allowed before the second step too.
    if role in (ANONYMOUS, MEMBER):
        return sent_back_to("index")
    return OK if method == "POST" else NOT_ALLOWED


@dataclass
class Case:
    """A real URL of a pattern, the rule for its answers, and what a POST sends."""

    path: str
    rule: Callable[[str, str], Answer]
    data: dict | Callable[[], dict] = field(default_factory=dict)

    def payload(self):
        return self.data() if callable(self.data) else self.data


def url(name, *args):
    return reverse(f"admin:{name}", args=args)


def with_query(path, **query):
    return f"{path}?{urlencode(query)}"


def moved_to(path):
    """Django's old change address: a redirect for all staff, as the new one asks for rights."""
    return admin_page(ADMIN, redirect(path), redirect(path))


YES = {"post": "yes"}
NEW_PASSWORD = "A-new-long-password-2026"


def bulk_delete(obj):
    """The changelist's delete action on `obj`, confirmed."""
    return {"action": "delete_selected", "_selected_action": [obj.pk], **YES}


def model_admin(app, model, need, target, *, can_add=True):
    """The six patterns of a Django ModelAdmin, tried on the object `target(world)`.

    POSTs send what would succeed for someone with the right: the bulk delete, the
    unchanged change form, the delete confirmation; the add form goes back empty."""
    name = f"{app}_{model}"
    route = f"admin/{app}/{model}/"

    def listed():
        return redirect(url(f"{name}_changelist"))

    return {
        (route, f"admin:{name}_changelist"): lambda w: [
            Case(
                url(f"{name}_changelist"), admin_page(need, post=listed()), bulk_delete(target(w))
            )
        ],
        (f"{route}add/", f"admin:{name}_add"): lambda w: [
            Case(url(f"{name}_add"), admin_page(need), lambda: w.form(url(f"{name}_add")))
            if can_add
            else Case(url(f"{name}_add"), admin_page(need, FORBIDDEN, FORBIDDEN))
        ],
        (f"{route}<path:object_id>/history/", f"admin:{name}_history"): lambda w: [
            Case(url(f"{name}_history", target(w).pk), admin_page(need))
        ],
        (f"{route}<path:object_id>/delete/", f"admin:{name}_delete"): lambda w: [
            Case(url(f"{name}_delete", target(w).pk), admin_page(need, post=listed()), YES)
        ],
        (f"{route}<path:object_id>/change/", f"admin:{name}_change"): lambda w: [
            Case(
                url(f"{name}_change", target(w).pk),
                admin_page(need, post=listed()),
                lambda: w.form(url(f"{name}_change", target(w).pk)),
            )
        ],
        (f"{route}<path:object_id>/", None): lambda w: [
            Case(f"/{route}{target(w).pk}/", moved_to(url(f"{name}_change", target(w).pk)))
        ],
    }


def feedback_admin(target):
    patterns = model_admin("articles", "feedback", ARTICLES, target, can_add=False)
    only_superusers = admin_page(
        ARTICLES,
        get=lambda role: OK if role == SUPERUSER else FORBIDDEN,
        post=lambda role: (
            redirect(url("articles_feedback_changelist")) if role == SUPERUSER else FORBIDDEN
        ),
    )
    listed = url("articles_feedback_changelist")
    patterns[("admin/articles/feedback/", "admin:articles_feedback_changelist")] = lambda w: [
        Case(
            listed,
            admin_page(
                ARTICLES,
                post=lambda role: redirect(listed, changes_nothing=role != SUPERUSER),
            ),
            bulk_delete(target(w)),
        )
    ]
    patterns[
        ("admin/articles/feedback/<path:object_id>/delete/", "admin:articles_feedback_delete")
    ] = lambda w: [Case(url("articles_feedback_delete", target(w).pk), only_superusers, YES)]
    return patterns


MATRIX = {
    # The admin site's own pages.
    ("admin/two-step-sign-in/", "admin:two_factor"): lambda w: [
        Case(url("two_factor"), two_factor_page, {"token": "000000"})
    ],
    ("admin/", "admin:index"): lambda w: [Case(url("index"), admin_page(ADMIN))],
    ("admin/login/", "admin:login"): lambda w: [
        Case(url("login"), login_page, {"username": "superuser", "password": "not-the-password"})
    ],
    ("admin/logout/", "admin:logout"): lambda w: [Case(url("logout"), logout_page)],
    # Everyone in the admin may change their own password; the wrong old one is refused.
    ("admin/password_change/", "admin:password_change"): lambda w: [
        Case(
            url("password_change"),
            admin_page(ADMIN),
            {
                "old_password": "wrong",
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
    ],
    ("admin/password_change/done/", "admin:password_change_done"): lambda w: [
        Case(url("password_change_done"), admin_page(ADMIN, post=NOT_ALLOWED))
    ],
    # Through any field that points to a model: articles (an article's related articles)
    # and users (an authenticator's owner).
    ("admin/autocomplete/", "admin:autocomplete"): lambda w: [
        Case(
            with_query(url("autocomplete"), app_label=app, model_name=model, field_name=name),
            autocomplete(need),
        )
        for app, model, name, need in (
            ("articles", "article", "related_articles", ARTICLES),
            ("otp_totp", "totpdevice", "user", ACCOUNTS),
        )
    ],
    ("admin/jsi18n/", "admin:jsi18n"): lambda w: [
        Case(url("jsi18n"), admin_page(ADMIN, post=NOT_ALLOWED))
    ],
    # "View on site" answers only those who may see the object: no draft's address for
    # anyone else, not even whether it exists.
    ("admin/r/<int:content_type_id>/<path:object_id>/", "admin:view_on_site"): lambda w: [
        *(
            Case(
                url("view_on_site", w.article_type, article.pk),
                admin_page(
                    ARTICLES,
                    redirect(article.get_absolute_url()),
                    redirect(article.get_absolute_url()),
                    without=NOT_FOUND,
                ),
            )
            for article in (w.seed, w.draft)
        ),
        # A draft row is no page of its own, for anyone.
        *(
            Case(url("view_on_site", w.article_type, pk), admin_page(ADMIN, NOT_FOUND, NOT_FOUND))
            for pk in (w.seed_draft.pk, MISSING_PK)
        ),
    ],
    # An app's index lists the models one has rights on; with none, there is no page.
    ("admin/^(?P<app_label>auth|axes|otp_totp|articles)/$", "admin:app_list"): lambda w: [
        Case(
            reverse("admin:app_list", kwargs={"app_label": label}),
            admin_page(ARTICLES if label == "articles" else ACCOUNTS, without=NOT_FOUND),
        )
        for label in ("auth", "axes", "otp_totp", "articles")
    ],
    ("admin/(?P<url>.*)$", None): lambda w: [
        Case("/admin/no-such-page/", admin_page(ADMIN, NOT_FOUND, NOT_FOUND)),
        Case(
            "/admin/articles/article",
            admin_page(
                ADMIN,
                Answer(301, url("articles_article_changelist")),
                Answer(301, url("articles_article_changelist")),
            ),
        ),
    ],
    # Accounts: superusers only.
    **model_admin("auth", "group", ACCOUNTS, lambda w: w.group),
    **model_admin("auth", "user", ACCOUNTS, lambda w: w.target_user),
    ("admin/auth/user/<id>/password/", "admin:auth_user_password_change"): lambda w: [
        Case(
            url("auth_user_password_change", w.target_user.pk),
            admin_page(ACCOUNTS, post=redirect(url("auth_user_change", w.target_user.pk))),
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
        ),
        Case(url("auth_user_password_change", MISSING_PK), no_such_object(ACCOUNTS)),
    ],
    # Sign-in records are django-axes' to write, never added by hand.
    **model_admin("axes", "accessattempt", ACCOUNTS, lambda w: w.attempt, can_add=False),
    **model_admin("axes", "accesslog", ACCOUNTS, lambda w: w.access_log, can_add=False),
    **model_admin("axes", "accessfailurelog", ACCOUNTS, lambda w: w.failure_log, can_add=False),
    **model_admin("otp_totp", "totpdevice", ACCOUNTS, lambda w: w.device),
    # Synonyms for search: editors keep them.
    **model_admin("articles", "synonym", ARTICLES, lambda w: w.synonym),
    ("admin/articles/synonym/readers-searches/", "admin:articles_synonym_searches"): lambda w: [
        Case(url("articles_synonym_searches"), admin_page(ARTICLES, post=NOT_ALLOWED))
    ],
    # Readers' feedback: editors and reviewers read it and mark it handled; nobody adds it
    # or changes what a reader wrote; only a superuser deletes one.
    **feedback_admin(lambda w: w.feedback),
    # An enrolled authenticator's secret is never shown again, to anyone: after a lost
    # phone the device is deleted and a new one set up.
    ("admin/otp_totp/totpdevice/<int:pk>/config/", "admin:otp_totp_totpdevice_config"): (
        lambda w: [
            Case(url("otp_totp_totpdevice_config", pk), admin_page(ACCOUNTS, FORBIDDEN, FORBIDDEN))
            for pk in (w.device.pk, MISSING_PK)
        ]
    ),
    ("admin/otp_totp/totpdevice/<int:pk>/qrcode/", "admin:otp_totp_totpdevice_qrcode"): (
        lambda w: [
            Case(url("otp_totp_totpdevice_qrcode", pk), admin_page(ACCOUNTS, FORBIDDEN, FORBIDDEN))
            for pk in (w.device.pk, MISSING_PK)
        ]
    ),
}

# Articles: Editors, Clinical reviewers and superusers. The seed article is live, with an
# editor's change waiting in its draft, submitted for clinical review; the draft article
# was never published (its page is unseen); the deleted one was never published either.
# The change page edits an article's draft: its plain "Save" never gives readers
# anything, for anyone, and only those who may publish have "Save and publish".
ARTICLE = "admin/articles/article/"
LIST = "articles_article_changelist"
SAVE_AND_PUBLISH = {"_publish": "Save and publish"}
GO_LIVE = {"status": Article.Status.PUBLISHED}
# A form refused with its errors shown again: nothing written.
REFUSED_FORM = Answer(200, changes_nothing=True)
MATRIX |= {
    (ARTICLE, f"admin:{LIST}"): lambda w: [
        # An article readers were ever given is never deleted, not even in bulk: Django's
        # confirmation page says it cannot be (its publications are protected). A draft
        # may be.
        Case(url(LIST), admin_page(ARTICLES, post=REFUSED_FORM), bulk_delete(w.seed)),
        Case(
            url(LIST),
            admin_page(ARTICLES, post=redirect(url(LIST), pages=DELETES)),
            bulk_delete(w.draft),
        ),
    ],
    (f"{ARTICLE}add/", "admin:articles_article_add"): lambda w: [
        Case(
            url("articles_article_add"),
            admin_page(ARTICLES),
            lambda: w.form(url("articles_article_add")),
        )
    ],
    (f"{ARTICLE}<path:object_id>/change/", "admin:articles_article_change"): lambda w: [
        # "Save": the draft only, for everyone.
        Case(
            url("articles_article_change", w.seed.pk),
            admin_page(ARTICLES, post=redirect(url(LIST), pages=FILLS_DRAFT)),
            lambda: w.form(url("articles_article_change", w.seed.pk), publish=False),
        ),
        # "Save and publish": an editor's save stays a draft.
        Case(
            url("articles_article_change", w.seed.pk),
            admin_page(
                ARTICLES,
                post=publishers(
                    redirect(url(LIST), pages=PUBLISHES), redirect(url(LIST), pages=FILLS_DRAFT)
                ),
            ),
            lambda: w.form(url("articles_article_change", w.seed.pk)),
        ),
        # A never-published article saved as Published is not published by "Save" (an
        # editor may not even choose the status); "Save and publish" publishes it.
        Case(
            url("articles_article_change", w.draft.pk),
            admin_page(
                ARTICLES, post=publishers(redirect(url(LIST), pages=FILLS_DRAFT), REFUSED_FORM)
            ),
            lambda: w.form(url("articles_article_change", w.draft.pk)) | GO_LIVE,
        ),
        Case(
            url("articles_article_change", w.draft.pk),
            admin_page(
                ARTICLES, post=publishers(redirect(url(LIST), pages=PUBLISHES), REFUSED_FORM)
            ),
            lambda: (
                w.form(url("articles_article_change", w.draft.pk)) | GO_LIVE | SAVE_AND_PUBLISH
            ),
        ),
        # A draft's own row is no article, as is a missing one.
        *(
            Case(
                url("articles_article_change", pk),
                no_such_object(ARTICLES, holders=sent_back_to("index")),
            )
            for pk in (w.seed_draft.pk, MISSING_PK)
        ),
    ],
    (f"{ARTICLE}<path:object_id>/delete/", "admin:articles_article_delete"): lambda w: [
        # A published article sends its editors back to it, to take it down first.
        Case(
            url("articles_article_delete", w.seed.pk),
            admin_page(
                ARTICLES,
                redirect(url("articles_article_change", w.seed.pk)),
                sent_back_to("articles_article_change", w.seed.pk),
            ),
            YES,
        ),
        Case(
            url("articles_article_delete", w.draft.pk),
            admin_page(ARTICLES, post=redirect(url(LIST), pages=DELETES)),
            YES,
        ),
        *(
            Case(url("articles_article_delete", pk), no_such_object(ARTICLES), YES)
            for pk in (w.seed_draft.pk, MISSING_PK)
        ),
    ],
    (f"{ARTICLE}<path:object_id>/", None): lambda w: [
        Case(f"/{ARTICLE}{w.seed.pk}/", moved_to(url("articles_article_change", w.seed.pk)))
    ],
    (f"{ARTICLE}<path:object_id>/preview/", "admin:articles_article_preview"): lambda w: [
        *(
            # The preview is the reader view, which only reads: a POST is not allowed.
            Case(
                url("articles_article_preview", article.pk), admin_page(ARTICLES, post=NOT_ALLOWED)
            )
            for article in (w.seed, w.draft)
        ),
        *(
            Case(url("articles_article_preview", pk), no_such_object(ARTICLES))
            for pk in (w.seed_draft.pk, MISSING_PK)
        ),
    ],
    # Sign-off: the review queue reads; on the sign-off page anyone with rights on articles
    # may discard the changes or submit them, and the other steps need the right to
    # publish (an empty POST from an editor asks for nothing they may do).
    (f"{ARTICLE}review-queue/", "admin:articles_article_queue"): lambda w: [
        Case(url("articles_article_queue"), admin_page(ARTICLES, post=NOT_ALLOWED)),
    ],
    (f"{ARTICLE}<path:object_id>/sign-off/", "admin:articles_article_signoff"): lambda w: [
        *sign_off_cases(w, url("articles_article_signoff", w.seed.pk)),
        *(
            Case(url("articles_article_signoff", pk), no_such_object(ARTICLES))
            for pk in (w.seed_draft.pk, MISSING_PK)
        ),
    ],
    # A translation starts from the live version, as a new article readers cannot see and
    # its draft; an article readers do not have yet, or one with an edition in the language
    # already (the seed), cannot be translated (the page says so).
    (f"{ARTICLE}<path:object_id>/translate/", "admin:articles_article_translate"): lambda w: [
        Case(
            url("articles_article_translate", w.untranslated.pk),
            admin_page(ARTICLES, post=redirect(change_page_of_a_new_article(), pages=FILLS_DRAFT)),
            {"language": "ru"},
        ),
        *(
            Case(
                url("articles_article_translate", article.pk),
                admin_page(ARTICLES, post=Answer(200, changes_nothing=True)),
                {"language": "ru"},
            )
            for article in (w.seed, w.draft)
        ),
        Case(url("articles_article_translate", w.seed_draft.pk), no_such_object(ARTICLES)),
    ],
    # A translation's own pages only read: what changed in its source since the version it
    # translates (the seed's Russian edition is behind), and the two side by side. An
    # article that is no translation has neither.
    (
        f"{ARTICLE}<path:object_id>/translation/source-changes/",
        "admin:articles_article_source_changes",
    ): lambda w: translation_cases(w, "articles_article_source_changes"),
    (
        f"{ARTICLE}<path:object_id>/translation/side-by-side/",
        "admin:articles_article_side_by_side",
    ): lambda w: translation_cases(w, "articles_article_side_by_side"),
    # History, comparisons, restores and recovery (django-reversion): versions are filed
    # under the page, and restoring or recovering one fills a draft, never a page.
    (f"{ARTICLE}<path:object_id>/history/", "admin:articles_article_history"): lambda w: [
        Case(url("articles_article_history", w.seed.pk), admin_page(ARTICLES)),
        *(
            Case(url("articles_article_history", pk), no_such_object(ARTICLES))
            for pk in (w.seed_draft.pk, MISSING_PK)
        ),
    ],
    (f"{ARTICLE}<str:object_id>/history/compare/", "admin:articles_article_compare"): (
        lambda w: [
            Case(
                with_query(url("articles_article_compare", w.seed.pk), **w.compared),
                admin_page(ARTICLES),
            ),
            *(
                Case(
                    with_query(url("articles_article_compare", pk), **w.compared),
                    no_such_object(ARTICLES),
                )
                for pk in (w.seed_draft.pk, MISSING_PK)
            ),
            # Only two versions of this article: not another's, not a malformed id.
            *(
                Case(
                    with_query(
                        url("articles_article_compare", w.seed.pk),
                        **(w.compared | {"version_id2": version}),
                    ),
                    no_such_object(ARTICLES),
                )
                for version in (w.deleted.pk, MISSING_PK, "1;2", "")
            ),
        ]
    ),
    # The restore page: GET shows the difference, POST makes the version the draft.
    (f"{ARTICLE}^([^/]+)/history/(\\d+)/$", "admin:articles_article_revision"): lambda w: [
        Case(
            url("articles_article_revision", w.seed.pk, w.original.pk),
            admin_page(
                ARTICLES,
                post=redirect(url("articles_article_change", w.seed.pk), pages=FILLS_DRAFT),
            ),
        ),
        *(
            Case(url("articles_article_revision", page, version), no_such_object(ARTICLES))
            for page, version in (
                (w.seed.pk, MISSING_PK),
                (w.seed.pk, w.deleted.pk),  # another article's version
                (MISSING_PK, w.original.pk),
                (w.seed_draft.pk, w.original.pk),
            )
        ),
    ],
    (f"{ARTICLE}^recover/$", "admin:articles_article_recoverlist"): lambda w: [
        Case(url("articles_article_recoverlist"), admin_page(ARTICLES))
    ],
    # A deleted article comes back as a new article readers cannot see, and its draft.
    # Only a deleted article can be recovered.
    (f"{ARTICLE}^recover/(\\d+)/$", "admin:articles_article_recover"): lambda w: [
        Case(
            url("articles_article_recover", w.deleted.pk),
            admin_page(ARTICLES, post=redirect(change_page_of_a_new_article(), pages=FILLS_DRAFT)),
        ),
        Case(url("articles_article_recover", w.original.pk), no_such_object(ARTICLES)),
        Case(url("articles_article_recover", MISSING_PK), no_such_object(ARTICLES)),
    ],
}


def translation_cases(w, name):
    return [
        Case(url(name, w.translation.pk), admin_page(ARTICLES, post=NOT_ALLOWED)),
        *(
            Case(url(name, pk), no_such_object(ARTICLES))
            for pk in (w.seed.pk, w.seed_draft.pk, MISSING_PK)
        ),
    ]


def change_page_of_a_new_article():
    return re.compile(re.escape(url(LIST)) + r"\d+/change/")


# What a reviewer might send as the version they approve, other than the one shown.
CRAFTED_REVIEWED = {
    "nothing": lambda w: "nothing",
    "another draft's token": lambda w: f"draft:{uuid4()}",
    "the page's own token": lambda w: f"draft:{w.seed.edit_token}",
    "the token in capitals": lambda w: "draft:" + w.reviewed().removeprefix("draft:").upper(),
    "empty": lambda w: "",
    "too long": lambda w: "draft:" + "9" * 1000,
}


def sign_off_cases(w, path):
    """The seed's sign-off page, each button. An approval is bound to the version the page
    showed: anything else sent as `reviewed` is refused with the form, never a 500."""
    signed_off = redirect(path, pages=PUBLISHES)
    return [
        Case(path, admin_page(ARTICLES, post=publishers(OK))),
        Case(path, admin_page(ARTICLES, post=publishers(signed_off)), lambda: w.approval()),
        # A clinician gives their role; a superuser's approval is editorial, with none.
        Case(
            path,
            admin_page(ARTICLES, post=clinicians(REFUSED_FORM, publishers(signed_off))),
            lambda: w.approval(role=""),
        ),
        *(
            Case(
                path,
                admin_page(ARTICLES, post=publishers(REFUSED_FORM)),
                lambda crafted=crafted: w.approval(reviewed=crafted(w)),
            )
            for crafted in CRAFTED_REVIEWED.values()
        ),
        # The page's other steps: none of them publishes.
        Case(
            path,
            admin_page(ARTICLES, post=redirect(path, pages=FILLS_DRAFT)),
            {"_discard": "Discard", "confirm": "yes"},
        ),
        Case(path, admin_page(ARTICLES, post=redirect(path)), {"_submit": "Submit"}),
        Case(
            path,
            admin_page(ARTICLES, post=publishers(redirect(path))),
            {"_send_back": "Send back", "comment": "Say how long a stretch to hold."},
        ),
        Case(
            path,
            admin_page(ARTICLES, post=publishers(redirect(path))),
            {"_cancel_scheduled": "Cancel"},
        ),
    ]


# The editor's Markdown endpoints (django-markdownx), mounted in cramps/urls.py.
MATRIX |= {
    ("markdownx/upload/", "markdownx_upload"): lambda w: [
        Case(reverse("markdownx_upload"), editor_endpoint, lambda: {"image": png_upload()})
    ],
    ("markdownx/markdownify/", "markdownx_markdownify"): lambda w: [
        Case(reverse("markdownx_markdownify"), editor_endpoint, {"content": "**Stretch**"})
    ],
}

# Reader pages: the same for everyone, signed in or not. The class-based pages refuse a
# POST; the others answer it as a GET, which is harmless: it changes nothing (checked
# here), and the page cache keeps only answers to GET.
READER = same_for_everyone(OK, NOT_ALLOWED)
READ_ONLY = same_for_everyone(OK, Answer(200, changes_nothing=True))
NO_PAGE = same_for_everyone(NOT_FOUND, NOT_ALLOWED)
MATRIX |= {
    ("", "articles:index"): lambda w: [Case(reverse("articles:index"), READER)],
    ("diary/", "articles:diary"): lambda w: [Case(reverse("articles:diary"), READER)],
    # A draft has no reader page, for editors neither: they have the preview.
    ("articles/<slug:slug>/", "articles:article_detail"): lambda w: [
        Case(reverse("articles:article_detail", args=[w.seed.slug]), READER),
        Case(reverse("articles:article_detail", args=[w.draft.slug]), NO_PAGE),
    ],
    ("articles/<slug:slug>/bedside-card/", "articles:bedside_card"): lambda w: [
        Case(reverse("articles:bedside_card", args=[w.seed.slug]), READER),
        Case(reverse("articles:bedside_card", args=[w.draft.slug]), NO_PAGE),
    ],
    # Feedback: the form and the thanks are reader pages; a reader's answer is kept.
    ("articles/<slug:slug>/feedback/", "articles:feedback"): lambda w: [
        Case(
            reverse("articles:feedback", args=[w.seed.slug]),
            same_for_everyone(
                OK, redirect(reverse("articles:feedback_thanks", args=[w.seed.slug]))
            ),
            {"useful": "yes"},
        ),
        Case(
            reverse("articles:feedback", args=[w.draft.slug]),
            same_for_everyone(NOT_FOUND, NOT_FOUND),
            {"useful": "yes"},
        ),
    ],
    ("articles/<slug:slug>/feedback/thanks/", "articles:feedback_thanks"): lambda w: [
        Case(reverse("articles:feedback_thanks", args=[w.seed.slug]), READER),
        Case(reverse("articles:feedback_thanks", args=[w.draft.slug]), NO_PAGE),
    ],
    ("search/", "articles:search"): lambda w: [
        Case(with_query(reverse("articles:search"), q="quinine"), READ_ONLY)
    ],
    ("feed/", "articles:feed"): lambda w: [Case(reverse("articles:feed"), READ_ONLY)],
    ("sitemap.xml", "sitemap"): lambda w: [Case(reverse("sitemap"), READ_ONLY)],
    ("sitemap-<section>.xml", "sitemap_section"): lambda w: [
        Case(reverse("sitemap_section", args=["articles"]), READ_ONLY)
    ],
    ("robots.txt", "robots_txt"): lambda w: [Case(reverse("robots_txt"), READ_ONLY)],
    ("healthz", "healthz"): lambda w: [Case(reverse("healthz"), READ_ONLY)],
    ("readyz", "readyz"): lambda w: [Case(reverse("readyz"), READ_ONLY)],
    # Reading offline: the worker, the page it shows offline, the manifest.
    ("sw.js", "service_worker"): lambda w: [Case(reverse("service_worker"), READER)],
    ("offline/", "articles:offline"): lambda w: [Case(reverse("articles:offline"), READER)],
    ("manifest.webmanifest", "articles:manifest"): lambda w: [
        Case(reverse("articles:manifest"), READER)
    ],
    # The open content API: the same live articles for everyone, nothing to write.
    ("api/", "api_guide"): lambda w: [Case(reverse("api_guide"), READER)],
    ("api/v1/openapi.json", "api:openapi-json"): lambda w: [
        Case(reverse("api:openapi-json"), READER)
    ],
    ("api/v1/", "api:articles"): lambda w: [Case(reverse("api:articles"), READER)],
    # Shadowed by the list, at the same address: the name django-ninja reverses its root by.
    ("api/v1/", "api:api-root"): lambda w: [Case(reverse("api:api-root"), READER)],
    ("api/v1/articles/<language>/<slug>/", "api:article"): lambda w: [
        Case(api_article(w.seed), READER),
        Case(api_article(w.draft), NO_PAGE),
    ],
}


def api_article(article):
    return reverse("api:article", kwargs={"language": article.language, "slug": article.slug})


if settings.SERVE_MEDIA:
    # Development only: uploaded images, served by Django; this one was never uploaded.
    media = settings.MARKDOWNX_MEDIA_PATH
    upload_route = rf"^media/{media}(?P<name>{UPLOAD_NAME})\.(?P<ext>jpg|png)$"
    MATRIX[(upload_route, "upload")] = lambda w: [
        Case(
            reverse("upload", kwargs={"name": uuid4(), "ext": "png"}),
            same_for_everyone(NOT_FOUND, NOT_FOUND),
        )
    ]


def url_patterns(resolver=None, prefix="", namespace=""):
    """Every pattern of the URLconf, as its full route and its namespaced name."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, prefix + str(pattern.pattern), inner)
        else:
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield prefix + str(pattern.pattern), name


def test_the_matrix_has_an_entry_for_every_url_pattern_and_no_other():
    patterns = list(url_patterns())
    unlisted = [pattern for pattern in patterns if pattern not in MATRIX]
    gone = [key for key in MATRIX if key not in patterns]

    assert not unlisted, f"URL patterns with no entry in MATRIX: {unlisted}"
    assert not gone, f"MATRIX entries for patterns the URLconf no longer has: {gone}"


# The world every URL is tried in: real users, articles, revisions and sign-in records,
# made through the admin where the admin makes them.

PASSWORD = "a-long-test-password-for-access"


def png_upload():
    image = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(image, "PNG")
    return SimpleUploadedFile("photo.png", image.getvalue(), content_type="image/png")


class World:
    """Everyone in ROLES, signed in, and the objects the URLs name."""

    def __init__(self):
        self._pages = {}
        users = get_user_model().objects
        self.users = {
            MEMBER: users.create_user("member", password=PASSWORD),
            STAFF: users.create_user("staff", password=PASSWORD, is_staff=True),
            EDITOR: users.create_user("editor", password=PASSWORD, is_staff=True),
            REVIEWER: users.create_user("reviewer", password=PASSWORD, is_staff=True),
            SUPERUSER: users.create_superuser("superuser", password=PASSWORD),
            PENDING: users.create_superuser("pending", password=PASSWORD),
        }
        self.users[EDITOR].groups.add(Group.objects.get(name="Editors"))
        self.users[REVIEWER].groups.add(Group.objects.get(name="Clinical reviewers"))
        self.admin = signed_in(self.users[SUPERUSER])
        self.clients = {role: self.sign_in(role) for role in ROLES}

        self.target_user = users.create_user("target", password=PASSWORD)
        self.group = Group.objects.get(name="Editors")
        self.synonym = Synonym.objects.create(words="leg cramp, calf cramp")
        self.device = TOTPDevice.objects.get(user=self.users[SUPERUSER])
        where = {"ip_address": "203.0.113.7", "user_agent": "Browser", "http_accept": "*/*"}
        self.attempt = AccessAttempt.objects.create(
            username="guesser", path_info="/admin/login/", get_data="", post_data="",
            failures_since_start=1, **where,
        )  # fmt: skip
        self.access_log = AccessLog.objects.create(
            username="editor", path_info="/admin/login/", **where
        )
        self.failure_log = AccessFailureLog.objects.create(
            username="guesser", path_info="/admin/login/", **where
        )
        self.article_type = ContentType.objects.get_for_model(Article).pk

        call_command("seed_if_empty", verbosity=0)
        seed = Article.objects.get(slug=SEED_SLUG, language=settings.LANGUAGE_CODE)
        self.save_through_admin(seed)  # and publish it
        versions = Version.objects.get_for_object(seed).order_by("pk")
        self.original = versions.first()
        self.compared = {"version_id1": self.original.pk, "version_id2": versions.last().pk}
        self.feedback = Feedback.objects.create(
            article=seed, kind=Feedback.Kind.PROBLEM, text="It does not say how long."
        )
        # An editor's change to the live article, submitted for clinical review.
        unreleased = "Unreleased advice: hold the stretch for a whole minute."

        def submitted_change(data, page):
            data.pop("_publish", None)
            data.update(lead=unreleased, _submit="Save and submit for clinical review")

        admin_forms.save_through_admin(self.clients[EDITOR], seed, submitted_change)
        self.seed = Article.objects.get(pk=seed.pk)
        self.seed_draft = Article.rows.get(draft_of=self.seed)
        # The seed's Russian edition, behind it since the seed was saved and published; and
        # a live article in English only.
        self.translation = Article.objects.get(slug=SEED_SLUG, language="ru")
        assert self.translation.source_news() is not None
        self.untranslated = ArticleFactory(title="Calf stretches", slug="calf-stretches")
        record_launch(self.untranslated)
        self.draft = ArticleFactory(
            status=Article.Status.DRAFT, publish_at=None, title="Quinine trial notes",
            slug="quinine-trial-notes", lead="Unreleased words about quinine.",
        )  # fmt: skip
        self.page(url("articles_article_change", self.draft.pk))  # opens its draft
        deleted = ArticleFactory(
            status=Article.Status.DRAFT, publish_at=None, title="Withdrawn magnesium advice",
            slug="withdrawn-magnesium-advice", lead="Words about magnesium nobody saw.",
        )  # fmt: skip
        self.save_through_admin(deleted)
        assert self.admin.post(url("articles_article_delete", deleted.pk), YES).status_code == 302
        self.deleted = Version.objects.get_deleted(Article).get()
        # Nothing should give these away to someone without rights on articles, and no
        # reader page to anyone.
        self.secrets = [
            self.draft.title, self.draft.slug, self.draft.lead,
            deleted.title, deleted.slug, deleted.lead, unreleased,
        ]  # fmt: skip
        self._pages.clear()
        self.state = database_state()
        self.pages = pages_state()
        self.drafts = drafts_state()
        self.reviews = set(Review.objects.values_list("pk", flat=True))

    def sign_in(self, role):
        if role == SUPERUSER:
            client = self.admin
        elif role in (ANONYMOUS, PENDING):
            client = Client(headers=PROXIED_HTTPS)
            if role == PENDING:
                client.force_login(self.users[PENDING])
        else:
            client = signed_in(self.users[role])
        # A server error is an answer to report, not an exception that ends the run.
        client.raise_request_exception = False
        return client

    def page(self, path):
        """The form at `path`, as the superuser sees it."""
        if path not in self._pages:
            page = self.admin.get(path)
            assert page.status_code == 200, path
            self._pages[path] = page
        return self._pages[path]

    def form(self, path, publish=True):
        """What the superuser's browser would send back from the form at `path`: for a
        published article, by "Save and publish" unless `publish` is false."""
        return change_form_data(self.page(path), publish)

    def reviewed(self):
        """The version the seed's sign-off page shows, which its approve form carries."""
        page = self.page(url("articles_article_signoff", self.seed.pk))
        return page.context["approve_form"]["reviewed"].value()

    def approval(self, reviewed=None, role="Consultant neurologist"):
        """The sign-off page's "Approve and publish", now, of the version it showed unless
        `reviewed` says otherwise."""
        return {
            "_approve": "Approve and publish", "when": "now", "go_live_at": "", "note": "",
            "reviewed": self.reviewed() if reviewed is None else reviewed,
            "reviewer_role": role,
        }  # fmt: skip

    def save_through_admin(self, article):
        path = url("articles_article_change", article.pk)
        assert self.admin.post(path, self.form(path)).status_code == 302
        self._pages.clear()  # the saved article has a new edit token


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for every role. Each request's writes are undone (see `ask`), and the
    whole world when the module is done."""
    folder = tmp_path_factory.mktemp("access")
    # As tests/conftest.py sets for each test: no manifest, throwaway uploads and cache.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"}
    with (
        django_db_blocker.unblock(),
        override_settings(
            STORAGES=storages,
            MEDIA_ROOT=folder / "media",
            CACHES={"default": {**cache, "LOCATION": str(folder / "cache")}},
        ),
        transaction.atomic(),
    ):
        yield World()
        transaction.set_rollback(True)


def database_state(tables=None):
    """Every row of every table (or of those named in `tables`) but the sessions' and the
    words of the pages (thousands of rows, written only with the pages, which are
    compared)."""
    return {
        model._meta.db_table: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
        if model not in (Session, SearchWord)
        and (tables is None or model._meta.db_table in tables)
    }


# The table a write statement writes to, as Django's backends (and the search index's own
# statements) spell them: INSERT [OR …] INTO, UPDATE, DELETE FROM, the name quoted or not.
WRITTEN_TABLE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.I
)


def written_tables(queries):
    """The tables these queries wrote to, or None if a write's table cannot be read (then
    every table is compared)."""
    tables = set()
    for query in queries:
        sql = query["sql"].lstrip()
        if sql.upper().startswith(WRITES):
            found = WRITTEN_TABLE.match(sql)
            if found is None:
                return None
            tables.add(found[1])
    return tables


def article_rows(articles):
    """Each of `articles`, by the id of its page: its row and the rows that are its own
    (parts, reviews, publications, old addresses, links to related pages)."""
    found = {row["id"]: {"article": [row]} for row in articles.order_by("pk").values()}
    ids = list(found)
    owned = {
        model: model._base_manager.filter(article_id__in=ids)
        for model in (*PART_MODELS, Review, Publication, SlugRedirect)
    }
    links = Article.related_articles.through
    owned[links] = links.objects.filter(from_article_id__in=ids, to_article__draft_of=None)
    for model, rows in owned.items():
        for row in rows.order_by("pk").values():
            found[row.get("article_id") or row["from_article_id"]].setdefault(
                model._meta.label, []
            ).append(row)
    return {rows["article"][0]["draft_of_id"] or pk: rows for pk, rows in found.items()}


def pages_state():
    """What readers are given, page by page (a draft's links to a page are the draft's)."""
    return article_rows(Article.objects.all())


def drafts_state():
    """The drafts, by the id of their page."""
    return article_rows(Article.rows.exclude(draft_of=None))


class PageChanges(NamedTuple):
    """What a request did to the pages readers are given and to drafts (page ids), and
    any review it recorded that does not hold together."""

    changed: tuple = ()
    gone: tuple = ()
    seen: tuple = ()  # new pages readers can see
    published: tuple = ()  # pages with a new publication gone live
    drafted: tuple = ()  # pages whose draft was made, changed or deleted
    bad_reviews: tuple = ()

    def against(self, expected):
        found = [f"recorded a review that is not valid: {review}" for review in self.bad_reviews]
        if expected in (KEEPS_PAGES, FILLS_DRAFT):
            for pages, what in ((self.changed, "changed"), (self.gone, "deleted")):
                if pages:
                    found.append(f"{what} the page rows of articles {list(pages)}")
            if self.seen:
                found.append(f"made new articles readers can see: {list(self.seen)}")
        if expected == FILLS_DRAFT and not self.drafted:
            found.append("changed no draft")
        elif expected == PUBLISHES and not self.published:
            found.append("published nothing")
        elif expected == DELETES and not self.gone:
            found.append("deleted no article")
        return found


def page_changes(world):
    before, after = world.pages, pages_state()
    drafts_before, drafts_after = world.drafts, drafts_state()
    label = Publication._meta.label

    def gone_live(state, page):
        return [row for row in state.get(page, {}).get(label, []) if row["went_live_at"]]

    new = [page for page in after if page not in before]
    bad_reviews = []
    for review in Review.objects.exclude(pk__in=world.reviews):
        try:
            review.full_clean()
        except ValidationError as error:
            bad_reviews.append(f"{review} of article {review.article_id}: {error.messages}")
    return PageChanges(
        changed=tuple(page for page in before if page in after and after[page] != before[page]),
        gone=tuple(page for page in before if page not in after),
        seen=tuple(
            page
            for page in new
            if after[page]["article"][0]["status"] != Article.Status.DRAFT
            or after[page].get(label)
        ),
        published=tuple(
            page for page in after if len(gone_live(after, page)) > len(gone_live(before, page))
        ),
        drafted=tuple(
            page
            for page in drafts_before.keys() | drafts_after.keys()
            if drafts_before.get(page) != drafts_after.get(page)
        ),
        bad_reviews=tuple(bad_reviews),
    )


def uploaded_files():
    return sorted(settings.MEDIA_ROOT.rglob("*"))


WRITES = ("INSERT", "UPDATE", "DELETE")
ARTICLE_TABLES = f"{Article._meta.app_label}_"


def ask(world, client, case, method):
    """The answer to one request, the tables it changed and what it did to pages; then the
    change is undone, and the client keeps its session whatever the request did to it
    (signed out, say)."""
    cookies = copy.deepcopy(client.cookies)
    files = uploaded_files()
    with transaction.atomic():
        data = case.payload() if method == "POST" else None
        with CaptureQueriesContext(connection) as queries:
            # A browser says where a POST comes from (the feedback form refuses one that
            # does not); the test client says nothing unless told.
            response = (
                client.get(case.path)
                if method == "GET"
                else client.post(case.path, data, headers={"Sec-Fetch-Site": "same-origin"})
            )
        changed, pages = [], PageChanges()
        # Most refusals write nothing at all; only the tables a request wrote to can have
        # changed, and only they are compared.
        tables = written_tables(queries)
        if (tables is None or tables) and response.status_code < 500:
            state = database_state(tables)
            changed = [table for table, rows in state.items() if rows != world.state[table]]
            # Pages, their drafts and renderings are articles' tables: a request that wrote
            # only others (a session, a sign-in's log) changed no page.
            if tables is None or any(table.startswith(ARTICLE_TABLES) for table in tables):
                pages = page_changes(world)
        if uploaded_files() != files:
            changed.append("uploaded files")
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, changed, pages


def problems(world, role, case, method):
    expected = case.rule(role, method)
    response, changed, pages = ask(world, world.clients[role], case, method)
    location = response.get("Location", "")
    found = []
    if response.status_code != expected.status or not expected.points_to(location):
        got = f"{response.status_code} to {location}" if location else response.status_code
        found.append(f"expected {expected}, got {got}")
    if expected.refuses and changed:
        found.append(f"refused, yet changed {', '.join(changed)}")
    found += pages.against(expected.pages)
    if ARTICLES not in RIGHTS[role] or not case.path.startswith("/admin/"):
        shown = response.content.decode(errors="replace") + location
        leaked = [secret for secret in world.secrets if secret in shown]
        if leaked and not any(secret in case.path for secret in leaked):
            found.append(f"shows an unpublished article's {leaked}")
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_admin_and_editor_url_answers_each_role_as_the_matrix_says(world, role):
    mismatches = [
        f"{method} {case.path} ({route}): {problem}"
        for (route, _name), cases in MATRIX.items()
        for case in cases(world)
        for method in METHODS
        for problem in problems(world, role, case, method)
    ]

    assert not mismatches, f"{len(mismatches)} wrong answers for {role}:\n" + "\n".join(mismatches)


def test_the_tables_a_request_wrote_are_read_from_its_statements():
    def sql(*statements):
        return written_tables([{"sql": statement} for statement in statements])

    assert sql("SELECT 1", 'INSERT INTO "articles_article" ("title") VALUES (%s)') == {
        "articles_article"
    }
    assert sql('INSERT OR IGNORE INTO "articles_searchword" ("word") VALUES (%s)') == {
        "articles_searchword"
    }
    assert sql('UPDATE "auth_user" SET "last_login" = %s', "DELETE FROM articles_search") == {
        "auth_user", "articles_search",
    }  # fmt: skip
    assert sql("SELECT 1") == set()
    assert sql("UPDATE (SELECT 1)") is None  # unread: every table is compared
