"""Settings: ``base`` (env-driven, the default), ``production`` and ``test``."""
