"""Deputies' suggestion pages under /portal/suggestions/ and the public reply pages. Filled in by the proposals issue."""
app_name = "proposals"
urlpatterns: list = []
