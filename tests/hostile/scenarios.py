"""The hostile server's scenarios: one `scenario(...)` line each.

Each names what the server does (a script from scripts.py, run on the `Session` after it
has read the client's first ClientHello), the alert our client must send and under which key
("plain" before the client has handshake keys, "early" under its 0-RTT key, "hs" under its
handshake traffic key, "app" under an application traffic key), and the RFC 9846 section
that requires it. `alert=None` means the client must send no alert at all (it received a
fatal alert); `ok=True` means the connection must succeed, because the RFC requires the
client to accept what the server did. `known` marks a scenario that fails today, and why.

Post-handshake scenarios (`post_handshake=True`) first wait for the client's request (it may
send it as soon as its handshake is done): the attack must come after it, and only
application data after that point counts as a violation.
"""

from server import (
    AES256,
    CHACHA,
    ContentType,
    GroupName,
    ext,
    record,
)
import mutate as m
from scripts import (
    CERTIFICATE_REQUEST,
    EARLY_DATA_ACCEPTED,
    ECDSA_P256,
    ECDSA_P384,
    RSA_PKCS1_SHA256,
    RSA_PSS_RSAE_SHA256,
    after_request,
    alert_at,
    big_ee,
    ccs_at,
    certificate_request,
    certificate_with_entry_extension,
    claimed_length,
    client_auth_without_certificate,
    coalesced_flight,
    hrr_cookie,
    hrr_then,
    hrr_without_early_data,
    inner_after_sh,
    key_update_storm,
    msg_bytes,
    nst_flood,
    ok_flight,
    one_byte_records,
    only,
    psk_flight,
    psk_sh,
    record_after_sh,
    respond,
    resumption,
    sh_bytes,
    sh_record_version,
    sh_then_plain,
    sh_with,
    stop_mid,
    then_send,
    upto,
)

SCENARIOS = []


class Scenario:
    """One scenario: see the module doc and `scenario()`."""

    def __init__(self, name, alert, key, rfc, script, ok=False, connections=1, args=(),
                 hold=False, known=None, max_rss_mb=None, post_handshake=False,
                 client_key_update=False, output=None):
        self.name = name
        self.alert = alert
        self.key = key
        self.rfc = rfc
        self.script = script
        self.ok = ok
        self.connections = connections
        self.args = list(args)
        self.hold = hold
        self.known = known
        self.max_rss_mb = max_rss_mb
        self.post_handshake = post_handshake
        self.client_key_update = client_key_update
        self.output = output  # text the client must print on stderr (its summary line)


SECTION = [""]


def section(title):
    """Starts a group of scenarios (a heading in docs/hostile.md)."""
    SECTION[0] = title


def scenario(name, alert, key, rfc, script, **options):
    sc = Scenario(name, alert, key, rfc, script, **options)
    sc.section = SECTION[0]
    SCENARIOS.append(sc)



# Found by this suite, not fixed yet: a client that offered 0-RTT and rejects the server's
# EncryptedExtensions sends its alert under the early data key, which a server that did not
# accept 0-RTT skips unread (RFC 9846 §4.3.10: it skips records it cannot decrypt). RFC 9846
# A.1: "If clients need to send such alerts, they SHOULD first rekey to the handshake keys if
# possible." Where the server did accept 0-RTT, it reads the early key until EndOfEarlyData,
# so there the early key is the right one (early_data_accepted_bad_finished).

section("Baselines: a correct server must succeed (controls for everything below)")
scenario("baseline_ecdsa", None, None, "§4", ok_flight, ok=True, max_rss_mb=16)
scenario("baseline_rsa_pss", None, None, "§4.5.2", lambda s: (s.flight(kind="rsa"), s.wait_for_request(), s.respond_ok()), ok=True)
scenario("baseline_hrr_secp256r1", None, None, "§4.2.4", hrr_then(lambda s: (s.flight(sh=s.server_hello(group=GroupName.secp256r1)), s.wait_for_request(), s.respond_ok())), ok=True)
scenario("baseline_flight_in_one_byte_records", None, None, "§5.1", one_byte_records, ok=True)
scenario("baseline_flight_coalesced_in_one_record", None, None, "§5.1", coalesced_flight, ok=True)
scenario("baseline_chacha20_suite", None, None, "§4.2.3", lambda s: (s.flight(sh=s.server_hello(suite=CHACHA)), s.wait_for_request(), s.respond_ok()), ok=True)
scenario("baseline_aes256_suite", None, None, "§4.2.3", lambda s: (s.flight(sh=s.server_hello(suite=AES256)), s.wait_for_request(), s.respond_ok()), ok=True)

