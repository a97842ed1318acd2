//! Outbound address policy: webhooks must not reach private or loopback addresses (the server's
//! own network), unless explicitly allowed. The check runs on the addresses a name resolves to,
//! so a public name pointing inside is refused too. IPv6 addresses that carry an IPv4 address
//! (IPv4-mapped and -compatible, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged by the IPv4
//! address they lead to; the local-use NAT64 prefix `64:ff9b:1::/48` is never public. The HTTP
//! client ignores proxy settings (`HTTP(S)_PROXY`), which would otherwise carry a request past
//! this check.

use std::net::{IpAddr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

pub use switchboard_domain::events::endpoint::is_public;

/// Why an address was refused; found again in the error chain to record a clear reason.
#[derive(Debug)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "refused: {} is a private or loopback address (set SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE=1 to allow)",
            self.0
        )
    }
}

impl std::error::Error for Refused {}

/// A DNS resolver that drops non-public addresses, failing when none is left.
#[derive(Debug, Clone, Copy)]
pub struct GuardedResolver {
    pub allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let kept: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| allow || is_public(a.ip()))
                .collect();
            if kept.is_empty() {
                return Err(Box::new(Refused(host)) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(kept.into_iter()) as Addrs)
        })
    }
}

/// The client webhooks are sent with: names resolved through [`GuardedResolver`], no proxy
/// (whatever the environment says), no redirects.
pub fn client_builder(allow_private: bool) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .no_proxy()
        .dns_resolver(std::sync::Arc::new(GuardedResolver { allow_private }))
        .redirect(reqwest::redirect::Policy::none())
}

/// Checks a URL whose host is an address literal (those skip DNS resolution).
pub fn check_literal(url: &reqwest::Url, allow_private: bool) -> Result<(), Refused> {
    let ip = match url.host() {
        Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
        _ => return Ok(()),
    };
    if allow_private || is_public(ip) {
        Ok(())
    } else {
        Err(Refused(ip.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_loopback_addresses_are_not_public() {
        for bad in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fc00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            // NAT64 and 6to4 leading to loopback, private, link-local and shared space.
            "64:ff9b::127.0.0.1",
            "64:ff9b::10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b::192.168.0.1",
            "64:ff9b:1::8.8.8.8",
            "64:ff9b:1:abcd::1",
            "2002:7f00:1::",
            "2002:a00:1::1",
            "2002:c0a8:101::1",
            "2002:a9fe:a9fe::1",
            "2002:6440:1::1",
            "::127.0.0.1",
            "::10.0.0.1",
        ] {
            assert!(!is_public(bad.parse().unwrap()), "{bad}");
        }
        for good in [
            "8.8.8.8",
            "1.1.1.1",
            "2606:4700::1111",
            "64:ff9b::8.8.8.8",
            "64:ff9b::101:101",
            "2002:808:808::1",
        ] {
            assert!(is_public(good.parse().unwrap()), "{good}");
        }
    }

    /// With `HTTP_PROXY` pointing at a listener, a request still goes straight to its target:
    /// a proxy would carry it past the address check.
    #[tokio::test]
    async fn the_client_ignores_proxy_settings() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        let proxy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let target = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
        for var in [
            "HTTP_PROXY",
            "http_proxy",
            "HTTPS_PROXY",
            "https_proxy",
            "ALL_PROXY",
        ] {
            std::env::set_var(var, &proxy_url);
        }
        std::env::remove_var("NO_PROXY");
        std::env::remove_var("no_proxy");
        // Each listener answers once, the proxy with 407 and the target with 204.
        let serve = |l: tokio::net::TcpListener, answer: &'static [u8]| async move {
            let (mut sock, _) = l.accept().await.unwrap();
            let mut buf = [0u8; 1024];
            let _ = sock.read(&mut buf).await;
            let _ = sock.write_all(answer).await;
        };
        let target_addr = target.local_addr().unwrap();
        let at_target = tokio::spawn(serve(
            target,
            b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n",
        ));
        let at_proxy = tokio::spawn(serve(
            proxy,
            b"HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n",
        ));
        let client = client_builder(true).build().unwrap();
        let r = client
            .post(format!("http://{target_addr}/hook"))
            .send()
            .await
            .unwrap();
        at_target.abort();
        at_proxy.abort();
        assert_eq!(r.status(), 204, "the request went through the proxy");
    }
}
