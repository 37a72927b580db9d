"""The portal layer: what looks across every app (each role's dashboard, the demo and data
generators). It sits on top of the order of apps (pyproject's import contracts): it may import
any app, and no app imports it."""