section("Messages out of order, duplicated or missing (§4, Appendix A.1)")
scenario("baseline_certificate_request_without_client_certificate", None, None, "§4.4.2, §4.5", client_auth_without_certificate, ok=True)
scenario("baseline_sh_record_version_ignored", None, None, "§5.1", sh_record_version(0x0000), ok=True)
scenario("order_ee_instead_of_sh", "unexpected_message", "plain", "§4, A.1", lambda s: s.send_hs(s.encrypted_extensions()))
scenario("order_hello_request_first", "unexpected_message", "plain", "§4, A.1", lambda s: s.send_hs(bytes([0, 0, 0, 0])))
scenario("order_certificate_before_ee", "unexpected_message", "hs", "§4, A.1", upto("SH", then_send("CT", "EE")))
scenario("order_finished_after_sh", "unexpected_message", "hs", "§4, A.1", upto("SH", then_send("EE", "FIN")))
scenario("missing_certificate", "unexpected_message", "hs", "§4.5, A.1", only(cert=False))
scenario("missing_certificate_verify", "unexpected_message", "hs", "§4.5.2", only(cv=False))
scenario("duplicate_server_hello", "unexpected_message", "hs", "§4, A.1", lambda s: (s.flight(fin=False, cv=False, cert=False, ee=False, app_keys=False), s.send_record(22, s.hs(s.server_hello(), False))))
scenario("duplicate_encrypted_extensions", "unexpected_message", "hs", "§4, A.1", upto("EE", then_send("EE")))
scenario("duplicate_certificate", "unexpected_message", "hs", "§4, A.1", upto("CT", then_send("CT")))
scenario("duplicate_certificate_verify", "unexpected_message", "hs", "§4, A.1", upto("CV", then_send("CV")))
scenario("duplicate_finished_after_handshake", "unexpected_message", "app", "§4.7, A.1", after_request(lambda s: s.send_hs(s.finished(), transcript=False)), post_handshake=True)
scenario("nst_before_finished", "unexpected_message", "hs", "§4.7.1", upto("CV", then_send("NST")))
scenario("key_update_before_finished", "unexpected_message", "hs", "§4.7.3", upto("CV", then_send("KU")))
scenario("certificate_request_after_handshake_unoffered", "unexpected_message", "app", "§4.7.2", after_request(lambda s: s.send_hs(CERTIFICATE_REQUEST, transcript=False)), post_handshake=True)
scenario("server_hello_after_handshake", "unexpected_message", "app", "§4, §4.7", after_request(lambda s: s.send_hs(s.server_hello(), transcript=False)), post_handshake=True)
scenario("end_of_early_data_from_server", "unexpected_message", "hs", "§4, §4.6", upto("EE", lambda s: s.send_hs(bytes([5, 0, 0, 0]))))
scenario("certificate_request_after_certificate", "unexpected_message", "hs", "§4, A.1", upto("CT", lambda s: s.send_hs(certificate_request())))
scenario("post_handshake_unknown_message_type", "unexpected_message", "app", "§4, §4.7", after_request(lambda s: s.send_hs(bytes([99, 0, 0, 0]), transcript=False)), post_handshake=True)
scenario("finished_and_nst_in_one_record", "unexpected_message", "hs", "§5.1", lambda s: (s.flight(fin=False, app_keys=False), s.send(s.hs(s.finished()) + bytes(s.new_session_ticket().write()))))
scenario("sh_and_next_message_in_one_record", "unexpected_message", "plain", "§5.1", lambda s: s.send_record(22, s.hs(s.server_hello()) + bytes(s.encrypted_extensions().write())))

