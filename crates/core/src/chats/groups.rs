//! Chats: direct chats between two accounts and groups of people, with membership, roles and
//! the server-written notes that record group changes.

use super::Chats;
use super::{ChatKind, ChatRow, EventKind, MemberRow, NewEvent, Role};
use crate::accounts::clean_text;
use crate::accounts::{AccountKind, AccountRow, EventSeq};
use crate::error::{Error, Result};
use crate::ids::parse_id;
use std::collections::HashSet;
use std::sync::Arc;
use wasla_types::client::{Chat, Event, GroupUpdate, NewGroup};
use wasla_types::content::{Content, SystemNote};

/// Longest group subject.
const MAX_SUBJECT_CHARS: usize = 100;

impl Chats {
    /// The chat and the viewer's membership (past memberships count: history stays readable).
    pub async fn chat_for(&self, viewer: i64, chat_id: &str) -> Result<(ChatRow, MemberRow)> {
        let not_found = || Error::not_found("chat not found");
        let id = parse_id(chat_id).ok_or_else(not_found)?;
        let me = self.store.member(id, viewer).await?.ok_or_else(not_found)?;
        let chat = self.store.chat(id).await?.ok_or_else(not_found)?;
        Ok((chat, me))
    }

    /// The chat id and all memberships, if the viewer is a current member (cached; see
    /// `membership_cache`).
    pub(crate) async fn active_members(
        &self,
        viewer: i64,
        chat_id: &str,
    ) -> Result<(i64, Arc<[MemberRow]>)> {
        let not_found = || Error::not_found("chat not found");
        let id = parse_id(chat_id).ok_or_else(not_found)?;
        let members = self.cached_members(id).await?;
        match members.iter().find(|m| m.account_id == viewer) {
            None => Err(not_found()),
            Some(me) if !me.active() => Err(Error::Forbidden(
                "you are no longer a member of this chat".into(),
            )),
            Some(_) => Ok((id, members)),
        }
    }

    /// The viewer's membership of a chat, current or past (cached; its `last_read_seq` may be
    /// behind).
    pub(crate) async fn membership(&self, viewer: i64, chat_id: &str) -> Result<MemberRow> {
        let not_found = || Error::not_found("chat not found");
        let id = parse_id(chat_id).ok_or_else(not_found)?;
        self.cached_members(id)
            .await?
            .iter()
            .find(|m| m.account_id == viewer)
            .cloned()
            .ok_or_else(not_found)
    }

    /// The chat, if the viewer is a current member.
    pub(crate) async fn active_chat(
        &self,
        viewer: i64,
        chat_id: &str,
    ) -> Result<(ChatRow, MemberRow)> {
        let (chat, me) = self.chat_for(viewer, chat_id).await?;
        if !me.active() {
            return Err(Error::Forbidden(
                "you are no longer a member of this chat".into(),
            ));
        }
        Ok((chat, me))
    }

    /// A chat as the viewer sees it.
    pub async fn get_chat(&self, viewer: i64, chat_id: &str) -> Result<Chat> {
        let (chat, me) = self.chat_for(viewer, chat_id).await?;
        self.chat_view(viewer, &chat, &me).await
    }

    /// All chats of the viewer, most recent activity first.
    pub async fn list_chats(&self, viewer: i64) -> Result<Vec<Chat>> {
        let mut out = Vec::new();
        for (chat, me) in self.store.chats_of(viewer).await? {
            out.push(self.chat_view(viewer, &chat, &me).await?);
        }
        Ok(out)
    }

    /// Get or create the direct chat between `me` and the account with `wa_id`.
    pub async fn open_direct(&self, me: &AccountRow, wa_id: &str) -> Result<Chat> {
        let peer = self
            .accounts
            .find_by_wa_id(wa_id.trim().trim_start_matches('+'))
            .await?;
        let chat = self.direct_chat_with(me, &peer).await?;
        let member = self
            .store
            .member(chat.id, me.id)
            .await?
            .ok_or_else(|| Error::internal("member row missing"))?;
        self.chat_view(me.id, &chat, &member).await
    }

