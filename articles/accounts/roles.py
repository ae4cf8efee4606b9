"""Who may do what with content: one rule each, read by sign-off, sign-in and the admin."""

from django.conf import settings

# Rights that change who can do anything at all: those who hold them sign in in two steps.
ACCOUNT_PERMISSIONS = ("auth.change_user", "auth.change_group", "auth.change_permission")
CLINICAL_REVIEW = "record_clinical_review"


def needs_clinical_approval():
    return settings.SIGN_OFF_POLICY == "clinical"


def may_publish(user):
    """Whether `user` may give readers a change: approve, publish or schedule it."""
    if user.has_perm("articles.publish_article"):
        return True
    return not needs_clinical_approval() and user.has_perm("articles.change_article")


def may_approve_own_changes():
    """Whether someone who may publish may approve changes they made themselves
    (CRAMPS_SELF_APPROVAL; by default not under the clinical policy)."""
    return settings.SIGN_OFF_SELF_APPROVAL


def is_clinician(user):
    """Whether `user` was given the clinical reviewer's right itself, through a group or
    directly: a superuser has every right, but is not a clinician for that."""
    return user.is_active and (
        user.groups.filter(permissions__codename=CLINICAL_REVIEW).exists()
        or user.user_permissions.filter(codename=CLINICAL_REVIEW).exists()
    )


def needs_second_factor(user):
    """Everyone who can give readers a change, sign off medical content, or change accounts
    and rights must use two-step sign-in: the same rule as publishing, under either policy."""
    return (
        user.is_superuser
        or may_publish(user)
        or user.has_perm(f"articles.{CLINICAL_REVIEW}")
        or any(user.has_perm(permission) for permission in ACCOUNT_PERMISSIONS)
    )
