//! What the bot sends: messages (split under the limit), buttons, checklists, and the fixed
//! texts of the Telegram front end.

use super::*;

/// Topics offered on /start and when nothing matched.
pub(super) const MENU: &[&str] = &["hours", "address", "appointment", "documents", "procedures", "advice"];

/// A message to send: Telegram HTML and optional buttons.
pub(super) struct Reply {
    pub(super) html: String,
    pub(super) keyboard: Option<InlineKeyboardMarkup>,
}

impl Reply {
    pub(super) fn text(html: String) -> Self {
        Reply { html, keyboard: None }
    }
    pub(super) fn with(html: String, keyboard: InlineKeyboardMarkup) -> Self {
        Reply {
            html,
            keyboard: Some(keyboard),
        }
    }
}

/// Sends a reply, split under Telegram's limit; the buttons go with the last part.
pub(super) async fn send<B: Api>(bot: &B, chat: ChatId, reply: Reply, limit: usize) -> Result<(), RequestError> {
    let parts = render::split_html(&reply.html, limit);
    let n = parts.len();
    for (i, part) in parts.into_iter().enumerate() {
        let mut req = bot
            .send_message(chat, part)
            .parse_mode(ParseMode::Html)
            .link_preview_options(no_preview());
        if i + 1 == n
            && let Some(kb) = &reply.keyboard
        {
            req = req.reply_markup(kb.clone());
        }
        req.await?;
    }
    Ok(())
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

/// The user's language: their /language choice, else Telegram's `language_code`, else English.
pub(super) fn user_lang(store: &Store, user: Option<&User>) -> Lang {
    let Some(user) = user else { return Lang::En };
    match store.language(user.id.0) {
        Ok(Some(l)) => l,
        Ok(None) => user
            .language_code
            .as_deref()
            .and_then(Lang::from_code)
            .unwrap_or(Lang::En),
        Err(e) => {
            tracing::warn!(error = %e, "reading the language preference");
            user.language_code
                .as_deref()
                .and_then(Lang::from_code)
                .unwrap_or(Lang::En)
        }
    }
}

pub(super) fn menu_keyboard(engine: &Engine, lang: Lang) -> InlineKeyboardMarkup {
    let buttons: Vec<_> = MENU
        .iter()
        .filter_map(|id| engine.kb.topic(id))
        .map(|t| button(t.title.get(lang).clone(), format!("t:{}", t.id)))
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
        let label = match lang {
            Lang::En => "📋 My checklist",
            Lang::Es => "📋 Mi lista",
        };
        rows.push(vec![checklist_button(label.to_string(), &t.id, me, private)]);
    }
    let related: Vec<_> = t
        .related
        .iter()
        .filter_map(|id| engine.kb.topic(id))
        .take(3)
        .map(|r| button(r.title.get(lang).clone(), format!("t:{}", r.id)))
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
    let html = render::topic(engine, topic, lang, Utc::now(), Format::Html, false);
    Reply {
        html,
        keyboard: topic_keyboard(engine, topic, lang, me, private),
    }
}

pub(super) fn checklist_text(engine: &Engine, topic: usize, lang: Lang, ticked: usize) -> String {
    let t = &engine.kb.topics[topic];
    let hint = match lang {
        Lang::En => "Tap an item when you have it ready.",
        Lang::Es => "Toca cada punto cuando lo tengas listo.",
    };
    format!(
        "{}\n{}\n\n{}",
        Format::Html.bold(&format!("📋 {}", t.title.get(lang))),
        Format::Html.text(&render::progress(ticked, t.checklist.len(), lang)),
        Format::Html.italic(hint)
    )
}

pub(super) fn checklist_keyboard(
    engine: &Engine,
    topic: usize,
    lang: Lang,
    ticked: &std::collections::BTreeSet<String>,
) -> InlineKeyboardMarkup {
    let t = &engine.kb.topics[topic];
    let mut rows: Vec<Vec<InlineKeyboardButton>> = t
        .checklist
        .iter()
        .map(|item| {
            let mark = if ticked.contains(&item.id) { "✅" } else { "☐" };
            vec![button(
                format!("{mark} {}", item.text(lang)),
                format!("x:{}:{}", t.id, item.id),
            )]
        })
        .collect();
    let reset = match lang {
        Lang::En => "↺ Start over",
        Lang::Es => "↺ Empezar de nuevo",
    };
    rows.push(vec![button(reset, format!("r:{}", t.id))]);
    InlineKeyboardMarkup::new(rows)
}

pub(super) fn checklist_reply(
    engine: &Engine,
    store: &Store,
    user: u64,
    topic: usize,
    lang: Lang,
) -> anyhow::Result<Reply> {
    let ticked = store.ticked(user, &engine.kb.topics[topic].id)?;
    Ok(Reply::with(
        checklist_text(engine, topic, lang, ticked.len()),
        checklist_keyboard(engine, topic, lang, &ticked),
    ))
}

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

pub(super) fn welcome(lang: Lang) -> String {
    Format::Html.text(match lang {
        Lang::En => {
            "👋 Hi! I answer questions about the INM immigration office in Mexico City (Polanco): opening hours, address, appointments, what to bring and procedures. Ask in English or Spanish, in your own words, or pick a topic."
        }
        Lang::Es => {
            "👋 ¡Hola! Respondo preguntas sobre la oficina del INM en la Ciudad de México (Polanco): horario, dirección, citas, qué llevar y trámites. Pregunta en español o inglés, con tus palabras, o elige un tema."
        }
    })
}

pub(super) fn help(lang: Lang) -> String {
    let text = match lang {
        Lang::En => {
            "Ask me a question, for example \"what time do you open?\", \"how do I renew my card?\" or \"donde esta la oficina\".\n\n/hours: opening hours, open right now?\n/address: address and map\n/procedures: procedures at this office\n/checklist: your checklist for a procedure\n/advice: practical tips\n/language: English or Spanish\n\nIn any chat you can also type @ and my name followed by a question."
        }
        Lang::Es => {
            "Hazme una pregunta, por ejemplo \"¿a qué hora abren?\", \"¿cómo renuevo mi tarjeta?\" o \"where is the office\".\n\n/hours: horario, ¿está abierto ahora?\n/address: dirección y mapa\n/procedures: trámites en esta oficina\n/checklist: tu lista de requisitos de un trámite\n/advice: consejos prácticos\n/language: inglés o español\n\nEn cualquier chat también puedes escribir @ y mi nombre seguido de una pregunta."
        }
    };
    Format::Html.text(text)
}

pub(super) fn checklists_open_privately(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Checklists are personal: I'll open yours in a private chat.",
        Lang::Es => "Las listas son personales: abro la tuya en un chat privado.",
    }
}

pub(super) fn language_set(lang: Lang) -> String {
    match lang {
        Lang::En => "✅ I'll answer in English. (I still reply in the language of each question.)".to_string(),
        Lang::Es => "✅ Te responderé en español. (Igual contesto en el idioma de cada pregunta.)".to_string(),
    }
}

pub(super) async fn edit<B: Api>(
    bot: &B,
    chat: ChatId,
    id: MessageId,
    html: String,
    keyboard: InlineKeyboardMarkup,
) -> Result<(), RequestError> {
    let r = bot
        .edit_message_text(chat, id, html)
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard)
        .await;
    ignore_not_modified(r.map(|_| ()))
}

/// Pressing "start over" on an empty checklist changes nothing, which Telegram reports as an error.
pub(super) fn ignore_not_modified(r: Result<(), RequestError>) -> Result<(), RequestError> {
    match r {
        Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(()),
        other => other,
    }
}
