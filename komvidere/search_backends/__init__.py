"""The two search backends behind komvidere.search, chosen by the database vendor: both give
the same operations (write entries, the match condition of a query's clauses, its score, live
matching of small tables), so komvidere.search holds the one behaviour of search."""

from django.db import connection


def backend():
    if connection.vendor == "postgresql":
        from komvidere.search_backends import postgresql

        return postgresql
    from komvidere.search_backends import sqlite

    return sqlite
