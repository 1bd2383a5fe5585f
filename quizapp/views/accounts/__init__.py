"""Accounts' pages: sign-up, sign-in and passwords, API tokens, and the admin area."""
