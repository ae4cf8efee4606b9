"""Readers tell us when a page fails them: the form, its guard and the admin at review time."""
