"""ChatEcomm custom actions: the Rasa adapter between the conversation and the store package."""
