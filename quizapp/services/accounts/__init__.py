"""Accounts: who someone is. Sign-up and sign-in (``accounts``), pupils' own doors, password and confirmation
tokens, API tokens, a learner's personal data export, and the admin area's account work with its audit log."""
