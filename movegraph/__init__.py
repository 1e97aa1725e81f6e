"""Reads news and keeps a Neo4j graph of who moved where, and when."""
__version__ = "0.1.0"