section("Every length field off by one (§6: decode_error for a message that cannot be parsed; §5.1 where the framing breaks)")
scenario("len_record_sh_plus1", "unexpected_message", "plain", "§5.1", lambda s: s.send_raw(record(22, s.hs(s.server_hello()))[:3] + (len(s.hs(s.server_hello(), False)) + 1).to_bytes(2, "big") + s.hs(s.server_hello(), False) + b"\x16"))
scenario("len_handshake_sh_plus1", "unexpected_message", "plain", "§5.1", sh_bytes(m.off_by(m.handshake_length, +1)))
scenario("len_handshake_sh_minus1", "decode_error", "plain", "§4, §6", sh_bytes(m.off_by(m.handshake_length, -1)))
scenario("len_sh_session_id_plus1", "decode_error", "plain", "§4.2.3, §6", sh_bytes(m.off_by(m.sh_session_id_length, +1)))
scenario("len_sh_extensions_plus1", "decode_error", "plain", "§4.2.3, §6", sh_bytes(m.off_by(m.sh_extensions_length, +1)))
scenario("len_sh_extensions_minus1", "decode_error", "plain", "§4.2.3, §6", sh_bytes(m.off_by(m.sh_extensions_length, -1)))
scenario("len_sh_supported_versions_plus1", "decode_error", "plain", "§4.3.1, §6", sh_bytes(m.off_by(m.sh_extension_length(43), +1)))
scenario("len_sh_key_share_extension_minus1", "decode_error", "plain", "§4.3.8, §6", sh_bytes(m.off_by(m.sh_extension_length(51), -1)))
scenario("len_sh_key_exchange_plus1", "decode_error", "plain", "§4.3.8, §6", sh_bytes(m.off_by(m.sh_key_exchange_length, +1)))
scenario("len_handshake_ee_plus1", "decode_error", "hs", "§4.4.1, §6", msg_bytes("EE", m.off_by(m.handshake_length, +1)))
scenario("len_ee_extensions_plus1", "decode_error", "hs", "§4.4.1, §6", msg_bytes("EE", m.off_by(m.ee_extensions_length, +1)))
scenario("len_certificate_context_plus1", "decode_error", "hs", "§4.5.1, §6", msg_bytes("CT", m.off_by(m.cert_context_length, +1)))
scenario("len_certificate_list_plus1", "decode_error", "hs", "§4.5.1, §6", msg_bytes("CT", m.off_by(m.cert_list_length, +1)))
scenario("len_certificate_list_minus1", "decode_error", "hs", "§4.5.1, §6", msg_bytes("CT", m.off_by(m.cert_list_length, -1)))
scenario("len_cert_data_plus1", "decode_error", "hs", "§4.5.1, §6", msg_bytes("CT", m.off_by(m.cert_data_length, +1)))
scenario("len_cert_entry_extensions_plus1", "decode_error", "hs", "§4.5.1, §6", msg_bytes("CT", m.off_by(m.cert_entry_extensions_length, +1)))
scenario("len_certificate_verify_signature_plus1", "decode_error", "hs", "§4.5.2, §6", msg_bytes("CV", m.off_by(m.cv_signature_length, +1)))
scenario("len_certificate_verify_signature_minus1", "decode_error", "hs", "§4.5.2, §6", msg_bytes("CV", m.off_by(m.cv_signature_length, -1)))
scenario("len_finished_verify_data_plus1", "decode_error", "hs", "§4.5.3, §6", msg_bytes("FIN", m.grow_body(b"\x00")))
scenario("len_new_session_ticket_ticket_plus1", "decode_error", "app", "§4.7.1, §6", after_request(lambda s: s.send_hs(m.off_by(m.nst_ticket_length, +1)(s.hs(s.new_session_ticket(), False)), transcript=False)), post_handshake=True)
scenario("len_key_update_plus1", "decode_error", "app", "§4.7.3, §6", after_request(lambda s: s.send_hs(m.grow_body(b"\x00")(s.hs(s.key_update(), False)), transcript=False)), post_handshake=True)
scenario("len_alert_three_bytes", "decode_error", "hs", "§5.1, §6", inner_after_sh(b"\x02\x28\x00\x15"))
scenario("len_encrypted_record_minus1", "bad_record_mac", "hs", "§5.2", record_after_sh(lambda s: (lambda r: r[:3] + (len(r) - 6).to_bytes(2, "big") + r[5:-1])(s.write.seal(s.hs(s.encrypted_extensions()) + b"\x16"))))

