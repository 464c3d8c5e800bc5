"""The site: MkDocs plugin, pages and front-end data."""
