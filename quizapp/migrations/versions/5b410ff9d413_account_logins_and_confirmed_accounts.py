"""account logins (logout revokes) and confirmed accounts (sign-up by mail)

Revision ID: 5b410ff9d413
Revises: fd8f0c865e78
Create Date: 2026-12-06 21:00:00

Every sign-in gets a row in account_login; its id is in the session and remember-me cookies, and the
user loader checks it, so logout (which deletes the row) ends that session and its remember-me token.
Cookies issued before this revision carry no login id: everyone signs in once more.
user_account.confirmed is false while a sign-up waits for its confirmation link; existing accounts are
confirmed.
"""
from alembic import op
import sqlalchemy as sa


revision = '5b410ff9d413'
down_revision = "fd8f0c865e78"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'account_login',
        sa.Column('id', sa.String(length=43), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_account_login_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account_login')),
    )
    with op.batch_alter_table('account_login', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_login_user_id'), ['user_id'], unique=False)
    # Plain ALTER TABLE on both databases: batch mode would rebuild user_account, which rows refer to.
    op.add_column('user_account', sa.Column('confirmed', sa.Boolean(), server_default='1', nullable=False))


def downgrade():
    # The table that refers to user_account goes first: batch mode rebuilds user_account on SQLite.
    with op.batch_alter_table('account_login', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_login_user_id'))
    op.drop_table('account_login')
    op.drop_column('user_account', 'confirmed')  # SQLite 3.35+ drops a column in place
