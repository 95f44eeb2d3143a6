from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.validators import one_line, validate_public_website, validate_visible_text

from .models import MAX_COMMENT_LENGTH, validate_comment_length
from .subscriptions.models import Subscription
from .tokens import form_started_stamp


def email_field(*, help_text: str) -> forms.EmailField:
    """A guest's email address, as the comment box asks for it and words its mistakes."""
    return forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=help_text,
        error_messages={
            "required": _("Please fill in your email address."),
            "invalid": _("Please enter a valid email address, like name@example.com."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class CommentForm(forms.Form):
    """The Leave a Reply box. Validates only; the view hands cleaned_data to comment_submit, which judges spam."""

    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_COMMENT_LENGTH}),
        error_messages={"required": _("Please type your comment.")},
    )
    email = email_field(help_text=_("Never published."))
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        validators=[validate_visible_text],
        error_messages={"required": _("Please fill in your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    url = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        validators=[validate_public_website],
        error_messages={
            "invalid": _("Please enter a web address starting with http:// or https://."),
            # Counted after https:// is put before an address typed without it: no count, which would not be the
            # reader's.
            "max_length": _(
                "Please enter a shorter web address: at most %(limit_value)d characters, with its https://."
            ),
        },
        # A text box: a refused address is given back as typed, which type="url" may not hold.
        widget=forms.TextInput(attrs={"autocomplete": "url", "inputmode": "url", "spellcheck": "false"}),
    )
    save_details = forms.BooleanField(
        label=_("Save my name, email, and website in this browser for the next time I comment."),
        required=False,
    )
    parent = forms.IntegerField(
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("The comment you were replying to could not be found. Reply again from the comment itself."),
            "min_value": _("The comment you were replying to could not be found. Reply again from the comment itself."),
        },
    )
    notify_replies = forms.BooleanField(label=_("Notify me of replies to my comment via email."), required=False)
    notify_comments = forms.BooleanField(label=_("Notify me of new comments via email."), required=False)
    notify_posts = forms.BooleanField(label=_("Notify me of new posts via email."), required=False)
    # Anti-spam without a cloud service: a field people never see nor fill (its
    # name means nothing to a browser's autofill), and the signed time the form was shown.
    leave_empty = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    NOTIFY_FIELDS = {
        "notify_replies": Subscription.Topic.REPLIES,
        "notify_comments": Subscription.Topic.COMMENTS,
        "notify_posts": Subscription.Topic.POSTS,
    }

    field_order = [
        "comment",
        "email",
        "name",
        "url",
        "save_details",
        "notify_replies",
        "notify_comments",
        "notify_posts",
        "parent",
        "leave_empty",
        "started",
    ]

    def __init__(self, *args, signed_in: bool = False, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        if signed_in:
            for name in ("email", "name", "url", "save_details"):
                del self.fields[name]
        if signed_in and not self.is_bound:
            # A member's page is their own. A guest's is shared by every guest: comments.js
            # asks for the time when they start typing (comments:form-started).
            self.initial["started"] = form_started_stamp()

    @property
    def detail_fields(self) -> list:
        """A guest's details, in the seed page's order: Email, Name, Website."""
        return [self[name] for name in ("email", "name", "url") if name in self.fields]

    @property
    def subscriptions_asked(self) -> tuple[str, ...]:
        """The subscriptions ticked, as Subscription topics."""
        return tuple(topic for field, topic in self.NOTIFY_FIELDS.items() if self.cleaned_data.get(field))

    def forget_parent(self) -> None:
        """A sent form given back without the comment it answered."""
        self.data = self.data.copy()
        self.data["parent"] = ""

    def clean_name(self) -> str:
        return one_line(self.cleaned_data["name"])

    def clean_comment(self) -> str:
        comment = self.cleaned_data["comment"]
        validate_comment_length(comment)
        return comment


class GuestDataForm(forms.Form):
    """A guest asks for the link to what their comments hold."""

    email = email_field(help_text=_("The address you gave with your comments."))


class GuestDataEraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand: this cannot be undone; my published comments stay, signed “Anonymous”, the others and my "
            "email subscriptions are deleted."
        ),
        error_messages={"required": _("Tick the box to confirm that you want to erase your data.")},
    )
