"""News sources: feeds, pages and drop folders turned into Articles."""
