//! Sticker packs: a WABA's admins publish a pack (a name, up to 30 stickers that each pass the
//! sticker rules, one of them the cover) and delete it; anyone may look at a pack by its link;
//! a person adds a pack, removes it, lists the packs they have (Wasla's own always first) and
//! sends a sticker from one of them. Sending stores the sticker once as the person's own media
//! and sends that through the one send path, so it reaches chats like any sticker.

use super::shipped::{shipped_sticker, SHIPPED_NAME, SHIPPED_PACK, SHIPPED_STICKERS};
use super::{Status, StickerPackRow, StickerRow};
use crate::accounts::{sniff_sticker, AccountRow};
use crate::error::{Error, Result};
use crate::ids::parse_id;
use sha2::{Digest, Sha256};
use wasla_types::client::{Message, SendMessage};
use wasla_types::content::{Content, Media};
use wasla_types::stickers::{Sticker, StickerPack};

/// Most stickers in one pack.
pub const MAX_PACK_STICKERS: usize = 30;
const MAX_NAME_CHARS: usize = 128;

/// One uploaded sticker file of a pack being published.
pub struct StickerFile {
    /// The bytes.
    pub bytes: Vec<u8>,
}

fn sticker_url(pack: &str, sticker: &str) -> String {
    format!("/stickers/{pack}/{sticker}.webp")
}

fn not_found() -> Error {
    Error::not_found("sticker pack not found")
}

