"""数据统计: the officials' statistics of their jurisdiction and the public page of published
facts, read across applications, reviews, the registry and dynamic management (so they sit in
the portal layer). Every figure is one grouped query; charts are inline SVG drawn here."""
