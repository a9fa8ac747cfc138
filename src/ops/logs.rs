//! Where logs go, and what never goes into them. Logs are written to standard error by
//! `tracing`; libraries that log through `log` (teloxide) are bridged into it here, except that
//! teloxide's reports of updates it cannot parse carry the raw update (message text, names, user
//! ids): those become a summary with the update's id, kind and size, and the raw text is logged
//! only at debug level.

use tracing_subscriber::EnvFilter;

/// Installs the subscriber: `RUST_LOG` filters (default `default`), JSON or human format.
pub fn init(default: &str, json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let installed = if json {
        tracing::subscriber::set_global_default(builder.json().with_current_span(true).with_span_list(false).finish())
    } else {
        tracing::subscriber::set_global_default(builder.finish())
    };
    if installed.is_ok() && log::set_boxed_logger(Box::new(Bridge(tracing_log::LogTracer::new()))).is_ok() {
        log::set_max_level(log::LevelFilter::Trace);
    }
}

/// `log` records into `tracing`, with teloxide's raw updates summarised.
struct Bridge(tracing_log::LogTracer);

impl log::Log for Bridge {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        self.0.enabled(metadata)
    }

    fn log(&self, record: &log::Record<'_>) {
        if record.target().starts_with("teloxide") {
            let text = record.args().to_string();
            if let Some(summary) = redact(&text) {
                match summary {
                    Redacted::Update { id, kind } => tracing::warn!(
                        target: "inm_bot::telegram",
                        update_id = id,
                        kind,
                        bytes = text.len(),
                        "skipped an update teloxide cannot parse (its content is logged at debug level)"
                    ),
                    Redacted::Raw { kept } => tracing::warn!(
                        target: "inm_bot::telegram",
                        bytes = text.len(),
                        "{kept} (the raw response is logged at debug level)"
                    ),
                }
                tracing::debug!(target: "inm_bot::telegram::raw", raw = %text, "unparsed");
                return;
            }
        }
        self.0.log(record)
    }

    fn flush(&self) {}
}

/// What is left of a teloxide log message that carried raw Telegram data.
#[derive(Debug, PartialEq)]
pub enum Redacted {
    /// An update teloxide could not parse: its id and kind, never its content.
    Update { id: Option<u64>, kind: &'static str },
    /// A response that was not valid JSON: the message up to the raw text.
    Raw { kept: String },
}

/// The kinds of update the Bot API sends (the keys beside `update_id`).
const KINDS: &[&str] = &[
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
    "message_reaction",
    "message_reaction_count",
    "inline_query",
    "chosen_inline_result",
    "callback_query",
    "shipping_query",
    "pre_checkout_query",
    "purchased_paid_media",
    "poll",
    "poll_answer",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "chat_boost",
    "removed_chat_boost",
];

/// `Some` when `text` (a teloxide log message) holds raw Telegram data.
pub fn redact(text: &str) -> Option<Redacted> {
    if text.contains("Cannot parse an update") {
        // The raw update is JSON (webhooks) or serde_json's Debug form (polling); in both a key
        // is `"name":`. The kind is the first kind key: a key precedes what is nested in it.
        let kind = KINDS
            .iter()
            .filter_map(|k| text.find(&format!("\"{k}\":")).map(|i| (i, *k)))
            .min()
            .map_or("unknown", |(_, k)| k);
        let id = text.find("\"update_id\":").and_then(|i| {
            let digits: String = text[i + 12..]
                .chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        });
        return Some(Redacted::Update { id, kind });
    }
    // teloxide's `RequestError::InvalidJson` ends with the raw response.
    text.find("raw:").map(|i| Redacted::Raw {
        kept: text[..i].trim_end_matches([' ', '(', ',', '{']).to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_updates_keep_only_id_and_kind() {
        let polling = r#"Cannot parse an update.
Error: Object {"message": Object {"from": Object {"first_name": String("Zorro")}, "text": String("sk-SECRET")}, "update_id": Number(77)}"#;
        assert_eq!(
            redact(polling),
            Some(Redacted::Update {
                id: Some(77),
                kind: "message"
            })
        );
        let webhook = r#"Cannot parse an update.
Error: missing field `chat`
Value: {"update_id":5,"callback_query":{"id":"1","message":{"text":"x"}}}"#;
        assert_eq!(
            redact(webhook),
            Some(Redacted::Update {
                id: Some(5),
                kind: "callback_query"
            })
        );
        let invalid = r#"Failed to delete a webhook: InvalidJson { source: Error("expected value", line: 1, column: 1), raw: "<html>secret</html>" }"#;
        let Some(Redacted::Raw { kept }) = redact(invalid) else {
            panic!()
        };
        assert!(!kept.contains("secret") && kept.contains("InvalidJson"), "{kept}");
        assert_eq!(redact("retrying getting updates in 2s"), None);
    }
}
