"""Reports (报表): profit, sales splits, purchases, stock value, turnover, slow movers, expiry —
their queries, the one report catalogue, the tables every output renders and the xlsx writer.

Other packages use ``api`` (or ``dto``); this file imports nothing, so ``dto`` stays light.
"""
