"""How the API answers a refusal: one error shape for every 4xx (issue 19.2).

``ErrorResponses`` is the part of the portal's schema class that documents those answers on
every operation that can give them.
"""


class ErrorResponses:
    """Mixed into ``PortalAutoSchema``: the error responses of each operation."""
