"""URL routes, one module per area of the product; `sikumuh.web.urls` includes them all."""
