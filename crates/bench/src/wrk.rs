//! Load from `wrk` (Debian package `wrk`, installed by `scripts/bench` when missing): a C load
//! generator that drives a bare handler at what the machine can serve, so the ratios measure the
//! server rather than the load generator. A small Lua script sets the method, headers and body
//! (numbered per request, so every PATCH changes something) and prints one summary line that this
//! module parses.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{bail, Context};

/// One `wrk` run against one URL.
pub struct Load<'a> {
    pub url: &'a str,
    pub method: &'a str,
    pub headers: Vec<(&'a str, String)>,
    /// A body with `%d` where the request number goes.
    pub body: Option<&'a str>,
    pub connections: u64,
    pub threads: u64,
    pub duration: Duration,
}

/// What `wrk` saw.
#[derive(Debug, Clone, Copy, Default)]
pub struct Outcome {
    /// Responses of any status.
    pub requests: u64,
    pub elapsed: Duration,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Responses outside 2xx/3xx.
    pub non_2xx: u64,
    /// Connect, read, write errors and timeouts.
    pub errors: u64,
}

impl Outcome {
    /// Successful responses per second.
    pub fn per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.requests.saturating_sub(self.non_2xx) as f64 / secs
        } else {
            0.0
        }
    }

    pub fn failures(&self) -> u64 {
        self.non_2xx + self.errors
    }
}

/// Whether `wrk` can be run.
pub fn available() -> bool {
    Command::new("wrk").arg("--version").output().is_ok()
}

fn lua_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn script(load: &Load) -> String {
    let mut lua = format!("wrk.method = {}\n", lua_string(load.method));
    for (name, value) in &load.headers {
        lua.push_str(&format!(
            "wrk.headers[{}] = {}\n",
            lua_string(name),
            lua_string(value)
        ));
    }
    if let Some(body) = load.body {
        lua.push_str(&format!(
            "local body = {}\nlocal n = 0\nrequest = function()\n  n = n + 1\n  return wrk.format(nil, nil, nil, string.format(body, n))\nend\n",
            lua_string(body)
        ));
    }
    lua.push_str(
        "done = function(summary, latency, requests)\n  local e = summary.errors\n  io.write(string.format(\"SBSUMMARY %d %d %d %d %d %d\\n\", summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))\nend\n",
    );
    lua
}

/// Runs `wrk` and returns what it measured.
pub fn run(load: &Load, scratch: &Path) -> anyhow::Result<Outcome> {
    let path = scratch.join("load.lua");
    std::fs::write(&path, script(load))?;
    let seconds = load.duration.as_secs().max(1);
    let out = Command::new("wrk")
        .args([
            "-t",
            &load.threads.max(1).min(load.connections).to_string(),
            "-c",
            &load.connections.to_string(),
            "-d",
            &format!("{seconds}s"),
            "--timeout",
            "10s",
            "-s",
        ])
        .arg(&path)
        .arg(load.url)
        .output()
        .context("cannot run wrk (install the Debian package `wrk`)")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!(
            "wrk failed ({}): {}{}",
            out.status,
            stdout,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    parse(&stdout).with_context(|| format!("no summary in wrk's output:\n{stdout}"))
}

fn parse(stdout: &str) -> Option<Outcome> {
    let line = stdout.lines().find(|l| l.starts_with("SBSUMMARY "))?;
    let n: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .map(|v| v.parse().ok())
        .collect::<Option<_>>()?;
    let [requests, micros, p50, p99, status, errors] = n[..] else {
        return None;
    };
    Some(Outcome {
        requests,
        elapsed: Duration::from_micros(micros),
        p50_ms: p50 as f64 / 1000.0,
        p99_ms: p99 as f64 / 1000.0,
        non_2xx: status,
        errors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_line_is_read() {
        let o = parse("Running 1s test\nSBSUMMARY 2000 1000000 350 1200 5 1\n").unwrap();
        assert_eq!(o.requests, 2000);
        assert_eq!(o.non_2xx, 5);
        assert_eq!(o.errors, 1);
        assert!((o.per_second() - 1995.0).abs() < 1e-6);
        assert!((o.p99_ms - 1.2).abs() < 1e-9);
        assert!(parse("no summary").is_none());
    }

    #[test]
    fn lua_strings_are_escaped() {
        assert_eq!(lua_string(r#"{"a": "b\c"}"#), r#""{\"a\": \"b\\c\"}""#);
    }
}
