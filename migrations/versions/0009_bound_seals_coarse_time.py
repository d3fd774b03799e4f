"""ciphertexts bound to their place, disclosure controls authenticated, coarse time next to people

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

Every sealed value is re-sealed so its associated data names the column, the
campaign and the row (or member_ref), not only `table.column`; the role joins a
member's contact, and a signature's disclosure state joins its name. A revealed
grievance and every introduction get a MAC over what unlocks a name. Times next
to members are cut to the day; a support the merge made loses its time.

The re-seal needs the master key: `campaigns.core.db.upgrade` hands it in through
`config.attributes["keys"]`, so the data step runs in the revision's own
transaction and the revision number alone records that it ran. Without a key it
refuses to run over sealed rows (an empty database needs none).
"""

import sqlalchemy as sa
from alembic import context, op
from cryptography.exceptions import InvalidTag

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# (table, column, purpose before 0009, purpose now, how the row is named)
_SEALED = [
    ("campaign", "title_sealed", "campaign.title", "campaign.title", lambda r: ""),
    ("campaign", "description_sealed", "campaign.description", "campaign.description",
     lambda r: ""),
    ("team", "name_sealed", "team.name", "team.name", lambda r: r["team_ref"]),
    ("member", "contact_sealed", "person", "member.contact",
     lambda r: f"{r['member_ref']}:{r['role']}"),
    ("signature", "name_sealed", "person", "signature.name",
     lambda r: f"{r['subject']}:{r['subject_id']}:{r['member_id']}:"
               + ("released" if r["mode"] == "conditional" and r["released_at"] else r["mode"])),
    ("notice", "body_sealed", "notice.body", "notice.body", lambda r: r["member_id"]),
    ("pledge", "text_sealed", "pledge.text", "pledge.text", lambda r: r["id"]),
    ("talking_point", "text_sealed", "talking_point.text", "talking_point.text",
     lambda r: r["id"]),
    ("grievance", "text_sealed", "grievance.text", "grievance.text", lambda r: r["ref"]),
    ("grievance_reply", "body_sealed", "grievance_reply.body", "grievance_reply.body",
     lambda r: f"{r['grievance_id']}:{r['speaker']}"),
    *[("petition", f"{c}_sealed", f"petition.{c}", f"petition.{c}", lambda r: r["ref"])
      for c in ("title", "addressee", "points", "ask", "return_reason")],
    ("report_schedule", "channel_sealed", "report_schedule.channel", "report_schedule.channel",
     lambda r: r["member_id"]),
]

_PERSONAL_TIMES = {
    "member": ["joined_at"],
    "signature": ["signed_at", "released_at"],
    "point_support": ["supported_at"],
    "grievance": ["filed_at", "revealed_at", "closed_at"],
    "grievance_reply": ["created_at"],
    "notice": ["created_at"],
    "introduction_pool": ["joined_at"],
    "introduction": ["created_at", "decided_at"],
    "petition": ["created_at", "review_at", "opened_at", "returned_at", "delivered_at"],
    "petition_sponsor": ["sponsored_at"],
    "petition_approval": ["approved_at"],
    "petition_delivery": ["requested_at", "confirmed_at"],
    "report_schedule": ["created_at"],
}


def upgrade() -> None:
    connection = op.get_bind()
    # Checked before any DDL: SQLite commits ALTER TABLE at once, so a refusal must come first.
    vaults = _vaults(connection)
    op.add_column("grievance", sa.Column("reveal_mac", sa.String(length=64), nullable=True))
    op.add_column("introduction", sa.Column("consent_mac", sa.String(length=64), nullable=True))
    op.add_column("petition_delivery",
                  sa.Column("request_mac", sa.String(length=64), nullable=True))
    with op.batch_alter_table("point_support") as batch_op:
        batch_op.alter_column("supported_at", existing_type=sa.DateTime(), nullable=True)
    _reseal(connection, vaults)
    # A support the merge made for a grievance's author: its time would date the grievance.
    connection.execute(sa.text(
        "UPDATE point_support SET supported_at = NULL WHERE EXISTS (SELECT 1 FROM grievance g"
        " WHERE g.point_id = point_support.point_id AND g.member_id = point_support.member_id)"
    ))
    for table, columns in _PERSONAL_TIMES.items():
        for column in columns:
            connection.execute(sa.text(_to_day(connection.dialect.name, table, column)))
    # signed_at becomes a bound no earlier than the signing (the app keeps the snapshot that
    # first counts it): the end of its day, so no cooling-off window gets shorter.
    end_of_day = ("strftime('%Y-%m-%d %H:%M:%S.000000', signed_at, '+1 day')"
                  if connection.dialect.name == "sqlite"
                  else "signed_at + interval '1 day'")
    connection.execute(sa.text(f"UPDATE signature SET signed_at = {end_of_day}"))


