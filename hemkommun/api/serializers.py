"""What the API tells of a record. Codes, not labels (DOMAIN.md: codes used in files and
interfaces); organisations by their code. Identity codes are not given out (issue 8 encrypts them
and adds a scope for them)."""

from rest_framework import serializers

from hemkommun.clients.models import Client


class ClientSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    municipality_of_residence = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    # Codes that may be empty: plain strings, their codes listed in docs/api.md (an OpenAPI enum
    # would refuse the empty value the register allows).
    sex = serializers.CharField(read_only=True, help_text="F, M, X or empty")
    native_language = serializers.CharField(read_only=True, help_text="ISO 639-1 or 639-3 code, or empty")
    interpreter_language = serializers.CharField(
        read_only=True, help_text="ISO 639-1 or 639-3 code, or empty"
    )
    residence_ground = serializers.CharField(read_only=True, help_text="A residence ground code, or empty")

    class Meta:
        model = Client
        fields = [
            "id",
            "external_id",
            "organisation",
            "family_name",
            "given_names",
            "family_name_latin",
            "given_names_latin",
            "preferred_name",
            "birth_year",
            "birth_month",
            "birth_day",
            "sex",
            "citizenships",
            "native_language",
            "interpreter_needed",
            "interpreter_language",
            "municipality_of_residence",
            "home_municipality_date",
            "arrival_date",
            "first_permit_date",
            "residence_ground",
            "unaccompanied_minor",
            "client_since",
            "updated_at",
        ]
        read_only_fields = fields


class CodesSerializer(serializers.ModelSerializer):
    """A model's codes as they are: a code the register may leave empty is documented with the
    empty value among its codes (DRF drops ``allow_blank`` from read-only fields)."""

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if "choices" in kwargs and model_field.blank:
            kwargs["allow_blank"] = True
        return field_class, kwargs

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        blank = kwargs.get("allow_blank", False) and "choices" in kwargs
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank:
            kwargs["allow_blank"] = True
        return kwargs


class ErrorBodySerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


class ErrorSerializer(serializers.Serializer):
    """The one shape of every error (hemkommun/api/errors.py)."""

    error = ErrorBodySerializer()
