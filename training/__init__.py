"""Training the transformer models of the extractor from span-annotated news."""
