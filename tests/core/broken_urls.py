"""A URL that fails, for the 500 page test."""

from django.urls import path


def broken(request):
    raise RuntimeError("a failure for the test")


urlpatterns = [path("broken/", broken)]
