from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.admin import EmailConfirmationAdmin as AllauthEmailConfirmationAdmin
from allauth.account.models import EmailConfirmation
from allauth.core import ratelimit
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.admin import SocialAccountAdmin as AllauthSocialAccountAdmin
from allauth.socialaccount.admin import SocialTokenAdmin as AllauthSocialTokenAdmin
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from config.admin import OddDatesListAdmin

from .models import User
from .services import account_delete


class StaffLoginForm(AdminAuthenticationForm):
    """The admin's sign-in, under the site's limits (allauth's): so many tries an address a minute, and so many
    failed ones per account and address, then the 429 page."""

    def clean(self):
        response = ratelimit.consume_or_429(self.request, action="login")
        if response is not None:
            raise ImmediateHttpResponse(response)
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if username is not None and password:
            self.user_cache = get_account_adapter(self.request).authenticate(
                self.request, username=username, password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


admin.site.login_form = StaffLoginForm


@admin.register(User)
class UserAdmin(OddDatesListAdmin, DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Public profile"), {"fields": ("display_name", "website")}),
    )
    list_display = ("username", "email", "display_name", "is_staff", "is_active")

    # Deleted here as its member deletes it (accounts.services.account_delete): its published comments stay
    # anonymised, its blocks outlive it as blocks on its addresses, the admin's history forgets its name. (An article's
    # author is kept: the articles protect the account, and the page says so.)
    def delete_model(self, request, obj: User):
        account_delete(user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            account_delete(user=user)


# allauth's lists with a date (for superusers) open whole for a date no calendar holds, as the project's do.


class SocialAccountAdmin(OddDatesListAdmin, AllauthSocialAccountAdmin):
    pass


class SocialTokenAdmin(OddDatesListAdmin, AllauthSocialTokenAdmin):
    pass


class EmailConfirmationAdmin(OddDatesListAdmin, AllauthEmailConfirmationAdmin):
    pass


admin.site.unregister(SocialAccount)
admin.site.register(SocialAccount, SocialAccountAdmin)
admin.site.unregister(SocialToken)
admin.site.register(SocialToken, SocialTokenAdmin)
# Listed only when confirmations are kept in the database (ACCOUNT_EMAIL_CONFIRMATION_HMAC off; ours is on).
if admin.site.is_registered(EmailConfirmation):
    admin.site.unregister(EmailConfirmation)
    admin.site.register(EmailConfirmation, EmailConfirmationAdmin)
