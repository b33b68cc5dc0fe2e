from django.apps import AppConfig


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = "人大常委会"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from congress.lib import converters

        converters.register()  # before any urls.py is imported: `<id:pk>` in every app
        from congress.lib import prepared

        prepared.register()  # `__any_of` on every field

        from congress.lib import dashboard
        from congress.selectors import admin_todos

        dashboard.register(admin_todos)
        from congress.reports.chapters import KEY, TITLE, meetings_chapter
        from congress.reports.registry import register_chapter

        register_chapter(KEY, TITLE, 10, meetings_chapter)
        # after the last app's permissions exist; dispatch_uid keeps it to one run per migrate
        post_migrate.connect(_sync_roles, dispatch_uid="congress.sync_roles")


def _sync_roles(sender, **kwargs):
    from congress.roles import sync_role_permissions

    sync_role_permissions()
