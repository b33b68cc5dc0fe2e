"""The deputy portal (/portal/). Filled in by the deputy-portal issue."""
app_name = "portal"
urlpatterns: list = []
