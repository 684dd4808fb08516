"""Purchasing (进货): purchase notes, returns to the supplier, reversals (红冲), suppliers, reorder
suggestions and the import of a supplier's delivery note.

Other process packages use ``services.purchasing.api`` and ``services.purchasing.dto`` only.
"""
