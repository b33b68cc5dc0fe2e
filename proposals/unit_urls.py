"""The handling units' workspace (/unit/). Filled in by the proposals issue."""
app_name = "unit"
urlpatterns: list = []
