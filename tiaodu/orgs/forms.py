from tiaodu.core.forms import TiaoduModelForm
from tiaodu.core.scoping import VIEW
from tiaodu.regions.selectors import region_choices

from .models import Official, Organisation
from .services import OFFICIAL_FIELDS, ORGANISATION_FIELDS


class OrganisationForm(TiaoduModelForm):
    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_choices(user)
        successors = Organisation.objects.restrict(user, VIEW)
        if self.instance.pk:
            successors = successors.exclude(pk=self.instance.pk)
        self.fields["successor"].queryset = successors

    def clean_credit_code(self):
        value = (self.cleaned_data.get("credit_code") or "").strip().upper()
        return value or None

    def _post_clean(self):
        pass  # model validation runs once, in the service


class OfficialForm(TiaoduModelForm):
    class Meta:
        model = Official
        fields = tuple(f for f in OFFICIAL_FIELDS if f != "user")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_choices(user)
        self.fields["organisation"].queryset = Organisation.objects.restrict(user, VIEW)

    def _post_clean(self):
        pass
