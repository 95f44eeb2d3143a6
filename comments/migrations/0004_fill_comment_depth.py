from django.db import migrations


def fill_depth(apps, schema_editor):
    """Every comment starts at depth 1: push each reply one level below its parent, a level at a time."""
    Comment = apps.get_model("comments", "Comment")
    depth = 1
    # After the pass for `depth`, every comment down to that depth is right and
    # those deeper sit at depth + 1: one pass per level of the deepest thread.
    while Comment.objects.filter(depth=depth, parent__depth=depth).update(depth=depth + 1):
        depth += 1


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_depth_and_replies_outlive_their_parent"),
    ]

    # Going back, 0003 drops the column.
    operations = [migrations.RunPython(fill_depth, migrations.RunPython.noop)]
