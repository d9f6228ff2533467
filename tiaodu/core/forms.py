"""Form plumbing shared by every app: Bootstrap widgets and a renderer for our field templates."""

from django import forms
from django.forms.renderers import TemplatesSetting


class TiaoduFormRenderer(TemplatesSetting):
    form_template_name = "core/forms/div.html"


class StyledFormMixin:
    """Give every widget the Bootstrap class it needs; dates get the browser's date picker."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.DateInput) and not isinstance(widget, forms.DateTimeInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 3)


class TiaoduForm(StyledFormMixin, forms.Form):
    pass


class TiaoduModelForm(StyledFormMixin, forms.ModelForm):
    pass


def apply_validation_error(form: forms.Form, error) -> None:
    """Put a service's ``ValidationError`` onto the form: field errors on fields, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
