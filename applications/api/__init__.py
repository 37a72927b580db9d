"""API viewsets, one module per aggregate; each module's ``routes`` is registered in greenmfg.urls."""
