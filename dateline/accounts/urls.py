from django.urls import include, path

from dateline.accounts import views

urlpatterns = [
    path("state.json", views.state, name="account_state"),
    path("profile/", views.profile, name="account_profile"),
    path("delete/", views.delete_account, name="account_delete"),
    path("data.json", views.download_data, name="account_data"),
    path("", include("allauth.urls")),
]
