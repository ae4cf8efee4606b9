"""The shared cache of reader pages, and the generations that make it stale."""
