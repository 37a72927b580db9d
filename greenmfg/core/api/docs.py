"""What the schema tells an integrator about each operation: summary, description, examples
and tags (issue 19.4)."""


class DocumentedOperations:
    """Mixed into ``PortalAutoSchema``: each operation's summary, description and examples."""
