//! Health and metrics for operators: `/healthz` and Prometheus text on `/metrics`, served on a
//! separate address (`--metrics`), from the `metrics` facade the handlers record into.

use std::net::SocketAddr;

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

/// Handling time buckets, in seconds: a reply normally takes well under a millisecond.
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// What `/healthz` reports: `None` when all is well, else what is wrong.
pub type Health = Arc<dyn Fn() -> Option<String> + Send + Sync>;

/// Installs the Prometheus recorder and serves it on `addr`; returns once listening.
/// `/healthz` answers 200 "ok", or 503 with what `health` says is wrong.
pub async fn serve(addr: SocketAddr, health: Health) -> anyhow::Result<SocketAddr> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(
            metrics_exporter_prometheus::Matcher::Full("inm_bot_handling_seconds".into()),
            BUCKETS,
        )?
        .install_recorder()?;
    describe();
    let app = Router::new()
        .route("/healthz", get(move || healthz(health.clone())))
        .route("/metrics", get(move || render(handle.clone())));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    tokio::spawn(super::http::serve(
        listener,
        app,
        super::http::Limits::default(),
        std::future::pending(),
    ));
    tracing::info!(address = %local, "serving /healthz and /metrics");
    Ok(local)
}

async fn healthz(health: Health) -> (StatusCode, String) {
    match health() {
        None => (StatusCode::OK, "ok\n".to_string()),
        Some(problem) => (StatusCode::SERVICE_UNAVAILABLE, format!("degraded: {problem}\n")),
    }
}

async fn render(handle: PrometheusHandle) -> String {
    handle.render()
}

fn describe() {
    metrics::describe_counter!("inm_bot_updates_total", "Updates handled");
    metrics::describe_counter!("inm_bot_answers_total", "Questions answered confidently, by topic");
    metrics::describe_counter!("inm_bot_suggestions_total", "Questions answered with suggestions only");
    metrics::describe_counter!("inm_bot_none_total", "Questions nothing matched");
    metrics::describe_counter!("inm_bot_errors_total", "Failed updates, by kind");
    metrics::describe_counter!("inm_bot_flood_ignored_total", "Messages ignored by flood control");
    metrics::describe_gauge!(
        "inm_bot_database_up",
        "1 when the database is in use, 0 when answering from memory"
    );
    metrics::describe_histogram!("inm_bot_handling_seconds", "Time to handle one update");
}
