"""Reports of the institution: the chapter registry every app fills (registry.py), the monthly statistics snapshot
and the annual work report (services.py). congress does not import the apps: each app registers its chapters from
its AppConfig.ready(), the way the admin index's 待办 are registered (congress.lib.dashboard)."""