section("What the client did not offer (§4.2.3, §4.3)")
scenario("sh_unoffered_suite_aes128_ccm", "illegal_parameter", "plain", "§4.2.3", sh_with(suite=0x1304))
scenario("sh_tls12_suite", "illegal_parameter", "plain", "§4.2.3", sh_with(suite=0xC02B))
scenario("sh_unoffered_group_secp384r1", "illegal_parameter", "plain", "§4.3.8", sh_with(group=GroupName.secp384r1))
scenario("sh_group_offered_without_share", "illegal_parameter", "plain", "§4.3.8", sh_with(group=GroupName.secp256r1))
scenario("sh_pre_shared_key_not_offered", "unsupported_extension", "plain", "§4.3", sh_with(extra=[ext(41, b"\x00\x00")]))
scenario("sh_unknown_extension", "unsupported_extension", "plain", "§4.3", sh_with(extra=[ext(0xFAFA, b"")]))
scenario("sh_server_name_not_allowed_in_sh", "illegal_parameter", "plain", "§4.3", sh_with(extra=[ext(0, b"")]))
scenario("sh_duplicate_supported_versions", "illegal_parameter", "plain", "§4.3", sh_with(extra=[ext(43, b"\x03\x04")]))
scenario("sh_without_supported_versions", "protocol_version", "plain", "§4.2.3, §4.3.1", sh_with(version=None))
scenario("sh_supported_versions_tls12", "illegal_parameter", "plain", "§4.3.1", sh_with(version=(3, 3)))
scenario("sh_supported_versions_unknown", "illegal_parameter", "plain", "§4.3.1", sh_with(version=(3, 5)))
scenario("sh_legacy_version_0304", "protocol_version", "plain", "§4.2.3", sh_with(legacy_version=(3, 4)))
scenario("sh_session_id_not_echoed", "illegal_parameter", "plain", "§4.2.3", sh_with(session_id=bytearray(b"\x01" * 32)))
scenario("sh_compression_method_1", "illegal_parameter", "plain", "§4.2.3", sh_with(compression=1))
scenario("sh_x25519_share_all_zero", "illegal_parameter", "plain", "§7.4.2", sh_with(share=bytearray(32)))
scenario("ee_unsolicited_alpn", "unsupported_extension", "hs", "§4.3", lambda s: s.flight(ee=s.encrypted_extensions([ext(16, b"\x00\x03\x02h2")]), app_keys=False))
scenario("ee_unsolicited_early_data", "unsupported_extension", "hs", "§4.3, §4.3.10", lambda s: s.flight(ee=s.encrypted_extensions([ext(42, b"")]), app_keys=False))
scenario("ee_key_share_not_allowed", "illegal_parameter", "hs", "§4.3", lambda s: s.flight(ee=s.encrypted_extensions([ext(51, b"\x00\x1d\x00\x20" + bytes(32))]), app_keys=False))
scenario("ee_supported_versions_not_allowed", "illegal_parameter", "hs", "§4.3", lambda s: s.flight(ee=s.encrypted_extensions([ext(43, b"\x03\x04")]), app_keys=False))
scenario("ee_record_size_limit_unsolicited", "unsupported_extension", "hs", "§4.3; RFC 8449 §4", lambda s: s.flight(ee=s.encrypted_extensions([ext(28, b"\x40\x00")]), app_keys=False))
scenario("ee_max_fragment_length_unsolicited", "unsupported_extension", "hs", "§4.3; RFC 6066 §4", lambda s: s.flight(ee=s.encrypted_extensions([ext(1, b"\x02")]), app_keys=False))
scenario("certificate_entry_unsolicited_status_request", "unsupported_extension", "hs", "§4.3, §4.5.1.1", certificate_with_entry_extension(b"\x00\x05\x00\x05\x01\x00\x00\x01\x30"))
scenario("certificate_expired", "certificate_expired", "hs", "§4.5.1.3, §6.2", lambda s: s.flight(kind="expired", app_keys=False))
scenario("certificate_request_without_signature_algorithms", "missing_extension", "hs", "§4.4.2, §6.2", lambda s: s.flight(cr=certificate_request(extensions=b""), app_keys=False))
scenario("certificate_request_nonempty_context", "illegal_parameter", "hs", "§4.4.2, §6", lambda s: s.flight(cr=certificate_request(context=b"\x07"), app_keys=False))
scenario("sh_x25519_share_31_bytes", "illegal_parameter", "plain", "§4.3.8.2, §6", sh_with(share=bytearray(b"\x09" * 31)))
scenario("hrr_then_sh_p256_point_off_curve", "illegal_parameter", "plain", "§4.3.8.2", hrr_then(lambda s: s.send_hs(s.server_hello(group=GroupName.secp256r1, share=bytearray(b"\x04" + b"\x01" * 64)))))
scenario("certificate_untrusted", "unknown_ca", "hs", "§4.5.1.3, §6.2", lambda s: s.flight(kind="untrusted", app_keys=False))
scenario("certificate_empty", "decode_error", "hs", "§4.5.1.3", lambda s: s.flight(cert=bytes([11, 0, 0, 4, 0, 0, 0, 0]), app_keys=False))
scenario("certificate_nonempty_context", "illegal_parameter", "hs", "§4.5.1, §6", lambda s: s.flight(cert=s.certificate(context=b"\x01"), app_keys=False))

