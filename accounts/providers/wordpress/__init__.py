"""WordPress.com sign-in (OAuth2), as an allauth provider."""
