"""Public station pages (QR code opinions). Filled in by the stations issue."""
app_name = "stations"
urlpatterns: list = []
