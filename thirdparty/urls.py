"""第三方评价机构 pages. Each module of the app contributes its own urlpatterns here."""

app_name = "thirdparty"

urlpatterns: list = []
