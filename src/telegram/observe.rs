//! The one instrumentation step every update goes through: a span with the update's id and chat
//! kind (the text handler adds the topic and score), the handling time in the log and the
//! metrics, and errors counted by kind. Also the error handler the dispatcher logs with.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;
use std::sync::Arc;

use dptree::{HandlerSignature, Type};
use teloxide::RequestError;
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use tracing::Instrument;

/// Wraps whatever follows it in the handler tree (`observe().branch(…)`).
#[track_caller]
pub(super) fn observe() -> UpdateHandler<anyhow::Error> {
    let sig = HandlerSignature::Other {
        obligations: BTreeMap::from([(Type::of::<Update>(), std::panic::Location::caller())]),
        guaranteed_outcomes: BTreeSet::new(),
        conditional_outcomes: BTreeSet::new(),
        continues: true,
    };
    dptree::from_fn(
        |deps: dptree::di::DependencyMap, cont| async move {
            let upd: Arc<Update> = deps.get();
            let chat = match upd.chat() {
                Some(c) if c.is_private() => "private",
                Some(c) if c.is_group() || c.is_supergroup() => "group",
                Some(_) => "channel",
                None => "none",
            };
            let span = tracing::info_span!(
                "update",
                id = upd.id.0,
                chat,
                topic = tracing::field::Empty,
                score = tracing::field::Empty
            );
            let start = std::time::Instant::now();
            let flow = cont(deps).instrument(span.clone()).await;
            let elapsed = start.elapsed();
            metrics::counter!("inm_bot_updates_total").increment(1);
            metrics::histogram!("inm_bot_handling_seconds").record(elapsed.as_secs_f64());
            let ok = match &flow {
                ControlFlow::Break(Err(e)) => {
                    metrics::counter!("inm_bot_errors_total", "kind" => error_kind(e)).increment(1);
                    false
                }
                _ => true,
            };
            span.in_scope(|| tracing::info!(ms = elapsed.as_secs_f64() * 1000.0, ok, "handled"));
            flow
        },
        sig,
    )
}

fn error_kind(e: &anyhow::Error) -> &'static str {
    match e.downcast_ref::<RequestError>() {
        Some(r) => request_error_kind(r),
        None if e.downcast_ref::<crate::ops::store::StoreError>().is_some() => "database",
        None => "other",
    }
}

/// The `kind` label of a failed request in `inm_bot_errors_total`.
pub(super) fn request_error_kind(e: &RequestError) -> &'static str {
    match e {
        RequestError::Api(_) => "telegram_api",
        RequestError::RetryAfter(_) => "rate_limited",
        RequestError::Network(_) => "network",
        RequestError::InvalidJson { .. } => "invalid_json",
        _ => "telegram_other",
    }
}

/// Logs handler and listener errors; the dispatcher keeps going.
pub(super) struct LogError;

impl<E: std::fmt::Display + Send + Sync + 'static> teloxide::error_handlers::ErrorHandler<E> for LogError {
    fn handle_error(self: Arc<Self>, error: E) -> futures_util::future::BoxFuture<'static, ()> {
        tracing::warn!(error = %describe(&error), "update failed");
        Box::pin(async {})
    }
}

/// An error as it may be logged. Display, never Debug: teloxide hides the token in the URLs it
/// displays. A response that was not JSON is described by its size only, since its raw text
/// (a `getUpdates` body) can hold users' messages and names.
pub(super) fn describe<E: std::fmt::Display + 'static>(error: &E) -> String {
    let any = error as &dyn std::any::Any;
    let request = any
        .downcast_ref::<RequestError>()
        .or_else(|| any.downcast_ref::<anyhow::Error>().and_then(|e| e.downcast_ref()));
    match request {
        Some(RequestError::InvalidJson { source, raw }) => {
            format!("the Bot API answered with invalid JSON ({} bytes): {source}", raw.len())
        }
        _ => error.to_string(),
    }
}
