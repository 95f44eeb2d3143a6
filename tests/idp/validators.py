"""The claims the test identity provider makes about its user."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class ProfileClaimsValidator(OAuth2Validator):
    """Standard profile and email claims, in the ID token and from the userinfo endpoint.

    DOT filters them by the granted scopes (`oidc_claim_scope`). No `picture`: the site
    under test must never hotlink an avatar from here.
    """

    def get_additional_claims(self) -> dict:
        # Taking no request makes DOT list these names in the discovery document's claims_supported.
        return {
            "email": lambda request: request.user.email,
            "email_verified": lambda request: True,
            "family_name": lambda request: request.user.last_name,
            "given_name": lambda request: request.user.first_name,
            "name": lambda request: request.user.get_full_name(),
            "preferred_username": lambda request: request.user.username,
        }