    /// Get or create the direct chat row between two accounts.
    pub async fn direct_chat_with(&self, me: &AccountRow, peer: &AccountRow) -> Result<ChatRow> {
        if peer.id == me.id {
            return Err(Error::bad("you cannot start a chat with yourself"));
        }
        let key = direct_key(me.id, peer.id);
        if let Some(chat) = self.store.direct_chat(&key).await? {
            return Ok(chat);
        }
        let now = self.ground.now();
        let chat = ChatRow {
            id: self.ground.ids.next(),
            kind: ChatKind::Direct,
            subject: None,
            photo: None,
            last_seq: 0,
            created_at: now,
            updated_at: now,
        };
        let members: Vec<MemberRow> = [me, peer]
            .iter()
            .map(|a| new_member(chat.id, a, Role::Member, now))
            .collect();
        let events = chat_events(chat.id, members.iter().map(|m| m.account_id));
        let inserted = self
            .store
            .insert_chat(&chat, Some(&key), &members, &events)
            .await;
        self.members_changed(chat.id);
        match inserted? {
            Some(seqs) => {
                self.publish_all(&seqs);
                Ok(chat)
            }
            // Someone created it at the same moment.
            None => self
                .store
                .direct_chat(&key)
                .await?
                .ok_or_else(|| Error::internal("direct chat vanished")),
        }
    }

    /// Create a group with `me` as admin.
    pub async fn create_group(&self, me: &AccountRow, req: NewGroup) -> Result<Chat> {
        let subject = group_subject(&req.subject)?;
        let photo = match req.photo.as_deref() {
            Some(p) => Some(self.accounts.own_image(me.id, p).await?),
            None => None,
        };
        let invited = self.people(me, &req.members).await?;
        if invited.len() + 1 > self.ground.config.limits.max_group_members {
            return Err(Error::bad("too many members"));
        }
        let now = self.ground.now();
        let chat = ChatRow {
            id: self.ground.ids.next(),
            kind: ChatKind::Group,
            subject: Some(subject.clone()),
            photo,
            last_seq: 0,
            created_at: now,
            updated_at: now,
        };
        let mut members = vec![new_member(chat.id, me, Role::Admin, now)];
        members.extend(
            invited
                .iter()
                .map(|a| new_member(chat.id, a, Role::Member, now)),
        );
        let events = chat_events(chat.id, members.iter().map(|m| m.account_id));
        let inserted = self.store.insert_chat(&chat, None, &members, &events).await;
        self.members_changed(chat.id);
        let seqs = inserted?.ok_or_else(|| Error::internal("group id clash"))?;
        self.publish_all(&seqs);
        self.post_note(
            &chat,
            me,
            format!("{} created group \"{}\"", name_of(me), subject),
        )
        .await?;
        self.get_chat(me.id, &chat.id.to_string()).await
    }

    /// Change a group's subject or photo (admins).
    pub async fn update_group(
        &self,
        me: &AccountRow,
        chat_id: &str,
        req: GroupUpdate,
    ) -> Result<Chat> {
        let (mut chat, _) = self.group_as_admin(me, chat_id).await?;
        let mut notes = Vec::new();
        if let Some(subject) = req.subject {
            let subject = group_subject(&subject)?;
            notes.push(format!(
                "{} changed the subject to \"{}\"",
                name_of(me),
                subject
            ));
            chat.subject = Some(subject);
        }
        if let Some(photo) = req.photo {
            chat.photo = match photo {
                Some(p) => Some(self.accounts.own_image(me.id, &p).await?),
                None => None,
            };
            notes.push(format!("{} changed the group photo", name_of(me)));
        }
        chat.updated_at = self.ground.now();
        self.save_members(&chat, &[]).await?;
        for note in notes {
            self.post_note(&chat, me, note).await?;
        }
        self.get_chat(me.id, chat_id).await
    }

