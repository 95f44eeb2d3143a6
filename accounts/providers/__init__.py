"""Sign-in providers that allauth does not ship, each an installed app allauth finds by itself."""
