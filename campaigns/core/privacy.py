"""Keys, pseudonyms and authenticated encryption (docs/PRIVACY.md).

A master key, kept in a file outside the database, wraps one random key per
campaign. Everything personal in a campaign is either a keyed hash of it
(`member_ref`, unlinkable across campaigns) or sealed with AES-GCM under a key
derived from the campaign key. Deleting the wrapped campaign key therefore
makes the campaign's rows unreadable and unlinkable: crypto-shredding.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from campaigns.core.errors import CampaignArchived, KeyFileProblem, Unreadable

KEY_BYTES = 32
_NONCE_BYTES = 12
_CHECK_LABEL = b"concerted:master-key-check:v1"
_PSEUDONYMS = "pseudonym-keys"
_PLACE_VERSION = "concerted:place:v2"


def _derive(key: bytes, label: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=label.encode()).derive(
        key
    )


def _seal(key: bytes, plaintext: bytes, purpose: str) -> bytes:
    nonce = os.urandom(_NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, purpose.encode())


def _open(key: bytes, blob: bytes, purpose: str) -> bytes:
    return AESGCM(key).decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], purpose.encode())


class UnreadableEntry:
    """Stands in for a name whose sealed value did not open; templates show it as unreadable."""

    def __repr__(self) -> str:
        return "UNREADABLE"


UNREADABLE = UnreadableEntry()


@dataclass(frozen=True)
class Person:
    """Who is acting, as a platform names them; never stored as it is."""

    platform: str
    workspace: str
    user: str

    @property
    def identity(self) -> str:
        return f"{self.platform}:{self.workspace}:{self.user}"

    @classmethod
    def from_identity(cls, identity: str) -> Person:
        platform, workspace, user = identity.split(":", 2)
        return cls(platform, workspace, user)


class CampaignVault:
    """One campaign's key at work: pseudonyms, sealed text and control MACs.

    Every sealed value is bound to its place: the associated data names the
    column, the campaign and the row (or member_ref). A database writer without
    the key can therefore break a row, never move a ciphertext to another row,
    column or campaign and have it open there.
    """

    def __init__(self, campaign_key: bytes, campaign_id: int | None = None):
        self._ref_key = _derive(campaign_key, "member-ref")
        self._team_key = _derive(campaign_key, "team-ref")
        self._seal_key = _derive(campaign_key, "seal")
        self._mac_key = _derive(campaign_key, "control-mac")
        self.campaign_id = campaign_id

    def bound(self, campaign_id: int) -> CampaignVault:
        """The same keys, bound to the campaign row they belong to."""
        other = object.__new__(CampaignVault)
        other.__dict__.update(self.__dict__, campaign_id=campaign_id)
        return other

    def member_ref(self, person: Person) -> str:
        """HMAC-SHA256 of `platform:workspace:user` under this campaign's key."""
        return hmac.new(self._ref_key, person.identity.encode(), hashlib.sha256).hexdigest()

    def team_ref(self, team: str) -> str:
        """A team's pseudonym, so breakdowns group without storing the name in plain."""
        normal = " ".join(team.casefold().split())
        return hmac.new(self._team_key, normal.encode(), hashlib.sha256).hexdigest()

    def _place(self, purpose: str, row: object) -> str:
        if self.campaign_id is None:
            raise ValueError("a vault must be bound to its campaign before it seals")
        return f"{_PLACE_VERSION}|{purpose}|campaign={self.campaign_id}|row={row}"

    def seal(self, text: str, purpose: str, row: object) -> bytes:
        """Encrypt free text bound to its place: `purpose` (table.column), campaign and `row`."""
        return _seal(self._seal_key, text.encode(), self._place(purpose, row))

    def open(self, blob: bytes | None, purpose: str, row: object) -> str:
        """Decrypt what `seal` made for the same place; Unreadable if it was moved or changed."""
        if blob is None or len(blob) <= _NONCE_BYTES:
            raise Unreadable()
        try:
            return _open(self._seal_key, bytes(blob), self._place(purpose, row)).decode()
        except (InvalidTag, UnicodeDecodeError):
            raise Unreadable() from None

    def seal_json(self, value: object, purpose: str, row: object) -> bytes:
        return self.seal(json.dumps(value, separators=(",", ":")), purpose, row)

    def open_json(self, blob: bytes | None, purpose: str, row: object) -> object:
        return json.loads(self.open(blob, purpose, row))

    def seal_person(self, person: Person, purpose: str, row: object) -> bytes:
        """Keep a way to reach someone later (replies, introductions, released names)."""
        return self.seal(person.identity, purpose, row)

    def open_person(self, blob: bytes | None, purpose: str, row: object) -> Person:
        return Person.from_identity(self.open(blob, purpose, row))

    def name_or_unreadable(self, blob: bytes | None, purpose: str,
                           row: object) -> Person | UnreadableEntry:
        """A person to show by name, or UNREADABLE: never someone else's name."""
        try:
            return self.open_person(blob, purpose, row)
        except (Unreadable, ValueError):
            return UNREADABLE

    def mac(self, purpose: str, row: object, *values: object) -> str:
        """A MAC over control values that unlock a disclosure, bound to their place."""
        message = "|".join([self._place(purpose, row), *(str(v) for v in values)])
        return hmac.new(self._mac_key, message.encode(), hashlib.sha256).hexdigest()

    def verify(self, tag: str | None, purpose: str, row: object, *values: object) -> bool:
        """Whether `tag` is this vault's MAC over the same place and values."""
        return tag is not None and hmac.compare_digest(tag, self.mac(purpose, row, *values))

    def reseal_legacy(self, blob: bytes, old_purpose: str, purpose: str, row: object) -> bytes:
        """Migration 0009: re-seal a value bound only to `table.column` to its full place."""
        plain = _open(self._seal_key, bytes(blob), old_purpose)
        return _seal(self._seal_key, plain, self._place(purpose, row))


