"""Views of the uji petik (spot check) area: see `pages` and `records`."""
