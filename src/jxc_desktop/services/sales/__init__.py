"""Sales (销售): the checkout, held sales, customer returns by receipt and the day's summary (日结).

Other process packages use ``services.sales.api`` and ``services.sales.dto`` only.
"""