section("Resumption and 0-RTT: PSK indices, suites and flights (§2.2, §4.3.10, §4.3.11)")
scenario("baseline_psk_resumption", None, None, "§2.2, §4.3.11", resumption(psk_flight(then=respond)), ok=True, connections=2, args=["--resume"], output="resumed=yes")
scenario("psk_resumption_with_certificate", "unexpected_message", "hs", "§2.2, §4.5, A.1", resumption(psk_flight(cert=True)), connections=2, args=["--resume"])
scenario("psk_resumption_bad_finished", "decrypt_error", "hs", "§4.5.3", resumption(psk_flight(fin=lambda s: s.finished(corrupt=True))), connections=2, args=["--resume"])
scenario("baseline_early_data_accepted", None, None, "§4.3.10", resumption(psk_flight(ee=lambda s: s.encrypted_extensions([EARLY_DATA_ACCEPTED]), then=respond), early_data=True), ok=True, connections=2, args=["--early-data", "GET"], output="early-data=accepted")
scenario("baseline_early_data_rejected_by_full_handshake", None, None, "§4.3.10", resumption(lambda s: (s.flight(), respond(s)), early_data=True), ok=True, connections=2, args=["--early-data", "GET"], output="early-data=rejected")
scenario("baseline_early_data_then_hrr", None, None, "§4.3.10", resumption(hrr_without_early_data, early_data=True), ok=True, connections=2, args=["--early-data", "GET"])
scenario("ee_early_data_without_psk", "illegal_parameter", "hs", "§4.3.10, §4.3.11, A.1", resumption(lambda s: s.flight(ee=s.encrypted_extensions([EARLY_DATA_ACCEPTED]), app_keys=False), early_data=True), connections=2, args=["--early-data", "GET"])
scenario("early_data_accepted_bad_finished", "decrypt_error", "early", "§4.5.3, §4.3.10, A.1", resumption(psk_flight(ee=lambda s: s.encrypted_extensions([EARLY_DATA_ACCEPTED]), fin=lambda s: s.finished(corrupt=True)), early_data=True), connections=2, args=["--early-data", "GET"])
scenario("psk_index_out_of_range", "illegal_parameter", "plain", "§4.3.11", resumption(lambda s: s.send_hs(psk_sh(s, 1))), connections=2, args=["--resume"])
scenario("psk_suite_with_other_hash", "illegal_parameter", "plain", "§4.3.11", resumption(lambda s: s.send_hs(psk_sh(s, 0, suite=AES256))), connections=2, args=["--resume"])
scenario("psk_without_required_key_share", "illegal_parameter", "plain", "§4.3.11", resumption(lambda s: s.send_hs(psk_sh(s, 0, key_share=False))), connections=2, args=["--resume"])

