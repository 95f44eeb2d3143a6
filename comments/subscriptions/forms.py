from django import forms


class SubscriptionChoiceForm(forms.Form):
    """The Stop button beside one subscription on the reader's page."""

    subscription = forms.IntegerField(widget=forms.HiddenInput)
