#include "http/internal/tls_credentials.h"

#include <gnutls/x509.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <optional>
#include <utility>
#include <vector>

#include "config/read_file.h"
#include "log/log.h"

namespace lagwatch::http {

namespace {

// Longer chains than this are refused at load; no real serving chain comes near it.
constexpr unsigned kMaxChain = 16;

// What tells a changed file from the same one: a rename onto it (the kubelet's swap of `..data`)
// changes the inode, a rewrite in place the size or the times.
struct FileStamp {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  timespec modified{};
  timespec changed{};
  bool exists = false;

  bool operator==(const FileStamp& other) const {
    return device == other.device && inode == other.inode && size == other.size &&
           modified.tv_sec == other.modified.tv_sec && modified.tv_nsec == other.modified.tv_nsec &&
           changed.tv_sec == other.changed.tv_sec && changed.tv_nsec == other.changed.tv_nsec &&
           exists == other.exists;
  }
};

FileStamp stamp_of(const std::string& path) {
  FileStamp stamp;
  struct stat info {};
  if (path.empty() || ::stat(path.c_str(), &info) != 0) return stamp;
  stamp.device = info.st_dev;
  stamp.inode = info.st_ino;
  stamp.size = info.st_size;
  stamp.modified = info.st_mtim;
  stamp.changed = info.st_ctim;
  stamp.exists = true;
  return stamp;
}

// PEM files of a serving chain are a few KiB; a bound keeps a wrong path (a log file, say) cheap.
constexpr std::size_t kMaxPemBytes = 1 << 20;

std::optional<std::string> read_text(const std::string& path, std::string& error) {
  std::string text;
  if (auto problem =
          config::read_whole_file(path, kMaxPemBytes, text, config::FileKind::kRegular)) {
    error = "cannot read " + path + ": " + *problem;
    return std::nullopt;
  }
  if (text.empty()) {
    error = "cannot read " + path + ": empty";
    return std::nullopt;
  }
  return text;
}

gnutls_datum_t datum_of(const std::string& text) {
  return gnutls_datum_t{reinterpret_cast<unsigned char*>(const_cast<char*>(text.data())),
                        static_cast<unsigned>(text.size())};
}

}  // namespace

struct TlsCredentials::Stamps {
  std::array<FileStamp, 3> files;  // certificate, key, client CA
  bool operator==(const Stamps&) const = default;
};

struct TlsCredentials::Set {
  std::string certificate, key, client_ca;
  gnutls_x509_trust_list_t trust = nullptr;  // of client_ca; nullptr without one

