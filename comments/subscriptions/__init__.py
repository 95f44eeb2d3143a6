"""Email subscriptions: asked, confirmed, sent, stopped; the reader's page of them."""
