//! Serving HTTP (the webhook and `/metrics`) so that no client can hold the bot's connections or
//! file descriptors: the request head must arrive within `header_timeout` (slowloris), the body
//! within `body_timeout` and under `max_body`, a connection with no request in flight is closed
//! after `idle_timeout`, and at most `max_connections` are open at once. When all are taken,
//! the oldest connection with no request in flight is closed to make room (so a flood of idle
//! connections cannot keep a real request out); when every one has a request in flight, new
//! clients wait in the kernel's backlog, costing the process no descriptor.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Notify, Semaphore, watch};
use tower::ServiceExt;

/// The limits of one listener.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
    pub max_body: usize,
}

impl Default for Limits {
    /// Telegram posts small updates over at most 100 connections (40 by default).
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            max_connections: 256,
            max_body: 1 << 20,
        }
    }
}

/// The open connections, oldest first, for choosing which to close when all are taken.
#[derive(Default)]
struct Open {
    next: u64,
    conns: std::collections::BTreeMap<u64, Arc<Activity>>,
}

/// Serves `router` on `listener` within `limits` until `shutdown` completes; connections still
/// open then finish their request in flight.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let open = Arc::new(std::sync::Mutex::new(Open::default()));
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::pin!(shutdown);
    'accept: loop {
        let permit = loop {
            if let Ok(p) = permits.clone().try_acquire_owned() {
                break p;
            }
            evict_oldest_idle(&open);
            tokio::select! {
                p = permits.clone().acquire_owned() => match p {
                    Ok(p) => break p,
                    Err(_) => break 'accept,
                },
                _ = tokio::time::sleep(Duration::from_millis(50)) => {}
                _ = &mut shutdown => break 'accept,
            }
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of descriptors, most likely: wait for some to be freed.
                    tracing::warn!(error = %e, "accepting a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let activity = Arc::new(Activity {
            in_flight: AtomicUsize::new(0),
            last: std::sync::Mutex::new(Instant::now()),
            evict: Notify::new(),
            evicted: AtomicBool::new(false),
        });
        let id = {
            let mut open = open.lock().unwrap_or_else(|e| e.into_inner());
            open.next += 1;
            let id = open.next;
            open.conns.insert(id, activity.clone());
            id
        };
        let router = router.clone();
        let stop = stop_rx.clone();
        let open = open.clone();
        tokio::spawn(async move {
            connection(stream, router, limits, activity, stop).await;
            open.lock().unwrap_or_else(|e| e.into_inner()).conns.remove(&id);
            drop(permit);
        });
    }
    let _ = stop_tx.send(true);
}

/// Asks the oldest connection with no request in flight (not asked before) to close.
fn evict_oldest_idle(open: &std::sync::Mutex<Open>) {
    let open = open.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(a) = open
        .conns
        .values()
        .find(|a| a.idle_for().is_some() && !a.evicted.load(Ordering::SeqCst))
    {
        a.evicted.store(true, Ordering::SeqCst);
        a.evict.notify_one();
    }
}

/// Requests in flight on a connection, and when the last one ended.
struct Activity {
    in_flight: AtomicUsize,
    last: std::sync::Mutex<Instant>,
    /// Told to close to make room for a new connection.
    evict: Notify,
    evicted: AtomicBool,
}

impl Activity {
    fn idle_for(&self) -> Option<Duration> {
        (self.in_flight.load(Ordering::SeqCst) == 0)
            .then(|| self.last.lock().unwrap_or_else(|e| e.into_inner()).elapsed())
    }
}

async fn connection(
    stream: tokio::net::TcpStream,
    router: Router,
    limits: Limits,
    activity: Arc<Activity>,
    mut stop: watch::Receiver<bool>,
) {
    let service = {
        let activity = activity.clone();
        hyper::service::service_fn(move |req: Request<Incoming>| {
            let router = router.clone();
            let activity = activity.clone();
            activity.in_flight.fetch_add(1, Ordering::SeqCst);
            async move {
                let response = handle(req, router, limits).await;
                *activity.last.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
                activity.in_flight.fetch_sub(1, Ordering::SeqCst);
                Ok::<_, std::convert::Infallible>(response)
            }
        })
    };
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    let tick = (limits.idle_timeout / 4).clamp(Duration::from_millis(50), Duration::from_secs(1));
    let mut closing: Option<Instant> = None;
    loop {
        tokio::select! {
            _ = conn.as_mut() => return,
            _ = tokio::time::sleep(tick) => {}
            _ = activity.evict.notified() => { closing.get_or_insert_with(Instant::now); }
            _ = stop.changed() => { closing.get_or_insert_with(Instant::now); }
        }
        if activity.idle_for().is_some_and(|d| d >= limits.idle_timeout) {
            closing.get_or_insert_with(Instant::now);
        }
        if let Some(since) = closing {
            // Closes at once when idle; a request in flight may finish within its timeouts.
            conn.as_mut().graceful_shutdown();
            if since.elapsed() > limits.header_timeout + limits.body_timeout {
                return;
            }
        }
    }
}

/// Reads the body within the time and size limits, then hands the request to the router.
async fn handle(req: Request<Incoming>, router: Router, limits: Limits) -> Response {
    let (parts, body) = req.into_parts();
    let body = match tokio::time::timeout(limits.body_timeout, Limited::new(body, limits.max_body).collect()).await {
        Err(_) => return (StatusCode::REQUEST_TIMEOUT, "request body too slow\n").into_response(),
        Ok(Err(_)) => return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large\n").into_response(),
        Ok(Ok(collected)) => collected.to_bytes(),
    };
    let req = Request::from_parts(parts, Body::from(body));
    match router.oneshot(req).await {
        Ok(r) => r,
        Err(never) => match never {},
    }
}
