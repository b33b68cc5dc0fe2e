"""Create the role groups with their permissions (congress.roles says which). Permissions are normally
created after all migrations, so they are created here first; congress.apps re-syncs after every migrate."""
from django.db import migrations


def create_roles(apps, schema_editor):
    # The real app registry's configs (not the migration state's): their models_module is set, so Django's own
    # create_contenttypes/create_permissions work here exactly as after a migrate.
    from congress.roles import ensure_roles

    ensure_roles()


def remove_roles(apps, schema_editor):
    from congress.roles import ALL_ROLES

    apps.get_model("auth", "Group").objects.filter(name__in=ALL_ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
