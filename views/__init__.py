"""What the CLI shows or writes from query results: the movement map page and exported CSV/Parquet files.

No Cypher here (graph/ runs the queries and returns typed rows); views/ turns those rows into files.
"""
