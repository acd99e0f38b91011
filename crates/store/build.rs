//! Rebuild the store when a migration is added or changed: `sqlx::migrate!` embeds the
//! migration files at compile time, and cargo would not otherwise notice a new file.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