class MasterKey:
    """The key that wraps every campaign key; it lives in a file, never in the database.

    It also keys the pseudonyms of workspaces and of dashboard tokens. Those
    are stored, and cannot be computed again under another key, so a rotated
    key keeps the first key's pseudonym keys, wrapped under it in the database
    (`pseudonyms`, see `wrapped_pseudonyms`).
    """

    def __init__(self, raw: bytes, pseudonyms: str | None = None):
        if len(raw) != KEY_BYTES:
            raise ValueError("a master key is 32 bytes")
        self._wrap_key = _derive(raw, "wrap")
        if pseudonyms is None:
            self._workspace_key = _derive(raw, "workspace-ref")
            self._access_key = _derive(raw, "access-ref")
        else:
            try:
                both = _open(self._wrap_key, base64.urlsafe_b64decode(pseudonyms), _PSEUDONYMS)
            except (InvalidTag, ValueError):
                raise KeyFileProblem(reason="wrong") from None
            self._workspace_key, self._access_key = both[:KEY_BYTES], both[KEY_BYTES:]
        self._check = hmac.new(raw, _CHECK_LABEL, hashlib.sha256).hexdigest()
        self._vaults: dict[bytes, CampaignVault] = {}

    @classmethod
    def successor(cls, current: MasterKey) -> tuple[MasterKey, bytes]:
        """A new random key that keeps `current`'s pseudonyms, and its raw bytes for the file."""
        raw = os.urandom(KEY_BYTES)
        wrapped = _seal(_derive(raw, "wrap"), current._workspace_key + current._access_key,
                        _PSEUDONYMS)
        return cls(raw, base64.urlsafe_b64encode(wrapped).decode()), raw

    def wrapped_pseudonyms(self) -> str:
        """This key's pseudonym keys wrapped under it: what the database keeps after a rotation."""
        blob = _seal(self._wrap_key, self._workspace_key + self._access_key, _PSEUDONYMS)
        return base64.urlsafe_b64encode(blob).decode()

    def rewrap(self, wrapped_key: bytes, successor: MasterKey) -> bytes:
        """A campaign key wrapped under this key, wrapped under `successor` instead."""
        try:
            campaign_key = _open(self._wrap_key, bytes(wrapped_key), "campaign-key")
        except InvalidTag:
            raise KeyFileProblem(reason="wrong") from None
        return _seal(successor._wrap_key, campaign_key, "campaign-key")

    @property
    def check(self) -> str:
        """A value stored in the database to recognise this key later without revealing it."""
        return self._check

    def new_wrapped_campaign_key(self) -> bytes:
        return _seal(self._wrap_key, os.urandom(KEY_BYTES), "campaign-key")

    def vault(self, wrapped_key: bytes | None, campaign_id: int | None = None) -> CampaignVault:
        """The vault of campaign `campaign_id`, or CampaignArchived once its key is destroyed."""
        if wrapped_key is None:
            raise CampaignArchived()
        wrapped_key = bytes(wrapped_key)
        vault = self._vaults.get(wrapped_key)
        if vault is None:
            try:
                vault = CampaignVault(_open(self._wrap_key, wrapped_key, "campaign-key"))
            except InvalidTag:
                raise KeyFileProblem(reason="wrong") from None
            self._vaults[wrapped_key] = vault
        return vault.bound(campaign_id) if campaign_id is not None else vault

    def forget(self, wrapped_key: bytes | None) -> None:
        """Drop a campaign key from memory too, once it is gone from the database."""
        if wrapped_key is not None:
            self._vaults.pop(bytes(wrapped_key), None)

    def workspace_ref(self, platform: str, workspace: str) -> str:
        """A workspace's pseudonym: campaigns are looked up by it and their NAME."""
        msg = f"{platform}:{workspace}".encode()
        return hmac.new(self._workspace_key, msg, hashlib.sha256).hexdigest()

    def access_ref(self, secret: str) -> str:
        """The stored form of a one-time link or session token: a keyed hash, so a database
        reader cannot use it and a database writer without the key cannot mint one."""
        return hmac.new(self._access_key, secret.encode(), hashlib.sha256).hexdigest()


