"""HTTPS to the upstream: certificates are checked (against the system's trusted roots, or the bundle
named by SSL_CERT_FILE), and a rejected certificate fails before any request is sent."""
from __future__ import annotations

import http.server
import json
import ssl
import subprocess
import threading

import pytest

from test_numbers_support import call, error_of

EMPTY_PAGE = {"results": [], "metadata": {"itemsPerPage": 1000, "totalItems": 0, "currentPage": 1,
                                          "totalPages": 0, "hasNextPage": False, "sortOrder": "DESC"}}


@pytest.fixture
def tls_vapi(tmp_path):
    """A Vapi stand-in on https://127.0.0.1 with a self-signed certificate (made with openssl)."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            body = json.dumps(EMPTY_PAGE).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"https://127.0.0.1:{server.server_address[1]}", "cert": str(cert), "seen": seen}
    server.shutdown()
    server.server_close()


def spawn_for(spawn, tls_vapi, **extra):
    sb = spawn(env={"SWITCHBOARD_VAPI_BASE_URL": tls_vapi["url"], "SWITCHBOARD_HTTP_BACKOFF_MS": "10", **extra})
    sb.call("setCredentials", {"vapiPrivateKey": "vapi-test-key-0123456789abcdef"})
    return sb


def test_an_untrusted_certificate_is_refused_before_any_request(spawn, tls_vapi):
    sb = spawn_for(spawn, tls_vapi)
    err = error_of(sb, "listNumbers")
    assert err["data"]["kind"] == "upstream.unavailable", err
    assert err["data"]["reason"] == "TLS certificate rejected", err
    assert tls_vapi["seen"] == []


def test_ssl_cert_file_names_the_trusted_bundle(spawn, tls_vapi):
    sb = spawn_for(spawn, tls_vapi, SSL_CERT_FILE=tls_vapi["cert"])
    assert call(sb, "listNumbers")["count"] == 0
    assert [p.split("?")[0] for p in tls_vapi["seen"]] == ["/v2/phone-number"]