    /// Add people to a group (admins).
    pub async fn add_members(
        &self,
        me: &AccountRow,
        chat_id: &str,
        wa_ids: &[String],
    ) -> Result<Chat> {
        let (chat, _) = self.group_as_admin(me, chat_id).await?;
        let current = self.store.members(chat.id).await?;
        let active: HashSet<i64> = current
            .iter()
            .filter(|m| m.active())
            .map(|m| m.account_id)
            .collect();
        let adding: Vec<AccountRow> = self
            .people(me, wa_ids)
            .await?
            .into_iter()
            .filter(|a| !active.contains(&a.id))
            .collect();
        if adding.is_empty() {
            return self.get_chat(me.id, chat_id).await;
        }
        if active.len() + adding.len() > self.ground.config.limits.max_group_members {
            return Err(Error::bad("too many members"));
        }
        let now = self.ground.now();
        let rows: Vec<MemberRow> = adding
            .iter()
            .map(|a| new_member(chat.id, a, Role::Member, now))
            .collect();
        self.save_members(&chat, &rows).await?;
        let names: Vec<String> = adding.iter().map(name_of).collect();
        self.post_note(
            &chat,
            me,
            format!("{} added {}", name_of(me), names.join(", ")),
        )
        .await?;
        self.get_chat(me.id, chat_id).await
    }

    /// Remove someone from a group (admins), or leave it oneself.
    pub async fn remove_member(&self, me: &AccountRow, chat_id: &str, wa_id: &str) -> Result<Chat> {
        let (chat, _) = self.group_as_admin(me, chat_id).await?;
        let target = self.accounts.find_by_wa_id(wa_id).await?;
        let member = self
            .store
            .member(chat.id, target.id)
            .await?
            .filter(|m| m.active())
            .ok_or_else(|| Error::not_found("not a member of this chat"))?;
        let note = if target.id == me.id {
            format!("{} left", name_of(me))
        } else {
            format!("{} removed {}", name_of(me), name_of(&target))
        };
        self.depart(&chat, member, me, note).await?;
        self.get_chat(me.id, chat_id).await
    }

    /// Leave a group.
    pub async fn leave_group(&self, me: &AccountRow, chat_id: &str) -> Result<()> {
        let (chat, member) = self.active_chat(me.id, chat_id).await?;
        if chat.kind != ChatKind::Group {
            return Err(Error::bad("only groups can be left"));
        }
        self.depart(&chat, member, me, format!("{} left", name_of(me)))
            .await
    }

    /// Make someone an admin or a plain member again (admins).
    pub async fn set_admin(
        &self,
        me: &AccountRow,
        chat_id: &str,
        wa_id: &str,
        admin: bool,
    ) -> Result<Chat> {
        let (chat, _) = self.group_as_admin(me, chat_id).await?;
        let target = self.accounts.find_by_wa_id(wa_id).await?;
        let mut member = self
            .store
            .member(chat.id, target.id)
            .await?
            .filter(|m| m.active())
            .ok_or_else(|| Error::not_found("not a member of this chat"))?;
        member.role = if admin { Role::Admin } else { Role::Member };
        self.save_members(&chat, &[member]).await?;
        self.get_chat(me.id, chat_id).await
    }

    /// Write a departure: the note reaches the leaver too, then they stop being a member.
    /// A group left without admins gets its longest-standing member as admin.
    async fn depart(
        &self,
        chat: &ChatRow,
        mut member: MemberRow,
        actor: &AccountRow,
        note: String,
    ) -> Result<()> {
        let seq = self.post_note(chat, actor, note).await?;
        member.left_at = Some(self.ground.now());
        member.left_seq = Some(seq);
        let mut changed = vec![member.clone()];
        let rest: Vec<MemberRow> = self
            .store
            .members(chat.id)
            .await?
            .into_iter()
            .filter(|m| m.active() && m.account_id != member.account_id)
            .collect();
        if member.role == Role::Admin && !rest.iter().any(|m| m.role == Role::Admin) {
            if let Some(mut heir) = rest.into_iter().min_by_key(|m| m.joined_at) {
                heir.role = Role::Admin;
                changed.push(heir);
            }
        }
        self.save_members(chat, &changed).await?;
        // The leaver's devices learn of it too.
        let seqs = self
            .store
            .append_events(
                &chat_events(chat.id, [member.account_id]),
                self.ground.now(),
            )
            .await?;
        self.publish_all(&seqs);
        Ok(())
    }