section("HelloRetryRequest (§4.2.4, §4.3.8)")
scenario("hrr_twice", "unexpected_message", "plain", "§4.2.4", hrr_then(lambda s: s.send_hs(s.hello_retry_request(group=GroupName.secp256r1))))
scenario("hrr_group_already_shared", "illegal_parameter", "plain", "§4.3.8", lambda s: s.send_hs(s.hello_retry_request(group=GroupName.x25519)))
scenario("hrr_changes_nothing", "illegal_parameter", "plain", "§4.2.4", lambda s: s.send_hs(s.hello_retry_request(group=None)))
scenario("hrr_unoffered_group", "illegal_parameter", "plain", "§4.3.8", lambda s: s.send_hs(s.hello_retry_request(group=GroupName.secp384r1)))
scenario("hrr_unoffered_suite", "illegal_parameter", "plain", "§4.2.4", lambda s: s.send_hs(s.hello_retry_request(suite=0x1304)))
scenario("hrr_unsolicited_extension", "unsupported_extension", "plain", "§4.2.4, §4.3", lambda s: s.send_hs(s.hello_retry_request(extra=[ext(0xFAFA, b"")])))
scenario("hrr_session_id_not_echoed", "illegal_parameter", "plain", "§4.2.4, §4.2.3", lambda s: s.send_hs(s.hello_retry_request(session_id=bytearray(b"\x01" * 32))))
scenario("hrr_cookie_echoed", None, None, "§4.3.2", hrr_cookie, ok=True)
scenario("hrr_then_sh_other_suite", "illegal_parameter", "plain", "§4.2.4", hrr_then(lambda s: s.send_hs(s.server_hello(suite=AES256, group=GroupName.secp256r1))))
scenario("hrr_then_sh_other_group", "illegal_parameter", "plain", "§4.3.8", hrr_then(lambda s: s.send_hs(s.server_hello(group=GroupName.x25519))))

section("ChangeCipherSpec in every position (§5)")
scenario("ccs_before_sh_dropped", None, None, "§5", ccs_at("CH"), ok=True)
scenario("ccs_after_sh_dropped", None, None, "§5", ccs_at("SH"), ok=True)
scenario("ccs_after_ee_dropped", None, None, "§5", ccs_at("EE"), ok=True)
scenario("ccs_after_certificate_dropped", None, None, "§5", ccs_at("CT"), ok=True)
scenario("ccs_after_certificate_verify_dropped", None, None, "§5", ccs_at("CV"), ok=True)
scenario("ccs_after_hrr_dropped", None, None, "§5, E.4", lambda s: (s.send_hs(s.hello_retry_request()), s.ccs(), s.read_client_hello(), s.flight(sh=s.server_hello(group=GroupName.secp256r1)), s.wait_for_request(), s.respond_ok()), ok=True)
scenario("ccs_after_finished", "unexpected_message", "app", "§5", after_request(lambda s: s.ccs()), post_handshake=True)
scenario("ccs_value_2", "unexpected_message", "plain", "§5", lambda s: s.ccs(b"\x02"))
scenario("ccs_two_bytes", "unexpected_message", "plain", "§5", lambda s: s.ccs(b"\x01\x01"))
scenario("ccs_protected", "unexpected_message", "hs", "§5", inner_after_sh(b"\x01\x14"))

