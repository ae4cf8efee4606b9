from django.db import migrations, models


def forget_renderings(apps, schema_editor):
    # Stored renderings are a cache: emptying it lets the new constraint hold (one per page,
    # where there were one per page and host), and each page is rendered again when asked.
    apps.get_model("articles", "RenderedPage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0021_feedback_random_ids"),
    ]

    operations = [
        migrations.RunPython(forget_renderings, migrations.RunPython.noop, elidable=True),
        migrations.RemoveConstraint(model_name="renderedpage", name="one_rendering_per_page"),
        migrations.AddConstraint(
            model_name="renderedpage",
            constraint=models.UniqueConstraint(
                fields=("article", "view_name"), name="one_rendering_per_page"
            ),
        ),
    ]
