//! A new campaign's form and its checks: the creative must be an image or a video (sniffed
//! from its bytes, within the size limits of message media), the copy within its lengths, the
//! targeting well-formed, the schedule sane, the daily budget and the bid positive whole minor
//! units. Everything is checked before anything is stored.

use crate::accounts::{sniff_media, MediaKind};
use crate::error::{Error, Result};

/// The button's label when the business gives none.
pub const DEFAULT_BUTTON: &str = "Message us";
/// The greeting when the business gives none.
pub const DEFAULT_WELCOME: &str = "Hi! How can we help you?";
const MAX_NAME: usize = 128;
const MAX_HEADLINE: usize = 100;
const MAX_BODY: usize = 1024;
const MAX_BUTTON: usize = 30;
const MAX_WELCOME: usize = 1024;
/// Budgets and bids above this are refused (about ten billion of a currency's minor units).
const MAX_MONEY: i64 = 1_000_000_000_000;

/// An uploaded file of the form.
#[derive(Debug, Clone, Default)]
pub struct CreativeFile {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The declared content type (a hint only).
    pub declared: Option<String>,
    /// The file name.
    pub filename: Option<String>,
}

/// The fields of `POST /console/v1/ads/campaigns`, as given.
#[derive(Debug, Clone, Default)]
pub struct CampaignForm {
    /// The image or video.
    pub creative: Option<CreativeFile>,
    /// A still picture for a video (optional).
    pub thumbnail: Option<CreativeFile>,
    /// The business number people chat with (the WABA's first number when left out).
    pub phone_number_id: Option<String>,
    /// The business's own name for the campaign (the headline when left out).
    pub name: Option<String>,
    /// Headline.
    pub headline: Option<String>,
    /// Primary text.
    pub body: Option<String>,
    /// Button label.
    pub button_text: Option<String>,
    /// Greeting shown after a tap.
    pub welcome_message: Option<String>,
    /// Comma-separated region codes.
    pub countries: Option<String>,
    /// Comma-separated language codes.
    pub languages: Option<String>,
    /// Unix ms.
    pub starts_at: Option<String>,
    /// Unix ms.
    pub ends_at: Option<String>,
    /// Minor units.
    pub daily_budget: Option<String>,
    /// Minor units per 1,000 impressions.
    pub bid_cpm: Option<String>,
}

/// A form that passed every check.
#[derive(Debug, Clone)]
pub struct CheckedCampaign {
    /// The creative and its sniffed type.
    pub creative: (CreativeFile, String),
    /// `image` or `video`.
    pub media_kind: String,
    /// A checked still picture for a video.
    pub thumbnail: Option<(CreativeFile, String)>,
    /// Name.
    pub name: String,
    /// Headline.
    pub headline: String,
    /// Body.
    pub body: String,
    /// Button label.
    pub button_text: String,
    /// Greeting.
    pub welcome_message: String,
    /// Region codes.
    pub countries: Vec<String>,
    /// Language codes.
    pub languages: Vec<String>,
    /// Start.
    pub starts_at: Option<i64>,
    /// End.
    pub ends_at: Option<i64>,
    /// Daily budget.
    pub daily_budget: i64,
    /// Bid.
    pub bid_cpm: i64,
}

fn text(field: &str, v: Option<String>, default: Option<&str>, max: usize) -> Result<String> {
    let v = v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let v = match (v, default) {
        (Some(v), _) => v,
        (None, Some(d)) => d.to_string(),
        (None, None) => return Err(Error::bad(format!("{field} is required"))),
    };
    if v.chars().count() > max {
        return Err(Error::bad(format!(
            "{field} must be at most {max} characters"
        )));
    }
    if v.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Error::bad(format!(
            "{field} must not hold control characters"
        )));
    }
    Ok(v)
}

fn money(field: &str, v: Option<String>) -> Result<i64> {
    let raw = v.unwrap_or_default();
    let raw = raw.trim();
    let n: i64 = raw.parse().map_err(|_| {
        Error::bad(format!(
            "{field} must be a whole number of minor units greater than 0 (got {raw:?})"
        ))
    })?;
    if n <= 0 {
        return Err(Error::bad(format!("{field} must be greater than 0")));
    }
    if n > MAX_MONEY {
        return Err(Error::bad(format!("{field} must be at most {MAX_MONEY}")));
    }
    Ok(n)
}

