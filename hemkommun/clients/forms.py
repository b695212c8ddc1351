from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hemkommun.core.forms import DATE_WIDGET, MarkedBoundField, style_fields
from hemkommun.organizations.models import Organisation, Unit, User

from .codes import LANGUAGES, LanguageLevel, Relation
from .dates import parse_birth_date
from .models import Client, normalise_identity_code

# A Finnish personal identity code: six digits of the birth date, the century sign, four more.
IDENTITY_CODE_LENGTH = 11


class ClientForm(forms.ModelForm):
    """The client form. The service does the cross-field rules; this form only parses input."""

    SERVICE_FIELD_ALIASES = {
        "birth_year": "date_of_birth",
        "birth_month": "date_of_birth",
        "birth_day": "date_of_birth",
        "languages": "other_languages",
    }

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation holding the case")
    )
    date_of_birth = forms.CharField(
        label=_("Date of birth"),
        required=False,
        max_length=10,
        help_text=_("YYYY-MM-DD, or only YYYY-MM or YYYY when the day or month is not known."),
    )
    other_languages = forms.CharField(
        label=_("Other languages"),
        required=False,
        max_length=300,
        help_text=_("Language codes with a level, separated by commas, e.g. en:B1, fi:A1."),
    )

    class Meta:
        model = Client
        fields = [
            "family_name",
            "given_names",
            "family_name_latin",
            "given_names_latin",
            "preferred_name",
            "sex",
            "identity_code",
            "identity_code_is_temporary",
            "migri_customer_number",
            "citizenships",
            "native_language",
            "interpreter_needed",
            "interpreter_language",
            "phone",
            "email",
            "street_address",
            "postal_code",
            "post_office",
            "municipality_of_residence",
            "home_municipality_date",
            "arrival_date",
            "first_permit_date",
            "residence_ground",
            "unaccompanied_minor",
            "client_since",
            "responsible_unit",
            "responsible_worker",
            "external_id",
        ]
        widgets = {
            "home_municipality_date": DATE_WIDGET,
            "arrival_date": DATE_WIDGET,
            "first_permit_date": DATE_WIDGET,
            "client_since": DATE_WIDGET,
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[organisation.pk for organisation in organisations]
        )
        if self.instance.pk:
            # Moving a case to another organisation is a transfer, not an edit (later issue).
            del self.fields["organisation"]
            self.fields["responsible_unit"].queryset = Unit.objects.filter(
                organisation=self.instance.organisation_id
            )
            self.initial["date_of_birth"] = self.instance.date_of_birth_display
            self.initial["other_languages"] = ", ".join(
                f"{language.language}:{language.level}" for language in self.instance.languages.all()
            )
        else:
            self.fields["responsible_unit"].queryset = Unit.objects.filter(
                organisation__in=self.fields["organisation"].queryset
            )
            if len(organisations) == 1:
                self.initial["organisation"] = organisations[0].pk
        holders = (
            [self.instance.organisation_id]
            if self.instance.pk
            else list(self.fields["organisation"].queryset)
        )
        self.fields["responsible_worker"].queryset = (
            User.objects.filter(memberships__unit__organisation__in=holders, is_active=True)
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["responsible_worker"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )
        self.fields["municipality_of_residence"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY
        )
        style_fields(self)

    def _get_validation_exclusions(self):
        # The service checks identity codes, duplicates included, and points to the existing
        # record where the user may see it; the model's unique constraint would pre-empt that
        # with a bare "constraint violated".
        exclusions = super()._get_validation_exclusions()
        exclusions.add("identity_code")
        return exclusions

    def clean_date_of_birth(self):
        return parse_birth_date(self.cleaned_data["date_of_birth"])

    def clean_other_languages(self) -> list[tuple[str, str]]:
        return parse_language_levels(self.cleaned_data["other_languages"])

    def service_data(self) -> dict:
        """The cleaned values in the shape client services take."""
        data = {name: value for name, value in self.cleaned_data.items() if name in self.Meta.fields}
        data["birth_year"], data["birth_month"], data["birth_day"] = self.cleaned_data["date_of_birth"]
        return data


class ClientSearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    dob = forms.CharField(label=_("Date of birth"), required=False, max_length=10)
    hetu = forms.CharField(label=_("Identity code"), required=False, max_length=11)

    def clean_dob(self):
        parse_birth_date(self.cleaned_data["dob"])
        return self.cleaned_data["dob"]

    def clean_hetu(self):
        # Identity codes are found through a keyed hash of the whole code (docs/encryption.md):
        # a part would silently find nothing, so it is refused with a reason instead.
        code = normalise_identity_code(self.cleaned_data["hetu"])
        if code and len(code) != IDENTITY_CODE_LENGTH:
            raise ValidationError(
                _("Give the whole identity code (11 characters): a part of it finds nothing."),
                code="identity_code_partial",
            )
        return code


def parse_language_levels(text: str) -> list[tuple[str, str]]:
    """ "en:B1, fi:A1" as [("en", "B1"), ("fi", "A1")]; a missing level is "not assessed"."""
    levels = set(LanguageLevel.values)
    parsed = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        code, _sep, level = item.partition(":")
        code, level = code.strip().lower(), (level.strip() or LanguageLevel.UNKNOWN)
        level = level.upper() if level.upper() in levels else level.lower()
        if code not in LANGUAGES:
            raise ValidationError(
                _("Unknown language code “%(code)s”."), params={"code": code}, code="language_code"
            )
        if level not in levels:
            raise ValidationError(
                _("Unknown level “%(level)s”: use A1–C2 or native."),
                params={"level": level},
                code="language_level",
            )
        parsed.append((code, level))
    return parsed


class HouseholdJoinForm(forms.Form):
    """Link the client into another client's household, from the client's page."""

    # services.household_join raises these without a field; each is about one of the form's.
    SERVICE_ERROR_FIELDS = {
        "relation_unknown": "relation",
        "household_self": "other",
        "household_elsewhere": "other",
    }
    bound_field_class = MarkedBoundField

    other = forms.IntegerField(
        label=_("Record number of a household member"),
        min_value=1,
        help_text=_("Shown as “Record number” on the other client's page."),
    )
    relation = forms.ChoiceField(label=_("This client's relation"), choices=Relation.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
