"""FilterSet base shared by every app's pages and API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import StyledFormMixin
from .scoping import VIEW

# Multiple choices as checkboxes, which the list page folds into a compact drop-down.
CHECKBOXES = forms.CheckboxSelectMultiple
# A yes/no filter whose empty choice reads "all", not "unknown".
YES_NO_ANY = forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))])


class ScopedFilterSet(django_filters.FilterSet):
    """A FilterSet whose model-choice filters offer only what the request's user may see."""

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        user = getattr(request, "user", None)
        for filter_ in self.filters.values():
            if isinstance(filter_, django_filters.ModelChoiceFilter) and hasattr(filter_.queryset.model, "scope"):
                filter_.queryset = filter_.queryset.restrict(user, VIEW)

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form_class = type("StyledFilterForm", (StyledFormMixin, self.get_form_class()), {})
            self._form = form_class(self.data if self.is_bound else None, prefix=self.form_prefix)
        return self._form

    def limit_region_choices(self, name: str, region_ids) -> None:
        """Offer in region filter ``name`` only the regions in use (``region_ids``) and the regions above them.

        Keeps the choice short and relevant instead of listing the whole national tree.
        """
        from tiaodu.regions.models import Region

        paths = Region.objects.filter(pk__in=region_ids).values_list("path", flat=True)
        codes = {code for path in paths for code in path.strip("/").split("/")}
        self.filters[name].queryset = self.filters[name].queryset.filter(code__in=codes)