def _to_day(dialect: str, table: str, column: str) -> str:
    if dialect == "sqlite":
        day = f"substr({column}, 1, 10) || ' 00:00:00.000000'"
    else:
        day = f"date_trunc('day', {column})"
    return f"UPDATE {table} SET {column} = {day} WHERE {column} IS NOT NULL"


def _vaults(connection) -> dict:
    campaigns = connection.execute(sa.text(
        "SELECT id, wrapped_key FROM campaign WHERE wrapped_key IS NOT NULL")).all()
    if not campaigns:
        return {}
    keys = context.config.attributes.get("keys")
    if keys is None:
        raise RuntimeError("Migration 0009 re-seals every campaign's rows and needs the master "
                           "key: run it through `concerted` (campaigns.core.db.upgrade), "
                           "which passes the key in.")
    return {cid: keys.vault(wrapped, cid) for cid, wrapped in campaigns}


def _reseal(connection, vaults: dict) -> None:
    if not vaults:
        return
    for table, column, old, new, row_of in _SEALED:
        owner = "t.id" if table == "campaign" else "t.campaign_id"
        rows = connection.execute(sa.text(
            f"SELECT t.*, {owner} AS owner_campaign FROM {table} t WHERE t.{column} IS NOT NULL"
        )).mappings().all()
        for row in rows:
            vault = vaults.get(row["owner_campaign"])
            if vault is None:
                continue
            try:
                blob = vault.reseal_legacy(row[column], old, new, row_of(row))
            except InvalidTag:
                continue  # already unreadable before 0009: it stays unreadable
            connection.execute(sa.text(f"UPDATE {table} SET {column} = :blob WHERE id = :id"),
                               {"blob": blob, "id": row["id"]})
    _macs(connection, vaults)


def _macs(connection, vaults) -> None:
    revealed = connection.execute(sa.text(
        "SELECT g.id, g.campaign_id, g.ref, m.member_ref FROM grievance g"
        " JOIN member m ON m.id = g.member_id WHERE g.revealed_at IS NOT NULL")).all()
    for gid, cid, ref, member_ref in revealed:
        if cid in vaults:
            connection.execute(sa.text("UPDATE grievance SET reveal_mac = :mac WHERE id = :id"),
                               {"mac": vaults[cid].mac("grievance.reveal", ref, member_ref),
                                "id": gid})
    requests = connection.execute(sa.text(
        "SELECT d.id, p.campaign_id, p.ref, m.member_ref FROM petition_delivery d"
        " JOIN petition p ON p.id = d.petition_id JOIN member m ON m.id = d.requested_by")).all()
    for did, cid, ref, member_ref in requests:
        if cid in vaults:
            connection.execute(
                sa.text("UPDATE petition_delivery SET request_mac = :mac WHERE id = :id"),
                {"mac": vaults[cid].mac("petition_delivery.request", ref, member_ref), "id": did})
    intros = connection.execute(sa.select(
        sa.column("id"), sa.column("campaign_id"), sa.column("ref"), sa.column("requester_id"),
        sa.column("other_id"), sa.column("requester_accepted", sa.Boolean),
        sa.column("other_accepted", sa.Boolean), sa.column("status"),
    ).select_from(sa.table("introduction"))).all()
    for iid, cid, ref, requester, other, requester_ok, other_ok, status in intros:
        if cid in vaults:
            mac = vaults[cid].mac("introduction.consent", ref, requester, other,
                                  bool(requester_ok), bool(other_ok), status)
            connection.execute(sa.text("UPDATE introduction SET consent_mac = :mac WHERE id = :id"),
                               {"mac": mac, "id": iid})


def downgrade() -> None:
    # Re-sealed values stay bound to their place: an older release cannot read them.
    op.execute("UPDATE point_support SET supported_at = (SELECT t.created_at FROM talking_point t"
               " WHERE t.id = point_support.point_id) WHERE supported_at IS NULL")
    with op.batch_alter_table("point_support") as batch_op:
        batch_op.alter_column("supported_at", existing_type=sa.DateTime(), nullable=False)
    # Plain ALTER TABLE, not a batch copy: re-creating grievance would cascade-delete its replies.
    op.drop_column("petition_delivery", "request_mac")
    op.drop_column("introduction", "consent_mac")
    op.drop_column("grievance", "reveal_mac")
