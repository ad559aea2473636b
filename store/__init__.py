"""ChatEcomm store: catalog, search, cart, orders and promotions. Never imports Rasa."""
