from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = [
    "article", "section", "cause", "relieftechnique", "preventiontip", "callout", "review",
    "source", "slugredirect",
]  # fmt: skip
EDITORS = "Editors"
CLINICAL_REVIEWERS = "Clinical reviewers"


def editor_codenames():
    codenames = set()
    for model in CONTENT_MODELS:
        codenames |= {f"add_{model}", f"change_{model}", f"view_{model}", f"delete_{model}"}
    # Rows of an article are deleted inline; the article itself only while it is a draft
    # (ArticleAdmin.has_delete_permission). History needs nothing beyond change rights.
    return codenames


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content = Permission.objects.filter(content_type__app_label="articles")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.set(content.filter(codename__in=editor_codenames()))
    reviewers, _ = Group.objects.get_or_create(name=CLINICAL_REVIEWERS)
    reviewers.permissions.set(
        content.filter(codename__in=editor_codenames() | {"record_clinical_review"})
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[EDITORS, CLINICAL_REVIEWERS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_publishing_reviews_redirects"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