fn time(field: &str, v: Option<String>) -> Result<Option<i64>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|t| *t > 0)
            .map(Some)
            .ok_or_else(|| Error::bad(format!("{field} must be a time in Unix milliseconds"))),
    }
}

/// Region codes from `"DE, at,FR"`: two letters each, upper-cased, without repeats.
pub fn countries(v: Option<&str>) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for c in v.unwrap_or_default().split(',').map(str::trim) {
        if c.is_empty() {
            continue;
        }
        if c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_alphabetic()) {
            return Err(Error::bad(format!(
                "countries: {c:?} is not a two-letter ISO 3166 country code"
            )));
        }
        let c = c.to_ascii_uppercase();
        if !out.contains(&c) {
            out.push(c);
        }
    }
    Ok(out)
}

/// Language codes from `"en, pt-BR"`: the primary subtag (two or three letters), lower-cased.
pub fn languages(v: Option<&str>) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for l in v.unwrap_or_default().split(',').map(str::trim) {
        if l.is_empty() {
            continue;
        }
        let primary = l.split(['-', '_']).next().unwrap_or_default();
        if !(2..=3).contains(&primary.len()) || !primary.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(Error::bad(format!(
                "languages: {l:?} is not a language code such as \"en\" or \"pt-BR\""
            )));
        }
        let primary = primary.to_ascii_lowercase();
        if !out.contains(&primary) {
            out.push(primary);
        }
    }
    Ok(out)
}

fn media(field: &str, f: CreativeFile, allowed: &[MediaKind]) -> Result<(CreativeFile, String)> {
    if f.bytes.is_empty() {
        return Err(Error::bad(format!("{field}: the file is empty")));
    }
    let mime = sniff_media(&f.bytes, f.declared.as_deref())
        .map_err(|e| Error::bad(format!("{field}: {e}")))?;
    let kind = MediaKind::of(&mime);
    if !allowed.contains(&kind) {
        return Err(Error::bad(format!(
            "{field} must be an image or a video, not {mime}"
        )));
    }
    if f.bytes.len() > kind.max_bytes() {
        return Err(Error::TooLarge(format!(
            "{field}: {mime} files may be at most {} bytes",
            kind.max_bytes()
        )));
    }
    Ok((f, mime))
}

/// Check a form at `now`.
pub fn check(form: CampaignForm, now: i64) -> Result<CheckedCampaign> {
    let creative = form
        .creative
        .ok_or_else(|| Error::bad("creative: an image or video file is required"))?;
    let creative = media("creative", creative, &[MediaKind::Image, MediaKind::Video])?;
    let media_kind = match MediaKind::of(&creative.1) {
        MediaKind::Video => "video",
        _ => "image",
    }
    .to_string();
    let thumbnail = match form.thumbnail {
        Some(t) if media_kind == "video" => Some(media("thumbnail", t, &[MediaKind::Image])?),
        Some(_) => return Err(Error::bad("thumbnail is only for a video creative")),
        None => None,
    };
    let headline = text("headline", form.headline, None, MAX_HEADLINE)?;
    let body = text("body", form.body, None, MAX_BODY)?;
    let name = text("name", form.name, Some(&headline), MAX_NAME)?;
    let button_text = text(
        "button_text",
        form.button_text,
        Some(DEFAULT_BUTTON),
        MAX_BUTTON,
    )?;
    let welcome_message = text(
        "welcome_message",
        form.welcome_message,
        Some(DEFAULT_WELCOME),
        MAX_WELCOME,
    )?;
    let countries = countries(form.countries.as_deref())?;
    let languages = languages(form.languages.as_deref())?;
    let starts_at = time("starts_at", form.starts_at)?;
    let ends_at = time("ends_at", form.ends_at)?;
    if let Some(end) = ends_at {
        if end <= now || starts_at.is_some_and(|s| end <= s) {
            return Err(Error::bad(
                "ends_at must be in the future and after starts_at",
            ));
        }
    }
    let daily_budget = money("daily_budget", form.daily_budget)?;
    let bid_cpm = money("bid_cpm", form.bid_cpm)?;
    Ok(CheckedCampaign {
        creative,
        media_kind,
        thumbnail,
        name,
        headline,
        body,
        button_text,
        welcome_message,
        countries,
        languages,
        starts_at,
        ends_at,
        daily_budget,
        bid_cpm,
    })
}
