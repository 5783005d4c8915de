"""A multi-valued choice field that both databases can store and filter.

Several guide elements take more than one value (服务对象: 自然人 and 法人; 办理形式; 网上办理
深度). PostgreSQL's arrays do not exist on SQLite and Django's JSON ``contains`` lookup does
not work on SQLite, so the codes are stored as one comma-separated text (``person,enterprise``)
in the order of the choices, and ``field__has="person"`` finds rows holding a code on both.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Lookup

__all__ = ["MultiChoiceField"]

SEPARATOR = ","


class MultiChoiceField(models.CharField):
    """A list of codes from ``item_choices`` (a TextChoices class's ``.choices``).

    ``choices`` is not used because Django would validate the whole stored text against it.
    """

    description = "A list of choice codes"

    def __init__(self, *args, item_choices=(), **kwargs):
        self.item_choices = list(item_choices)
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        if kwargs.get("max_length") == 200:
            del kwargs["max_length"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        if kwargs.get("default") is list:
            del kwargs["default"]
        return name, path, args, kwargs

    @property
    def codes(self) -> list[str]:
        return [code for code, _ in self.item_choices]

    def labels(self, values) -> list[str]:
        names = dict(self.item_choices)
        return [str(names.get(value, value)) for value in values]

    def _ordered(self, values) -> list[str]:
        """The values in the choices' order, once each (unknown codes at the end, for
        validation to name)."""
        values = [str(value) for value in values if value not in (None, "")]
        known = [code for code in self.codes if code in values]
        return known + sorted(set(values) - set(known))

    def to_python(self, value):
        if value is None:
            return []
        if isinstance(value, str):
            return self._ordered(value.split(SEPARATOR)) if value else []
        return self._ordered(value)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def get_prep_value(self, value):
        if isinstance(value, str):  # a lookup's single code, or text already joined
            return value
        return SEPARATOR.join(self.to_python(value))

    def validate(self, value, model_instance):
        values = self.to_python(value)
        unknown = [v for v in values if v not in self.codes]
        if unknown:
            raise ValidationError(f"{self.verbose_name}的取值无效：{'、'.join(unknown)}")
        if not values and not self.blank:
            raise ValidationError(f"{self.verbose_name}不能为空")

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def formfield(self, **kwargs):
        # The admin hands every CharField subclass its one-line text input (formfield_overrides
        # walk the class hierarchy); a list of codes needs a widget that posts several values,
        # or the form would show "['person']" and refuse it on save.
        if not getattr(kwargs.get("widget"), "allow_multiple_selected", False):
            kwargs.pop("widget", None)
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.item_choices,
            "widget": forms.CheckboxSelectMultiple,
            "required": not self.blank,
            "label": self.verbose_name,
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        form_class = defaults.pop("form_class")
        for unused in ("max_length", "empty_value", "choices_form_class"):
            defaults.pop(unused, None)
        return form_class(**defaults)


@MultiChoiceField.register_lookup
class Has(Lookup):
    """``field__has="code"``: the list holds ``code`` (``,a,b,`` LIKE ``%,code,%``)."""

    lookup_name = "has"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        # Codes are [a-z_] only: no LIKE wildcards to escape ('_' matches itself too).
        params = [*lhs_params, *(f"%{SEPARATOR}{value}{SEPARATOR}%" for value in rhs_params)]
        return f"('{SEPARATOR}' || {lhs} || '{SEPARATOR}') LIKE {rhs}", params
