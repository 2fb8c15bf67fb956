"""Stage 1-3: the curated tables read, checked (schema, domain rules, provenance) and packaged."""
