from django.urls import include, path

# Every endpoint lives under /api/, versioned inside the api app.
urlpatterns = [
    path("api/", include(("api.urls", "api"), namespace="api")),
]
