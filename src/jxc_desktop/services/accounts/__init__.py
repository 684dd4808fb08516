"""Money owed (往来): customers, supplier and customer accounts, payments and collections with their
allocations (核销), balances, aging and statements."""
