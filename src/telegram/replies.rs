//! What the bot sends, built from answers: messages with buttons, checklists, menus. Nothing here
//! sends; the handlers hand these to the outbox.

use std::collections::BTreeSet;

use chrono::Utc;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Me};

use super::CALLBACK_LIMIT;
use crate::answer::Engine;
use crate::dates::Moment;
use crate::knowledge::Lang;
use crate::render::{self, Format};
use crate::ui::{self, Where};

/// Topics offered on /start and when nothing matched.
pub(super) const MENU: &[&str] = &["hours", "address", "appointment", "documents", "procedures", "advice"];

/// A message to send: Telegram HTML and optional buttons.
pub struct Reply {
    pub html: String,
    pub keyboard: Option<InlineKeyboardMarkup>,
}

impl Reply {
    pub fn text(html: String) -> Self {
        Reply { html, keyboard: None }
    }
    pub fn with(html: String, keyboard: InlineKeyboardMarkup) -> Self {
        Reply {
            html,
            keyboard: Some(keyboard),
        }
    }
    /// A fixed interface text, escaped.
    pub fn ui(text: ui::Ui, lang: Lang) -> Self {
        Reply::text(Format::Html.text(text.get(lang)))
    }
}

pub(super) fn no_preview() -> LinkPreviewOptions {
    LinkPreviewOptions {
        is_disabled: true,
        url: None,
        prefer_small_media: false,
        prefer_large_media: false,
        show_above_text: false,
    }
}

/// A callback button; data longer than Telegram allows is a bug in this module.
pub(super) fn button(text: impl Into<String>, data: String) -> InlineKeyboardButton {
    debug_assert!(data.len() <= CALLBACK_LIMIT, "callback data too long: {data}");
    InlineKeyboardButton::callback(text, data)
}

pub(super) fn topic_button(engine: &Engine, topic: usize, lang: Lang) -> InlineKeyboardButton {
    let t = &engine.kb.topics[topic];
    button(t.title.get(lang).clone(), format!("t:{}", t.id))
}

pub(super) fn menu_keyboard(engine: &Engine, lang: Lang) -> InlineKeyboardMarkup {
    let buttons: Vec<_> = MENU
        .iter()
        .filter_map(|id| engine.kb.topic_index(id))
        .map(|t| topic_button(engine, t, lang))
        .collect();
    InlineKeyboardMarkup::new(buttons.chunks(2).map(|c| c.to_vec()).collect::<Vec<_>>())
}

/// Buttons under a topic's answer: its checklist, then related topics.
pub(super) fn topic_keyboard(
    engine: &Engine,
    topic: usize,
    lang: Lang,
    me: &Me,
    private: bool,
) -> Option<InlineKeyboardMarkup> {
    let t = &engine.kb.topics[topic];
    let mut rows = Vec::new();
    if !t.checklist.is_empty() {
        rows.push(vec![checklist_button(
            ui::MY_CHECKLIST.get(lang).to_string(),
            &t.id,
            me,
            private,
        )]);
    }
    let related: Vec<_> = t
        .related
        .iter()
        .filter_map(|id| engine.kb.topic_index(id))
        .take(3)
        .map(|r| topic_button(engine, r, lang))
        .collect();
    if !related.is_empty() {
        rows.push(related);
    }
    (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows))
}

/// In a private chat the checklist opens in place; in a group it opens in the private chat, since
/// progress is personal.
pub(super) fn checklist_button(label: String, topic: &str, me: &Me, private: bool) -> InlineKeyboardButton {
    if private {
        button(label, format!("c:{topic}"))
    } else {
        InlineKeyboardButton::url(label, deep_link(me, &format!("cl_{topic}")))
    }
}

/// Telegram bots always have a username; a misbehaving server must not make us panic.
pub(super) fn username(me: &Me) -> &str {
    me.user.username.as_deref().unwrap_or("")
}

pub(super) fn deep_link(me: &Me, payload: &str) -> url::Url {
    let base = format!("https://t.me/{}", username(me));
    let mut url = url::Url::parse(&base).unwrap_or_else(|_| url::Url::parse("https://t.me/").expect("valid url"));
    url.query_pairs_mut().append_pair("start", payload);
    url
}