  Set() = default;
  Set(const Set&) = delete;
  Set& operator=(const Set&) = delete;
  ~Set() {
    if (trust != nullptr) gnutls_x509_trust_list_deinit(trust, 1);
  }
};

namespace {

TlsCredentials::Stamps stamps_of(const TlsSettings& settings) {
  return TlsCredentials::Stamps{{stamp_of(settings.cert_file), stamp_of(settings.key_file),
                                 stamp_of(settings.client_ca_file)}};
}

// The files read and checked the way a handshake will use them; nullptr and `error` otherwise.
std::unique_ptr<TlsCredentials::Set> read_set(const TlsSettings& settings, std::string& error) {
  auto set = std::make_unique<TlsCredentials::Set>();
  auto certificate = read_text(settings.cert_file, error);
  if (!certificate) return nullptr;
  auto key = read_text(settings.key_file, error);
  if (!key) return nullptr;
  set->certificate = std::move(*certificate);
  set->key = std::move(*key);

  // GnuTLS' own loader parses both and refuses a key that does not belong to the certificate.
  gnutls_certificate_credentials_t check = nullptr;
  if (gnutls_certificate_allocate_credentials(&check) != GNUTLS_E_SUCCESS) {
    error = "out of memory";
    return nullptr;
  }
  const gnutls_datum_t certificate_datum = datum_of(set->certificate);
  const gnutls_datum_t key_datum = datum_of(set->key);
  const int loaded = gnutls_certificate_set_x509_key_mem2(check, &certificate_datum, &key_datum,
                                                          GNUTLS_X509_FMT_PEM, nullptr, 0);
  gnutls_certificate_free_credentials(check);
  if (loaded < 0) {
    error = settings.cert_file + " and " + settings.key_file +
            " are not a certificate and its key: " + gnutls_strerror(loaded);
    return nullptr;
  }
  std::array<gnutls_pcert_st, kMaxChain> chain{};
  unsigned length = kMaxChain;
  if (const int imported = gnutls_pcert_list_import_x509_raw(
          chain.data(), &length, &certificate_datum, GNUTLS_X509_FMT_PEM, 0);
      imported < 0) {
    error = settings.cert_file + ": " + gnutls_strerror(imported) + " (at most " +
            std::to_string(kMaxChain) + " certificates)";
    return nullptr;
  }
  for (unsigned i = 0; i < length; ++i) gnutls_pcert_deinit(&chain[i]);

  if (!settings.client_ca_file.empty()) {
    auto client_ca = read_text(settings.client_ca_file, error);
    if (!client_ca) return nullptr;
    set->client_ca = std::move(*client_ca);
    if (gnutls_x509_trust_list_init(&set->trust, 0) != GNUTLS_E_SUCCESS) {
      error = "out of memory";
      return nullptr;
    }
    const gnutls_datum_t ca_datum = datum_of(set->client_ca);
    const int added = gnutls_x509_trust_list_add_trust_mem(set->trust, &ca_datum, nullptr,
                                                           GNUTLS_X509_FMT_PEM, 0, 0);
    if (added <= 0) {
      error = settings.client_ca_file + ": no CA certificate" +
              (added < 0 ? std::string(": ") + gnutls_strerror(added) : std::string());
      return nullptr;
    }
  }
  return set;
}

}  // namespace

TlsCredentials::TlsCredentials(TlsSettings settings, std::unique_ptr<Set> set,
                               std::unique_ptr<Stamps> stamps)
    : settings_(std::move(settings)),
      current_(std::move(set)),
      seen_(std::move(stamps)),
      initial_client_ca_(current_->client_ca) {}

TlsCredentials::~TlsCredentials() = default;

Result<std::unique_ptr<TlsCredentials>> TlsCredentials::load(const TlsSettings& settings) {
  auto stamps = std::make_unique<Stamps>(stamps_of(settings));
  std::string why;
  auto set = read_set(settings, why);
  if (!set) return Error{0, why};
  return std::unique_ptr<TlsCredentials>(
      new TlsCredentials(settings, std::move(set), std::move(stamps)));
}

void TlsCredentials::refresh() {
  Stamps now = stamps_of(settings_);
  if (now == *seen_) return;
  *seen_ = now;
  std::string why;
  auto set = read_set(settings_, why);
  if (!set) {
    log::write(log::Level::kWarn,
               "TLS certificate files changed but do not load; serving the previous ones",
               {{"error", why}});
    return;
  }
  current_ = std::move(set);
  log::write(log::Level::kInfo, "TLS certificate files reloaded",
             {{"cert_file", settings_.cert_file}, {"client_ca_file", settings_.client_ca_file}});
}

int TlsCredentials::copy_for_handshake(gnutls_pcert_st** chain, unsigned* length,
                                       gnutls_privkey_t* key) const {
  // GnuTLS frees the array with gnutls_free, so it must come from gnutls_malloc.
  auto* certificates =
      static_cast<gnutls_pcert_st*>(gnutls_malloc(sizeof(gnutls_pcert_st) * kMaxChain));
  if (certificates == nullptr) return GNUTLS_E_MEMORY_ERROR;
  unsigned count = kMaxChain;
  const gnutls_datum_t certificate_datum = datum_of(current_->certificate);
  int result = gnutls_pcert_list_import_x509_raw(certificates, &count, &certificate_datum,
                                                 GNUTLS_X509_FMT_PEM, 0);
  if (result < 0) {
    gnutls_free(certificates);
    return result;
  }
  gnutls_privkey_t private_key = nullptr;
  const gnutls_datum_t key_datum = datum_of(current_->key);
  result = gnutls_privkey_init(&private_key);
  if (result == GNUTLS_E_SUCCESS) {
    result =
        gnutls_privkey_import_x509_raw(private_key, &key_datum, GNUTLS_X509_FMT_PEM, nullptr, 0);
  }
  if (result < 0) {
    if (private_key != nullptr) gnutls_privkey_deinit(private_key);
    for (unsigned i = 0; i < count; ++i) gnutls_pcert_deinit(&certificates[i]);
    gnutls_free(certificates);
    return result;
  }
  *chain = certificates;
  *length = count;
  *key = private_key;
  return GNUTLS_E_SUCCESS;
}

bool TlsCredentials::trusts_peer(gnutls_session_t session) const {
  if (current_->trust == nullptr) return false;
  unsigned count = 0;
  const gnutls_datum_t* sent = gnutls_certificate_get_peers(session, &count);
  if (sent == nullptr || count == 0) return false;
  std::vector<gnutls_x509_crt_t> chain;
  bool parsed = true;
  for (unsigned i = 0; i < std::min(count, kMaxChain) && parsed; ++i) {
    gnutls_x509_crt_t certificate = nullptr;
    parsed = gnutls_x509_crt_init(&certificate) == GNUTLS_E_SUCCESS;
    if (parsed) {
      chain.push_back(certificate);
      parsed = gnutls_x509_crt_import(certificate, &sent[i], GNUTLS_X509_FMT_DER) >= 0;
    }
  }
  unsigned status = 0;
  const bool verified = parsed &&
                        gnutls_x509_trust_list_verify_crt2(
                            current_->trust, chain.data(), static_cast<unsigned>(chain.size()),
                            nullptr, 0, 0, &status, nullptr) == GNUTLS_E_SUCCESS &&
                        status == 0;
  for (gnutls_x509_crt_t certificate : chain) gnutls_x509_crt_deinit(certificate);
  return verified;
}

const std::string& TlsCredentials::initial_client_ca() const { return initial_client_ca_; }

}  // namespace lagwatch::http
