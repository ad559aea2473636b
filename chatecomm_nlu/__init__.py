"""ChatEcomm's custom Rasa NLU components (referenced by class path in config.yml)."""
