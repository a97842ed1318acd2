//! `/docs`: an offline page listing every dialect's OpenAPI document and its operations.

use std::fmt::Write;

use serde_json::Value;

/// One dialect's document and where it is served.
pub struct DocEntry {
    pub title: String,
    pub mount: String,
    pub spec_path: String,
    /// The OpenAPI document as JSON.
    pub spec: Value,
}

/// Renders the page once at start-up; it needs nothing from the network.
pub fn render(entries: &[DocEntry]) -> String {
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Switchboard API documents</title>\
         <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}\
         code{background:#f3f3f3;padding:0 .2rem}table{border-collapse:collapse;width:100%}\
         td,th{border-bottom:1px solid #ddd;text-align:left;padding:.3rem}</style></head><body>\
         <h1>Switchboard API documents</h1>",
    );
    for e in entries {
        let _ = write!(
            html,
            "<h2>{}</h2><p>Mounted at <code>{}</code>. OpenAPI document: <a href=\"{}\"><code>{}</code></a></p>\
             <table><tr><th>Method</th><th>Path</th><th>Summary</th></tr>",
            escape(&e.title),
            escape(&e.mount),
            escape(&e.spec_path),
            escape(&e.spec_path)
        );
        let paths = e.spec.get("paths").and_then(Value::as_object);
        for (path, item) in paths.into_iter().flatten() {
            for method in ["get", "post", "put", "patch", "delete"] {
                if let Some(op) = item.get(method) {
                    let summary = op
                        .get("summary")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    let _ = write!(
                        html,
                        "<tr><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                        method.to_uppercase(),
                        escape(path),
                        escape(summary)
                    );
                }
            }
        }
        html.push_str("</table>");
    }
    html.push_str("</body></html>");
    html
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
