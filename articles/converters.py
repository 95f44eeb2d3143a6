"""The parts of a WordPress permalink, /YYYY/MM/DD/slug/, as URL converters."""

from django.urls import register_converter


class FourDigitYear:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return f"{int(value):04d}"


class TwoDigits:
    regex = "[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return f"{int(value):02d}"


register_converter(FourDigitYear, "yyyy")
register_converter(TwoDigits, "nn")

# The path of an article's permalink; addresses below it (its likes) start with it too.
PERMALINK = "<yyyy:year>/<nn:month>/<nn:day>/<slug:slug>/"