section("An unprotected or unexpected record after keys (§5, §5.1, §5.2, §5.4)")
scenario("plaintext_handshake_after_sh", "unexpected_message", "hs", "§5, §5.1", sh_then_plain(22, lambda s: s.hs(s.encrypted_extensions())))
scenario("plaintext_alert_after_sh", "unexpected_message", "hs", "§5, §6", sh_then_plain(21, b"\x02\x28"))
scenario("plaintext_appdata_before_sh", "unexpected_message", "plain", "§5.1", lambda s: s.send_record(23, b"hello"))
scenario("appdata_before_finished", "unexpected_message", "hs", "§4.5.3, §5", upto("CV", lambda s: s.send(b"early", ContentType.application_data)))
scenario("unknown_outer_record_type", "unexpected_message", "hs", "§5", sh_then_plain(25, b"\x00"))
scenario("unknown_inner_content_type", "unexpected_message", "hs", "§5", inner_after_sh(b"\x00\x18"))
scenario("record_sequence_number_skipped", "bad_record_mac", "hs", "§5.3", record_after_sh(lambda s: (setattr(s.write, "seq", 1), s.write.seal(s.hs(s.encrypted_extensions()) + b"\x16"))[1]))
scenario("record_replayed", "bad_record_mac", "hs", "§5.3", record_after_sh(lambda s: (lambda r: r + r)(s.write.seal(s.hs(s.encrypted_extensions()) + b"\x16"))))
scenario("handshake_message_claims_16_mib", "decode_error", "hs", "§6.2 (the 64 KiB bound is ours)", claimed_length(2**24 - 1), max_rss_mb=16)
scenario("tampered_record", "bad_record_mac", "hs", "§5.2", record_after_sh(lambda s: (lambda r: r[:-1] + bytes([r[-1] ^ 1]))(s.write.seal(s.hs(s.encrypted_extensions()) + b"\x16"))))

section("Record limits, zero-length records, padding (§5.1, §5.2, §5.4)")
scenario("plaintext_record_over_2_14", "record_overflow", "plain", "§5.1", lambda s: s.send_record(22, bytes([2]) + (2**14 - 3).to_bytes(3, "big") + bytes(2**14 - 3)))
scenario("ciphertext_over_2_14_plus_256", "record_overflow", "hs", "§5.2", record_after_sh(lambda s: record(23, bytes(2**14 + 257))))
scenario("inner_plaintext_over_2_14_plus_1", "record_overflow", "hs", "§5.4, §6.2", big_ee(2**14 + 2))
scenario("inner_plaintext_exactly_2_14_plus_1", None, None, "§5.4", big_ee(2**14 + 1), ok=True)
scenario("zero_length_handshake_plaintext", "unexpected_message", "plain", "§5.1", lambda s: s.send_record(22, b""))
scenario("zero_length_handshake_protected", "unexpected_message", "hs", "§5.4", inner_after_sh(b"\x16"))
scenario("zero_length_alert_protected", "unexpected_message", "hs", "§5.4", inner_after_sh(b"\x15\x00\x00"))
scenario("zero_length_appdata_accepted", None, None, "§5.1, §5.4", after_request(lambda s: (s.send(b"", ContentType.application_data), s.respond_ok())), ok=True)
scenario("alert_fragmented_one_byte", "decode_error", "hs", "§5.1, §6", inner_after_sh(b"\x02\x15"))
scenario("all_zero_padding", "unexpected_message", "hs", "§5.4", inner_after_sh(bytes(40)))

section("CertificateVerify and Finished (§4.5.2, §4.5.3)")
scenario("cv_scheme_not_offered_rsa_pkcs1", "illegal_parameter", "hs", "§4.5.2, §6", lambda s: s.flight(kind="rsa", cv=lambda: s.certificate_verify("rsa", scheme=RSA_PKCS1_SHA256), app_keys=False))
scenario("cv_scheme_not_matching_key", "illegal_parameter", "hs", "§4.5.2, §6", lambda s: s.flight(cv=lambda: s.certificate_verify(scheme=ECDSA_P384, sign_as=ECDSA_P256), app_keys=False))
scenario("cv_bad_signature_ecdsa", "decrypt_error", "hs", "§4.5.2", lambda s: s.flight(cv=lambda: s.certificate_verify(corrupt=True), app_keys=False))
scenario("cv_bad_signature_rsa_pss", "decrypt_error", "hs", "§4.5.2", lambda s: s.flight(kind="rsa", cv=lambda: s.certificate_verify("rsa", corrupt=True), app_keys=False))
scenario("cv_client_context_string", "decrypt_error", "hs", "§4.5.2", lambda s: s.flight(cv=lambda: s.certificate_verify(context=b"client"), app_keys=False))
scenario("cv_rsa_pss_pss_scheme_with_rsae_key", "illegal_parameter", "hs", "§4.5.2, §6", lambda s: s.flight(kind="rsa", cv=lambda: s.certificate_verify("rsa", scheme=(8, 9), sign_as=RSA_PSS_RSAE_SHA256), app_keys=False))
scenario("finished_bad_verify_data", "decrypt_error", "hs", "§4.5.3", lambda s: s.flight(fin=lambda: s.finished(corrupt=True), app_keys=False))

