"""API viewsets, one module per aggregate; greenmfg.urls registers each module's ``routes``."""
