"""Stage 7: what is downloaded and harvested: files in open formats, the API, catalogues, releases."""
