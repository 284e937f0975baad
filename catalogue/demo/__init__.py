"""A believable demo shop, built by `python manage.py seed_demo`.

`services.demo_seed` is the entry point; the other modules are its parts: word lists
(`data`, `words`), the deterministic product generator (`generate`), the fixed
catalogue structure (`structure`), the bulk writer (`products`), Pillow images
(`images`), offers and the staff account.
"""