def read_master_key(path: Path, pseudonyms: str | None = None) -> MasterKey:
    """The key in an existing key file, or KeyFileProblem if it is not one."""
    try:
        raw = base64.urlsafe_b64decode(Path(path).read_text().strip())
        key = MasterKey(raw) if pseudonyms is None else MasterKey(raw, pseudonyms)
    except (ValueError, OSError):
        raise KeyFileProblem(reason="unreadable", path=str(path)) from None
    except KeyFileProblem:
        raise KeyFileProblem(reason="wrong", path=str(path)) from None
    return key


def write_key_file(path: Path, raw: bytes) -> None:
    """A new key file, mode 0600, on disk (flushed and synced) before this returns."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(base64.urlsafe_b64encode(raw).decode() + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def pending_key_path(path: Path) -> Path:
    """Where `concerted key rotate` writes the new key before the database switches to it."""
    return Path(path).with_name(Path(path).name + ".new")


def finish_rotation(path: Path, stored_check: str | None) -> bool:
    """Complete a key rotation that stopped after the database switched to the new key.

    The new key file is renamed over the old one only if it is the key the
    database now names; otherwise it is left alone (a rotation that stopped
    before the switch, or one still running). Returns whether it renamed.
    """
    pending = pending_key_path(path)
    if not stored_check or not pending.exists():
        return False
    try:
        new = read_master_key(pending)
    except KeyFileProblem:
        return False
    if not hmac.compare_digest(stored_check, new.check):
        return False
    os.replace(pending, path)
    return True


def load_master_key(path: Path, *, database_has_data: bool, stored_check: str | None,
                    pseudonyms: str | None = None) -> MasterKey:
    """Read the key file; create it (mode 0600) only when there is nothing it could lock out."""
    path = Path(path)
    finish_rotation(path, stored_check)
    if not path.exists():
        if database_has_data or stored_check:
            raise KeyFileProblem(reason="missing", path=str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        write_key_file(path, os.urandom(KEY_BYTES))
    key = read_master_key(path)
    if stored_check and not hmac.compare_digest(stored_check, key.check):
        raise KeyFileProblem(reason="wrong", path=str(path))
    return read_master_key(path, pseudonyms) if pseudonyms else key