pub(super) fn topic_reply(engine: &Engine, topic: usize, lang: Lang, me: &Me, private: bool) -> Reply {
    topic_reply_when(engine, topic, None, lang, me, private)
}

/// A topic's answer about a moment: the hours lead with the verdict for it.
pub(super) fn topic_reply_when(
    engine: &Engine,
    topic: usize,
    when: Option<Moment>,
    lang: Lang,
    me: &Me,
    private: bool,
) -> Reply {
    let html = render::topic_when(engine, topic, when, lang, Utc::now(), Format::Html, false);
    Reply {
        html,
        keyboard: topic_keyboard(engine, topic, lang, me, private),
    }
}

/// A checklist as a message: every item in full, numbered and marked, so it reads on a phone;
/// the buttons carry the short labels.
pub(super) fn checklist_text(engine: &Engine, topic: usize, lang: Lang, ticked: &BTreeSet<String>) -> String {
    let t = &engine.kb.topics[topic];
    let done = t.checklist.iter().filter(|i| ticked.contains(&i.id)).count();
    let mut out = Format::Html.bold(&format!("📋 {}", t.title.get(lang)));
    out.push('\n');
    out.push_str(&Format::Html.text(&render::progress(done, t.checklist.len(), lang)));
    out.push('\n');
    for (n, item) in t.checklist.iter().enumerate() {
        let mark = if ticked.contains(&item.id) { "✅" } else { "☐" };
        out.push_str(&format!("\n{mark} {}. {}", n + 1, Format::Html.text(item.text(lang))));
    }
    out.push_str("\n\n");
    out.push_str(&Format::Html.italic(ui::TAP_ITEMS.get(lang)));
    out
}

pub(super) fn checklist_keyboard(
    engine: &Engine,
    topic: usize,
    lang: Lang,
    ticked: &BTreeSet<String>,
) -> InlineKeyboardMarkup {
    let t = &engine.kb.topics[topic];
    let items: Vec<InlineKeyboardButton> = t
        .checklist
        .iter()
        .enumerate()
        .map(|(n, item)| {
            let mark = if ticked.contains(&item.id) { "✅" } else { "☐" };
            let label = item.short.as_ref().map_or(item.text(lang), |s| s.get(lang).as_str());
            button(format!("{mark} {}. {label}", n + 1), format!("x:{}:{}", t.id, item.id))
        })
        .collect();
    // Two short labels fit side by side on a phone.
    let mut rows: Vec<Vec<InlineKeyboardButton>> = items.chunks(2).map(|c| c.to_vec()).collect();
    rows.push(vec![button(*ui::START_OVER.get(lang), format!("r:{}", t.id))]);
    InlineKeyboardMarkup::new(rows)
}

pub(super) fn checklist_reply(engine: &Engine, topic: usize, lang: Lang, ticked: &BTreeSet<String>) -> Reply {
    Reply::with(
        checklist_text(engine, topic, lang, ticked),
        checklist_keyboard(engine, topic, lang, ticked),
    )
}

/// The procedures as buttons: to open a topic (`t`) or its checklist (`c`).
pub(super) fn procedures_keyboard(
    engine: &Engine,
    lang: Lang,
    prefix: &str,
    me: &Me,
    private: bool,
) -> InlineKeyboardMarkup {
    let rows = engine
        .checklist_topics()
        .into_iter()
        .map(|t| {
            let topic = &engine.kb.topics[t];
            let label = topic.title.get(lang).clone();
            if prefix == "c" {
                vec![checklist_button(label, &topic.id, me, private)]
            } else {
                vec![button(label, format!("{prefix}:{}", topic.id))]
            }
        })
        .collect::<Vec<_>>();
    InlineKeyboardMarkup::new(rows)
}

pub(super) fn language_keyboard() -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![
        button("🇬🇧 English", "l:en".to_string()),
        button("🇲🇽 Español", "l:es".to_string()),
    ]])
}

pub(super) fn help(lang: Lang) -> String {
    Format::Html.text(&ui::help(Where::Telegram, lang))
}
