from django.contrib.auth.forms import AuthenticationForm

from tiaodu.core.forms import StyledFormMixin


class LoginForm(StyledFormMixin, AuthenticationForm):
    pass
