"""Back-office views, one module per area; ``backoffice.urls`` maps them."""
