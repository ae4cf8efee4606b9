"""Feedback ids become random UUIDs (see Feedback.id), keeping every row.

A column's type cannot turn from a counted integer into a UUID in place on either database,
so each row is given its UUID in a new column, the old key is dropped and the new column
becomes the key under the old name. There is no way back: counted ids would only be made up.
"""

import uuid

from django.db import migrations, models


def give_each_row_a_random_id(apps, schema_editor):
    Feedback = apps.get_model("articles", "Feedback")
    rows = Feedback.objects.using(schema_editor.connection.alias)
    for pk in rows.values_list("pk", flat=True).iterator():
        rows.filter(pk=pk).update(random_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_advice_help_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="feedback",
            name="random_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_each_row_a_random_id),
        migrations.RemoveField(model_name="feedback", name="id"),
        migrations.AlterField(
            model_name="feedback",
            name="random_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, primary_key=True, serialize=False
            ),
        ),
        migrations.RenameField(model_name="feedback", old_name="random_id", new_name="id"),
    ]
