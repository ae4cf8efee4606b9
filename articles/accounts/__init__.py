"""Editors' accounts: the admin site with two-step sign-in, and the sign-in rules."""