impl Status {
    /// Publish a pack of a WABA; `cover` is the index of the cover among `files`.
    pub async fn publish_pack(
        &self,
        waba_id: i64,
        name: &str,
        cover: usize,
        files: Vec<StickerFile>,
    ) -> Result<StickerPack> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(Error::bad(format!(
                "a pack needs a name of 1 to {MAX_NAME_CHARS} characters"
            )));
        }
        if files.is_empty() || files.len() > MAX_PACK_STICKERS {
            return Err(Error::bad(format!(
                "a pack holds 1 to {MAX_PACK_STICKERS} stickers; {} were given",
                files.len()
            )));
        }
        if cover >= files.len() {
            return Err(Error::bad(format!(
                "cover must be the index of one of the {} stickers",
                files.len()
            )));
        }
        // Every file is checked before anything is stored.
        let mut facts = Vec::with_capacity(files.len());
        for (i, f) in files.iter().enumerate() {
            let fact = sniff_sticker(&f.bytes).map_err(|e| match e {
                Error::UnsupportedMedia(d) => Error::UnsupportedMedia(format!("sticker {i}: {d}")),
                other => other,
            })?;
            facts.push(fact);
        }
        let pack_id = self.ground.ids.next();
        let mut rows = Vec::with_capacity(files.len());
        for (i, (f, fact)) in files.iter().zip(&facts).enumerate() {
            let row = StickerRow {
                id: self.ground.ids.next(),
                pack_id,
                position: i as i64,
                animated: fact.animated,
                file_size: f.bytes.len() as i64,
                sha256: hex::encode(Sha256::digest(&f.bytes)),
            };
            self.ground.blobs.put(row.id, &f.bytes).await?;
            rows.push(row);
        }
        let pack = StickerPackRow {
            id: pack_id,
            waba_id,
            name: name.to_string(),
            cover_id: rows[cover].id,
            created_at: self.ground.now(),
        };
        self.store.insert_sticker_pack(&pack, &rows).await?;
        self.view(&pack, None).await
    }

    /// Packs a WABA published.
    pub async fn packs_of(&self, waba_id: i64) -> Result<Vec<StickerPack>> {
        let mut out = Vec::new();
        for p in self.store.sticker_packs_of(waba_id).await? {
            out.push(self.view(&p, None).await?);
        }
        Ok(out)
    }

    /// Delete a pack of a WABA; people who added it no longer have it.
    pub async fn delete_pack(&self, waba_id: i64, id: &str) -> Result<()> {
        let id = parse_id(id).ok_or_else(not_found)?;
        let stickers = self.store.stickers(id).await?;
        if !self.store.delete_sticker_pack(waba_id, id).await? {
            return Err(not_found());
        }
        for s in stickers {
            self.ground.blobs.delete(s.id).await.ok();
        }
        Ok(())
    }

    /// A pack by id, as anyone may see it by its link; `person` tells whether they added it.
    pub async fn pack(&self, id: &str, person: Option<i64>) -> Result<StickerPack> {
        if id == SHIPPED_PACK {
            return Ok(shipped_view());
        }
        let pack = self.business_pack(id).await?;
        let added = match person {
            Some(p) => Some(self.added(p, pack.id).await?),
            None => None,
        };
        self.view(&pack, added).await
    }

    /// The packs a business number's WABA published, as its profile shows them to a person.
    pub async fn business_packs(&self, person: i64, wa_id: &str) -> Result<Vec<StickerPack>> {
        let not_found = || Error::not_found("no business with that number");
        let number = self
            .accounts
            .account_by_wa_id(wa_id)
            .await?
            .ok_or_else(not_found)?;
        let waba_id = number.waba_id.ok_or_else(not_found)?;
        let mut out = Vec::new();
        for p in self.store.sticker_packs_of(waba_id).await? {
            let added = self.added(person, p.id).await?;
            out.push(self.view(&p, Some(added)).await?);
        }
        Ok(out)
    }

    /// Add a pack for a person.
    pub async fn add_pack(&self, person: i64, id: &str) -> Result<StickerPack> {
        if id == SHIPPED_PACK {
            return Ok(shipped_view());
        }
        let pack = self.business_pack(id).await?;
        self.store
            .add_sticker_pack(person, pack.id, self.ground.now())
            .await?;
        self.view(&pack, Some(true)).await
    }

    /// Remove a pack a person added.
    pub async fn remove_pack(&self, person: i64, id: &str) -> Result<()> {
        if id == SHIPPED_PACK {
            return Err(Error::bad("Wasla's own pack cannot be removed"));
        }
        let pack = self.business_pack(id).await?;
        if !self.store.remove_sticker_pack(person, pack.id).await? {
            return Err(Error::not_found("you have not added this pack"));
        }
        Ok(())
    }

    /// The packs a person has: Wasla's own, then the ones they added.
    pub async fn my_packs(&self, person: i64) -> Result<Vec<StickerPack>> {
        let mut out = vec![shipped_view()];
        for p in self.store.added_sticker_packs(person).await? {
            out.push(self.view(&p, Some(true)).await?);
        }
        Ok(out)
    }

    /// The WebP bytes of a sticker of a pack, as its public URL serves them.
    pub async fn sticker_bytes(&self, pack: &str, sticker: &str) -> Result<Vec<u8>> {
        let missing = || Error::not_found("sticker not found");
        if pack == SHIPPED_PACK {
            return shipped_sticker(sticker)
                .map(<[u8]>::to_vec)
                .ok_or_else(missing);
        }
        let row = self.pack_sticker(sticker).await?;
        if Some(row.pack_id) != parse_id(pack) {
            return Err(missing());
        }
        self.ground.blobs.get(row.id).await
    }

    /// Send a sticker from a pack the person has to one of their chats.
    pub async fn send_sticker(
        &self,
        sender: &AccountRow,
        chat_id: &str,
        sticker_id: &str,
        client_id: Option<String>,
    ) -> Result<Message> {
        let bytes = match shipped_sticker(sticker_id) {
            Some(b) => b.to_vec(),
            None => {
                let row = self.pack_sticker(sticker_id).await?;
                if !self.added(sender.id, row.pack_id).await? {
                    return Err(Error::bad("add the sticker's pack before sending from it"));
                }
                self.ground.blobs.get(row.id).await?
            }
        };
        let media_id = self.copy_for(sender.id, sticker_id, &bytes).await?;
        let req = SendMessage {
            client_id,
            content: Content::Sticker {
                sticker: Media {
                    id: Some(media_id.to_string()),
                    ..Default::default()
                },
            },
            context: None,
            forwarded: false,
            referral: None,
        };
        self.chats.send(sender, chat_id, req).await
    }

    /// The person's own media copy of a sticker, stored on first use.
    async fn copy_for(&self, person: i64, key: &str, bytes: &[u8]) -> Result<i64> {
        if let Some(id) = self.store.sticker_copy(person, key).await? {
            if self.accounts.media(id).await?.is_some() {
                return Ok(id);
            }
        }
        let info = self.accounts.upload_sticker(person, bytes).await?;
        let id = parse_id(&info.id).ok_or_else(|| Error::internal("media id"))?;
        self.store.put_sticker_copy(person, key, id).await?;
        Ok(id)
    }

    async fn added(&self, person: i64, pack_id: i64) -> Result<bool> {
        Ok(self
            .store
            .added_sticker_packs(person)
            .await?
            .iter()
            .any(|p| p.id == pack_id))
    }

    async fn business_pack(&self, id: &str) -> Result<StickerPackRow> {
        let id = parse_id(id).ok_or_else(not_found)?;
        self.store.sticker_pack(id).await?.ok_or_else(not_found)
    }

    async fn pack_sticker(&self, id: &str) -> Result<StickerRow> {
        let missing = || Error::not_found("sticker not found");
        let id = parse_id(id).ok_or_else(missing)?;
        self.store.sticker(id).await?.ok_or_else(missing)
    }

    async fn view(&self, p: &StickerPackRow, added: Option<bool>) -> Result<StickerPack> {
        let pack = p.id.to_string();
        let publisher = self
            .business
            .waba(&p.waba_id.to_string())
            .await
            .map(|w| w.name)
            .unwrap_or_default();
        let stickers = self
            .store
            .stickers(p.id)
            .await?
            .into_iter()
            .map(|s| Sticker {
                url: sticker_url(&pack, &s.id.to_string()),
                id: s.id.to_string(),
                animated: s.animated,
            })
            .collect();
        Ok(StickerPack {
            link: format!("/stickers/{pack}"),
            id: pack,
            name: p.name.clone(),
            publisher,
            cover: p.cover_id.to_string(),
            stickers,
            shipped: false,
            added,
        })
    }
}

fn shipped_view() -> StickerPack {
    StickerPack {
        id: SHIPPED_PACK.into(),
        name: SHIPPED_NAME.into(),
        publisher: "Wasla".into(),
        cover: SHIPPED_STICKERS[0].0.into(),
        stickers: SHIPPED_STICKERS
            .iter()
            .map(|(name, _)| Sticker {
                id: (*name).into(),
                url: sticker_url(SHIPPED_PACK, name),
                animated: *name == "wave",
            })
            .collect(),
        link: format!("/stickers/{SHIPPED_PACK}"),
        shipped: true,
        added: Some(true),
    }
}
