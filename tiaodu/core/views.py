"""View building blocks: every page is login-only and fetches through the user's scope."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from .exports import table_to_xlsx, xlsx_response
from .forms import apply_validation_error
from .scoping import CHANGE, VIEW, get_scoped_or_404, user_can


class ScopedObjectMixin(LoginRequiredMixin):
    """Fetch the URL's object from the model's restricted queryset: missing and not-yours are one 404."""

    model = None
    action = VIEW
    queryset = None

    def get_base_queryset(self):
        return self.queryset if self.queryset is not None else self.model.objects.all()

    def get_object(self):
        if not hasattr(self, "_object"):
            self._object = get_scoped_or_404(
                self.get_base_queryset(), self.request.user, self.action, pk=self.kwargs["pk"]
            )
        return self._object


class ScopedListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """A filtered, sorted, paged table; ``?export=xlsx`` downloads every filtered row as .xlsx."""

    template_name = "core/object_list.html"
    export_title = ""
    money_columns: set[str] = set()
    add_url_name = None

    def get_queryset(self):
        raise NotImplementedError  # each list says which selector it reads

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        filterset = self.get_filterset(self.get_filterset_class())
        queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        table = self.get_table_class()(queryset)
        RequestConfig(self.request, paginate=False).configure(table)
        title = str(self.get_export_title())
        stamp = timezone.localdate().strftime("%Y%m%d")
        return xlsx_response(
            table_to_xlsx(table, title=title, money_columns=self.money_columns), f"{title}-{stamp}.xlsx"
        )

    def get_export_title(self) -> str:
        return str(self.export_title)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query["export"] = "xlsx"
        context["export_query"] = query.urlencode()
        context["page_title"] = self.get_export_title()
        context["can_add"] = self.can_add()
        context["add_url_name"] = self.add_url_name
        return context

    def can_add(self) -> bool:
        return False


class ServiceFormView(LoginRequiredMixin, View):
    """Create or edit through a service; a ValidationError lands on the form and nothing is written."""

    template_name = "core/form_page.html"
    form_class = None
    title = ""

    def build_form(self, data=None):
        raise NotImplementedError

    def save(self, form):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        return self.render(self.build_form())

    def post(self, request, *args, **kwargs):
        form = self.build_form(request.POST)
        if form.is_valid():
            try:
                obj = self.save(form)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("已保存。"))
                return redirect(obj.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = {"form": form, "title": self.title, "cancel_url": self.request.META.get("HTTP_REFERER") or "/"}
        context.update(self.get_extra_context())
        return render(self.request, self.template_name, context, status=status)

    def get_extra_context(self) -> dict:
        return {}


def can_change(user, obj) -> bool:
    return user_can(user, CHANGE, obj)


def redirect_to(obj):
    return redirect(obj.get_absolute_url())
