"""Fingerprint current answer keys without their feedback and wording

Until this revision the answer-key fingerprint kept each choice's feedback and HTML (they sat in
tuples, which the stripping skipped), so rewording a choice or its feedback made a new answer-key
version and stopped the question's earlier attempts counting. Each question's current version is
fingerprinted again from its stored answer under the corrected rule; older versions keep theirs, so
no two versions of one question can come to share a fingerprint.

Revision ID: 7b3e9c41d2a6
Revises: 06ccd3cc26b2
Create Date: 2026-11-21 18:10:00
"""

import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "7b3e9c41d2a6"
down_revision = "06ccd3cc26b2"
branch_labels = None
depends_on = None


def _without_presentation(node):
    """The fingerprint rule as of this revision (quizapp.content.model._without_presentation)."""
    if isinstance(node, dict):
        return {key: _without_presentation(value) for key, value in node.items()
                if not (key.endswith("html") or key == "feedback")}
    if isinstance(node, (list, tuple)):
        return [_without_presentation(value) for value in node]
    return node


def _key_hash(answer) -> str:
    blob = json.dumps(_without_presentation(answer), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def upgrade():
    connection = op.get_bind()
    version = sa.table("question_version", sa.column("id", sa.Integer), sa.column("question_id", sa.Integer),
                       sa.column("number", sa.Integer), sa.column("answer", sa.JSON),
                       sa.column("key_hash", sa.String))
    question = sa.table("question", sa.column("id", sa.Integer), sa.column("version", sa.Integer))
    current = sa.select(version.c.id, version.c.answer, version.c.key_hash).join(
        question, sa.and_(question.c.id == version.c.question_id, question.c.version == version.c.number))
    for row in connection.execute(current).all():
        fingerprint = _key_hash(row.answer)
        if fingerprint != row.key_hash:
            connection.execute(sa.update(version).where(version.c.id == row.id).values(key_hash=fingerprint))


def downgrade():
    pass  # the old fingerprints cannot be told apart again; a reload under the old code re-versions as before