section("KeyUpdate storms and NewSessionTicket floods (§4.7.1, §4.7.3)")
scenario("key_update_storm_1000", None, None, "§4.7.3", after_request(key_update_storm(0, 1000)), ok=True, max_rss_mb=16)
scenario("key_update_requested_storm_200", None, None, "§4.7.3", after_request(key_update_storm(1, 200)), ok=True, client_key_update=True)
scenario("key_update_new_key_without_message", "bad_record_mac", "app", "§4.7.3, §5.2", after_request(lambda s: (s.update_write_key(), s.respond_ok())), post_handshake=True)
scenario("key_update_message_then_old_key", "bad_record_mac", "app", "§4.7.3, §5.2", after_request(lambda s: (s.send_hs(s.key_update(), transcript=False), s.respond_ok())), post_handshake=True)
scenario("nst_unknown_extension_ignored", None, None, "§4.7.1", after_request(lambda s: (s.send_hs(s.new_session_ticket(extensions=[ext(0xFAFA, b"x")]), transcript=False), s.respond_ok())), ok=True)
scenario("key_update_bad_request_value", "illegal_parameter", "app", "§4.7.3", after_request(lambda s: s.send_hs(bytes([24, 0, 0, 1, 2]), transcript=False)), post_handshake=True)
scenario("key_update_not_at_record_end", "unexpected_message", "app", "§5.1", after_request(lambda s: s.send(bytes(s.key_update().write()) + bytes(s.new_session_ticket().write()))), post_handshake=True)
scenario("nst_flood_20000", None, None, "§4.7.1", nst_flood(20000), ok=True, max_rss_mb=16)

section("An alert at every stage: an error alert gets no answer (§6, §6.2), close_notify gets close_notify (§6.1)")
scenario("alert_instead_of_sh", None, None, "§6.2", alert_at("CH"))
scenario("alert_after_hrr", None, None, "§6.2", hrr_then(lambda s: s.alert("handshake_failure")))
scenario("alert_after_sh", None, None, "§6.2", alert_at("SH"))
scenario("alert_after_ee", None, None, "§6.2", alert_at("EE"))
scenario("alert_after_certificate", None, None, "§6.2", alert_at("CT"))
scenario("alert_after_certificate_verify", None, None, "§6.2", alert_at("CV"))
scenario("alert_after_request", None, None, "§6.2", after_request(lambda s: s.alert("internal_error")), post_handshake=True)
scenario("alert_unknown_code_after_sh", None, None, "§6", alert_at("SH", name=200, level=1))
scenario("alert_error_at_warning_level", None, None, "§6", alert_at("EE", name="decode_error", level=1))
scenario("alert_close_notify_mid_handshake", "close_notify", "hs", "§6.1", alert_at("EE", name="close_notify", level=1))

section("A server that stops sending mid-record: the client gives up with close_notify (§6.1)")
scenario("stop_mid_record_header_silent", "close_notify", "plain", "§6.1", stop_mid("header", close=False), hold=True)
scenario("stop_mid_protected_record_silent", "close_notify", "hs", "§6.1", stop_mid("record", close=False), hold=True)
scenario("stop_mid_protected_record_eof", "close_notify", "hs", "§6.1", stop_mid("record", close=True))
