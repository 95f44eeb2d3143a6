"""A real OpenID Connect identity provider for end-to-end sign-in tests: its own Django project."""
