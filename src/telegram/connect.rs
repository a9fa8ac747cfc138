//! Connecting at start: `getMe`, retried with backoff while the Bot API is unreachable (a
//! network that comes up after the bot, a proxy restarting), each try logged, up to a bound.
//! A refusal by Telegram itself (a wrong token) is not retried.

use std::time::Duration;

use anyhow::Context;
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::Me;

use super::Tg;

/// The longest wait between two tries.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// `getMe`, tried up to `tries` times (at least once), waiting 1 s, 2 s, 4 s… between tries.
pub(super) async fn get_me(bot: &Tg, tries: u32) -> anyhow::Result<Me> {
    let tries = tries.max(1);
    let mut wait = Duration::from_secs(1);
    for attempt in 1.. {
        match bot.get_me().await {
            Ok(me) => return Ok(me),
            Err(e) if attempt < tries && retryable(&e) => {
                tracing::warn!(attempt, tries, retry_in_s = wait.as_secs(), error = %super::observe::describe(&e),
                    "the Bot API is unreachable; retrying getMe");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(MAX_BACKOFF);
            }
            Err(e) => {
                return Err(e).with_context(|| {
                    format!("getMe failed after {attempt} tries (check TELOXIDE_TOKEN, and TELOXIDE_API_URL if set)")
                });
            }
        }
    }
    unreachable!("the loop returns")
}

fn retryable(e: &RequestError) -> bool {
    matches!(
        e,
        RequestError::Network(_) | RequestError::Io(_) | RequestError::RetryAfter(_)
    )
}
