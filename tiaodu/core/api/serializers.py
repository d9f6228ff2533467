from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.serializers import as_serializer_error


def call_service(call):
    """Run a service; its Django ``ValidationError`` becomes the API's 400 with field messages."""
    try:
        return call()
    except DjangoValidationError as error:
        raise serializers.ValidationError(as_serializer_error(error)) from None


def require_valid(form):
    """A checked query form, or the API's 400 with each parameter's messages."""
    if not form.is_valid():
        raise serializers.ValidationError(
            {field: [str(message) for message in messages] for field, messages in form.errors.items()}
        )
    return form


class ServiceSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose writes go through a service; model validation runs there, once."""

    def run_service(self, call):
        return call_service(call)


class MoneyField(serializers.DecimalField):
    """万元 as a decimal string with two places, never a float."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("coerce_to_string", True)
        super().__init__(**kwargs)
