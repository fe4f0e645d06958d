"""Small helpers the notebooks import instead of copying code between them."""
