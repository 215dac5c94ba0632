#pragma once
// The endpoint's certificate, key and client CA as they are on disk now. cert-manager and the
// kubelet replace these files while lagwatch runs, so they are looked at (one stat each) before
// every TLS handshake, and read again when one changed. A set that does not load (the
// certificate written but its key not yet, say) leaves the last good set in use and says why in
// the log, once per change.
//
// Used only on the serving thread: no locking.

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

#include <memory>
#include <string>

#include "error/result.h"
#include "http/web_config.h"

namespace lagwatch::http {

class TlsCredentials {
 public:
  // An error naming the file when the files do not make a usable set.
  static Result<std::unique_ptr<TlsCredentials>> load(const TlsSettings& settings);
  ~TlsCredentials();
  TlsCredentials(const TlsCredentials&) = delete;
  TlsCredentials& operator=(const TlsCredentials&) = delete;

  // Reads the files again if any of them changed since the last look.
  void refresh();

  // A fresh copy of the certificate chain and key for one handshake. GnuTLS owns it from then
  // on and frees it with the session, so a set replaced meanwhile is never freed under it.
  // Returns a GnuTLS error code (0 on success).
  int copy_for_handshake(gnutls_pcert_st** chain, unsigned* length, gnutls_privkey_t* key) const;

  // Whether the certificate chain the peer sent verifies against the current client CA.
  bool trusts_peer(gnutls_session_t session) const;

  // The client CA as first read (empty: none). libmicrohttpd asks clients for a certificate
  // only when it was given one.
  const std::string& initial_client_ca() const;

  struct Set;
  struct Stamps;

 private:
  TlsCredentials(TlsSettings settings, std::unique_ptr<Set> set, std::unique_ptr<Stamps> stamps);
  TlsSettings settings_;
  std::unique_ptr<Set> current_;
  std::unique_ptr<Stamps> seen_;
  std::string initial_client_ca_;
};

}  // namespace lagwatch::http
