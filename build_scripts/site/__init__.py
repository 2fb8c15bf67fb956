"""Stage 4-6: the model of the portal drawn as charts and written as pages, in each language."""
