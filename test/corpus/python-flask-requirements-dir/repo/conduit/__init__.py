"""The conduit application package."""
