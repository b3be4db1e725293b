//! The preview's HTTP side: the site's files from memory, the live-reload event stream and
//! script, and the error overlay injected into pages while the latest build is broken.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, Request, Response, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

use super::{Notice, Served, Snapshot};

const EVENTS_PATH: &str = "/__dossier/events";
const SCRIPT_PATH: &str = "/__dossier/live.js";
const LIVE_JS: &str = include_str!("live.js");

/// The routes: the live-reload stream and script, and every other path a file of the site.
pub(super) fn router(served: Arc<Served>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(script))
        .fallback(file)
        .with_state(served)
}

async fn events(State(shared): State<Arc<Served>>) -> impl IntoResponse {
    let rx = shared.notices.subscribe();
    let stream = BroadcastStream::new(rx).filter_map(|n| {
        let ev = match n.ok()? {
            Notice::Reload(g) => SseEvent::default().event("reload").data(g.to_string()),
            Notice::Error(msg) => SseEvent::default()
                .event("problem")
                .data(msg.replace('\r', "")),
        };
        Some(Ok::<_, std::convert::Infallible>(ev))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVE_JS,
    )
}

/// Answers a request for a file of the site.
async fn file(State(shared): State<Arc<Served>>, req: Request<Body>) -> Response<Body> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
    }
    let raw = req.uri().path();
    let Ok(decoded) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return plain(StatusCode::BAD_REQUEST, "the path is not valid UTF-8");
    };
    if decoded
        .split(['/', '\\'])
        .any(|seg| seg == ".." || seg == ".")
        || decoded.contains('\0')
        || decoded.contains('\\')
    {
        return plain(StatusCode::FORBIDDEN, "paths outside the site are refused");
    }
    let site = shared.snapshot();
    let rel = match decoded.strip_prefix(shared.prefix.as_str()) {
        Some(rel) => rel,
        // `/russia-dprk` without its slash.
        None if format!("{decoded}/") == shared.prefix => return redirect(&shared.prefix),
        None => return not_found(&shared, &site),
    };
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    match site.files.get(&key) {
        Some(bytes) => respond(&shared, &site, &key, bytes, StatusCode::OK),
        None if site.files.contains_key(&format!("{key}/index.html")) => {
            redirect(&format!("{raw}/"))
        }
        None => not_found(&shared, &site),
    }
}

fn not_found(shared: &Served, site: &Snapshot) -> Response<Body> {
    match site.files.get("404.html") {
        Some(bytes) => respond(shared, site, "404.html", bytes, StatusCode::NOT_FOUND),
        None if site.error.is_some() => {
            let page: Arc<[u8]> = Arc::from(b"<!doctype html><html><head><meta charset=\"utf-8\"><title>dossier</title></head><body></body></html>".to_vec());
            respond(
                shared,
                site,
                "index.html",
                &page,
                StatusCode::SERVICE_UNAVAILABLE,
            )
        }
        None => plain(StatusCode::NOT_FOUND, "not found"),
    }
}

fn redirect(to: &str) -> Response<Body> {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::MOVED_PERMANENTLY;
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut r = Response::new(Body::from(text));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

fn content_type(path: &str) -> String {
    if path.ends_with("atom.xml") {
        return "application/atom+xml; charset=utf-8".into();
    }
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    match mime.type_() {
        mime_guess::mime::TEXT => format!("{}; charset=utf-8", mime.essence_str()),
        _ if mime.essence_str() == "application/javascript"
            || mime.essence_str() == "application/json" =>
        {
            format!("{}; charset=utf-8", mime.essence_str())
        }
        _ => mime.essence_str().to_string(),
    }
}

fn respond(
    shared: &Served,
    site: &Snapshot,
    path: &str,
    bytes: &Arc<[u8]>,
    status: StatusCode,
) -> Response<Body> {
    let is_html = path.ends_with(".html");
    let body = if is_html && shared.live_reload {
        Body::from(inject(bytes, site.error.as_deref()))
    } else {
        Body::from(bytes.to_vec())
    };
    let mut r = Response::new(body);
    *r.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(&content_type(path)) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Adds the live-reload script (and the current error, if any) before `</body>`.
fn inject(page: &[u8], error: Option<&str>) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let error_json = serde_json::to_string(&error)
        .unwrap_or_else(|_| "null".into())
        .replace("</", "<\\/");
    let snippet = format!(
        "<script>window.__dossierProblem = {error_json};</script><script src=\"{SCRIPT_PATH}\" data-events=\"{EVENTS_PATH}\"></script>"
    );
    match text.rfind("</body>") {
        Some(i) => format!("{}{}{}", &text[..i], snippet, &text[i..]).into_bytes(),
        None => format!("{text}{snippet}").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_carry_a_charset_for_text() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("atom.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("dossier.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
    }

    #[test]
    fn the_script_goes_before_the_body_end() {
        let out = String::from_utf8(inject(
            b"<html><body><p>x</p></body></html>",
            Some("bad </script>"),
        ))
        .unwrap_or_default();
        assert!(out.ends_with("</script></body></html>"), "{out}");
        assert!(out.contains("\"bad <\\/script>\""), "{out}");
    }
}
