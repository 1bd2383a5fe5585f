"""Helpers for the JSON API tests: tokens for accounts, and the header that sends them."""

from __future__ import annotations

from quizapp.services.accounts import tokens


def token_for(user, *scopes: str) -> str:
    """Make a token for an account (every scope its role allows unless some are named)."""
    _info, secret = tokens.create_token(user.id, f"test {len(tokens.list_tokens(user.id))}",
                                        scopes or tokens.scopes_for_role(user.role))
    return secret


def bearer(secret: str) -> dict:
    """Give the header that sends a token."""
    return {"Authorization": f"Bearer {secret}"}
