"""The web app: accounts and sign-in, pages for the overview, strands, delivery and narrative."""
