//! `switchboard serve`: logs, start-up, graceful shutdown.

use anyhow::Context;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

use crate::bootstrap::{self, KeySource};
use crate::config::{Config, LogFormat};

/// Installs the log subscriber (once per process).
pub fn init_logging(config: &Config) {
    let mut filter = EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info"));
    // The SIP stack logs whole messages, digest answers included, at `info`: kept to warnings
    // unless the filter names it.
    if !config.log.contains("rsipstack") {
        if let Ok(directive) = "rsipstack=warn".parse() {
            filter = filter.add_directive(directive);
        }
    }
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match config.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Runs the server until SIGINT or SIGTERM.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    tracing::info!(config = %config.redacted().replace('\n', "; "), "starting");
    let store = bootstrap::open_store(&config).await?;
    let keyring = KeySource::from_config(&config)?.keyring()?;
    let mut core =
        switchboard_domain::Core::new(store.clone().into_dyn(), keyring, bootstrap::clock(&config))
            .with_files(bootstrap::media_files(&config, &store))
            .with_private_hooks_allowed(config.webhook_allow_private)
            .with_routing_client(bootstrap::routing_client(&config)?)
            .with_public_url(&config.public_url());
    // Calls over SIP rather than on the simulator, when chosen.
    let sip_driver = config
        .telephony_sip
        .then(|| std::sync::Arc::new(switchboard_sip::SipDriver::new()));
    if let Some(driver) = &sip_driver {
        core = core.with_driver(driver.clone());
    }
    // SIP, when configured: answered on UDP and TCP beside the HTTP API.
    let sip = match config.sip_listen {
        Some(address) => Some(
            switchboard_sip::SipServer::start(
                address,
                core.clone(),
                config.sip_domain(),
                sip_driver.as_deref(),
                config.sip_request_rate,
            )
            .await
            .map_err(anyhow::Error::msg)?,
        ),
        None => None,
    };
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    tracing::info!(address = %listener.local_addr()?, database = store.backend().name(), "listening");
    let worker = bootstrap::worker(&core, &config)?;
    let (stop_worker, stopped) = tokio::sync::watch::channel(());
    let worker_task = tokio::spawn(worker.run(async move {
        let mut stopped = stopped;
        let _ = stopped.changed().await;
    }));
    let timers_stopped = stop_worker.subscribe();
    let timers_task = tokio::spawn(bootstrap::run_call_timers(core.clone(), async move {
        let mut stopped = timers_stopped;
        let _ = stopped.changed().await;
    }));
    let reports_stopped = stop_worker.subscribe();
    let reports_task = tokio::spawn(bootstrap::run_reports(core.clone(), async move {
        let mut stopped = reports_stopped;
        let _ = stopped.changed().await;
    }));
    let options = crate::app::AppOptions::from_config(&config);
    axum::serve(listener, crate::app::app(core, &options))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    drop(sip);
    // The worker finishes the pass it is in, so no attempt is cut off half-recorded.
    let _ = stop_worker.send(());
    let _ = worker_task.await;
    let _ = timers_task.await;
    let _ = reports_task.await;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
