"""Queries, one module per aggregate."""
