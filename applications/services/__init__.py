"""Commands that change applications' state, one module per aggregate."""
