"""Readers' pages with no signal (a service worker, its offline page, the manifest)."""
