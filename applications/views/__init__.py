"""Pages, one module per aggregate; ``applications.urls`` gathers their routes."""
