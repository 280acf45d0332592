"""The demo data set: a reproducible, clearly labelled synthetic Kabupaten Tanah Laut.

`tanah_laut` generates it (pure, no database); `build` writes it through the product's own
actions and importer, so the figures a visitor sees are computed by the product, not typed in.
"""
