from django.contrib.auth import views as auth_views
from django.urls import path

from .forms import LoginForm

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
