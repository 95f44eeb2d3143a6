"""Reading pages as a reader sees them."""


def body(response) -> str:
    """The page's body: what a reader sees (the head's structured data lists comments of every page)."""
    return response.text.split("<body", 1)[1]
