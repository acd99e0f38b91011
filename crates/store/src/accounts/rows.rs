//! Column lists and row decoders of accounts and media.

use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::accounts::{AccountKind, AccountRow, MediaRow};

/// Columns of an account row.
pub(crate) const ACCOUNT_COLS: &str =
    "id, kind, wa_id, phone, display_name, about, photo, verified_name, waba_id, last_seen, created_at";

/// Decode an account row (columns [`ACCOUNT_COLS`]).
pub(crate) fn account(r: &AnyRow) -> AccountRow {
    AccountRow {
        id: r.get(0),
        kind: AccountKind::parse(&r.get::<String, _>(1)),
        wa_id: r.get(2),
        phone: r.get(3),
        display_name: r.get(4),
        about: r.get(5),
        photo: r.get(6),
        verified_name: r.get(7),
        waba_id: r.get(8),
        last_seen: r.get(9),
        created_at: r.get(10),
    }
}

/// Columns of a media row.
pub(crate) const MEDIA_COLS: &str =
    "id, owner_id, mime_type, file_size, sha256, filename, created_at";

/// Decode a media row (columns [`MEDIA_COLS`]).
pub(crate) fn media(r: &AnyRow) -> MediaRow {
    MediaRow {
        id: r.get(0),
        owner_id: r.get(1),
        mime_type: r.get(2),
        file_size: r.get(3),
        sha256: r.get(4),
        filename: r.get(5),
        created_at: r.get(6),
    }
}
