"""Importing ledgers (台账) from Excel or CSV into a new snapshot: read, check every row, skip duplicates, write."""
