"""Open311 GeoReport v2 at /open311/v2/ (issue 6): discovery, services, requests, tokens, and
FixMyStreet's servicerequestupdates; `.json` and `.xml`."""

app_name = "open311"
urlpatterns: list = []  # type: ignore[type-arg]