    /// Persist chat fields and member rows, and tell every current member.
    async fn save_members(&self, chat: &ChatRow, rows: &[MemberRow]) -> Result<()> {
        let mut audience: HashSet<i64> = self
            .store
            .members(chat.id)
            .await?
            .iter()
            .filter(|m| m.active())
            .map(|m| m.account_id)
            .collect();
        for r in rows {
            if r.active() {
                audience.insert(r.account_id);
            } else {
                audience.remove(&r.account_id);
            }
        }
        let updated = self
            .store
            .update_chat(chat, rows, &chat_events(chat.id, audience))
            .await;
        // Before anyone hears of the change (and whatever the outcome): the cache must not
        // let a removed member send once this returns.
        if !rows.is_empty() {
            self.members_changed(chat.id);
        }
        let seqs = updated?;
        self.publish_all(&seqs);
        Ok(())
    }

    async fn group_as_admin(&self, me: &AccountRow, chat_id: &str) -> Result<(ChatRow, MemberRow)> {
        let (chat, member) = self.active_chat(me.id, chat_id).await?;
        if chat.kind != ChatKind::Group {
            return Err(Error::bad("this is not a group"));
        }
        if member.role != Role::Admin {
            return Err(Error::Forbidden("only group admins can do that".into()));
        }
        Ok((chat, member))
    }

    /// Resolve people by wa_id for a group (no businesses, no duplicates, not `me`).
    async fn people(&self, me: &AccountRow, wa_ids: &[String]) -> Result<Vec<AccountRow>> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for w in wa_ids {
            let a = self
                .accounts
                .find_by_wa_id(w.trim().trim_start_matches('+'))
                .await?;
            if a.kind != AccountKind::Person {
                return Err(Error::bad(format!(
                    "{} is a business number and cannot join groups",
                    a.wa_id
                )));
            }
            if a.id != me.id && seen.insert(a.id) {
                out.push(a);
            }
        }
        Ok(out)
    }

    /// Post a server-written note into a chat; returns its seq.
    async fn post_note(&self, chat: &ChatRow, actor: &AccountRow, body: String) -> Result<i64> {
        let content = Content::System {
            system: SystemNote { body, call: None },
        };
        let members = self.store.members(chat.id).await?;
        let msg = self
            .commit_content(actor, chat.id, &members, super::send::Draft::of(content))
            .await?;
        Ok(msg.seq)
    }

    /// Publish freshly stored chat events.
    pub(crate) fn publish_all(&self, seqs: &[EventSeq]) {
        for s in seqs {
            self.publish_event(*s, None::<Event>);
        }
    }
}

/// The unique key of the direct chat between two accounts.
pub(crate) fn direct_key(a: i64, b: i64) -> String {
    format!("{}:{}", a.min(b), a.max(b))
}

fn new_member(chat_id: i64, account: &AccountRow, role: Role, now: i64) -> MemberRow {
    MemberRow {
        chat_id,
        account_id: account.id,
        role,
        joined_at: now,
        left_at: None,
        left_seq: None,
        last_read_seq: 0,
        account_kind: account.kind,
    }
}

fn chat_events(chat_id: i64, accounts: impl IntoIterator<Item = i64>) -> Vec<NewEvent> {
    accounts
        .into_iter()
        .map(|a| NewEvent {
            account_id: a,
            kind: EventKind::Chat,
            chat_id: Some(chat_id),
            message_id: None,
            payload: None,
        })
        .collect()
}

fn group_subject(s: &str) -> Result<String> {
    let s = clean_text(s, MAX_SUBJECT_CHARS, "subject")?;
    if s.is_empty() {
        return Err(Error::bad("a group needs a subject"));
    }
    Ok(s)
}

/// How an account is named in notes.
pub(crate) fn name_of(a: &AccountRow) -> String {
    a.verified_name
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| {
            if a.display_name.is_empty() {
                a.phone.clone()
            } else {
                a.display_name.clone()
            }
        })
}
