//! `illustrate --connect HOST:PORT --ca CA.pem`: a live handshake. lucid-tls's client
//! connects to the server, trusting the CA certificates in the PEM file, sends one HTTP/1.0
//! request, reads for up to two seconds, closes, and the page is rendered from its trace.

use std::path::PathBuf;

use lucid_tls::pair::Side;

use super::Page;
use super::common;
use super::render::Renderer;

/// A live peer to connect to.
pub(super) struct Live {
    pub(super) address: String,
    pub(super) ca: PathBuf,
    pub(super) server_name: Option<String>,
}

/// Connects to a live server as a client, sends one HTTP/1.0 request, reads for up to two
/// seconds, closes, and renders what the client's trace shows.
pub(super) fn illustrate_live(live: &Live) -> Result<Page, String> {
    use std::io::{Read, Write};
    use std::sync::Arc;
    use std::time::Duration;

    use lucid_tls::client::{ClientConfig, ClientConnection};
    use lucid_tls::connection::Event;
    use lucid_tls::time::Time;
    use lucid_tls::x509::WebPkiServerVerifier;

    let host = live
        .address
        .rsplit_once(':')
        .map_or(live.address.as_str(), |(h, _)| h);
    let server_name = live.server_name.clone().unwrap_or_else(|| host.to_string());
    let validator = common::validator(std::slice::from_ref(&live.ca))?;
    let mut config = ClientConfig::new(
        common::provider(),
        Arc::new(WebPkiServerVerifier::new(validator)),
    );
    config.trace = true;
    config.keylog = common::keylog_from_env();
    let mut client = ClientConnection::new(
        Arc::new(config),
        Some(&server_name),
        Box::new(lucid_tls::os_rng::OsRng),
        Time::now(),
    )
    .map_err(|e| format!("cannot start: {e:?}"))?;
    let mut tcp = std::net::TcpStream::connect(&live.address)
        .map_err(|e| format!("cannot connect to {}: {e}", live.address))?;
    tcp.set_read_timeout(Some(Duration::from_secs(2)))
        .map_err(|e| e.to_string())?;
    let mut wire = Vec::new();
    let mut trace = Vec::new();
    let mut requested = false;
    let mut buffer = [0u8; 16384];
    let outcome = loop {
        let output = client.take_output();
        if !output.is_empty() {
            tcp.write_all(&output).map_err(|e| e.to_string())?;
            wire.push((Side::Client, output));
        }
        trace.extend(std::iter::from_fn(|| client.poll_trace()));
        let events: Vec<Event> = std::iter::from_fn(|| client.poll_event()).collect();
        if events.iter().any(|e| matches!(e, Event::PeerClosed)) {
            break Ok(());
        }
        if let Some(e) = client.error() {
            break Err(format!("the handshake failed: {e:?}"));
        }
        if !client.is_handshaking() && !requested {
            requested = true;
            let request = format!("GET / HTTP/1.0\r\nHost: {server_name}\r\n\r\n");
            client
                .write(request.as_bytes())
                .map_err(|e| format!("{e:?}"))?;
            continue;
        }
        match tcp.read(&mut buffer) {
            Ok(0) => break Ok(()),
            Ok(n) => {
                wire.push((Side::Server, buffer[..n].to_vec()));
                // An error is reported by client.error() on the next turn.
                let _ = client.feed(Time::now(), &buffer[..n]);
            }
            // Nothing more within the timeout: done.
            Err(_) => break Ok(()),
        }
    };
    if client.error().is_none() {
        client.close();
        let output = client.take_output();
        if tcp.write_all(&output).is_ok() && !output.is_empty() {
            wire.push((Side::Client, output));
        }
    }
    trace.extend(std::iter::from_fn(|| client.poll_trace()));
    let title = format!("TLS 1.3 handshake with {} ({server_name})", live.address);
    let summary = match &outcome {
        Ok(()) => "A live handshake, as lucid-tls's client saw it.".to_string(),
        Err(e) => format!("A live handshake, as lucid-tls's client saw it: {e}."),
    };
    let mut renderer = Renderer::new(None);
    let html = renderer.render(&title, &summary, &trace);
    Ok(Page {
        html,
        wire,
        all_equal: outcome.is_ok() && renderer.mismatches == 0,
    })
}
