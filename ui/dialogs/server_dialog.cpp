#include "healthdeck/ui/dialogs/server_dialog.h"

#include "healthdeck/client/source/poller.h"
#include "healthdeck/client/state_presentation.h"
#include "healthdeck/ui/dialogs/certificate_dialog.h"
#include "healthdeck/ui/dialogs/metric_rules_editor.h"
#include "healthdeck/ui/session/secret_store.h"
#include "healthdeck/ui/views/badge_icon.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QUuid>
#include <QVBoxLayout>

#include <algorithm>

namespace healthdeck {

namespace {

QWidget* pathRow(QWidget* parent, QCheckBox* on, QLineEdit* path) {
  auto* w = new QWidget(parent);
  auto* l = new QHBoxLayout(w);
  l->setContentsMargins(0, 0, 0, 0);
  l->addWidget(on);
  l->addWidget(path, 1);
  QObject::connect(on, &QCheckBox::toggled, path, &QLineEdit::setEnabled);
  return w;
}

QWidget* fileRow(QWidget* parent, QLineEdit* edit, const QString& title) {
  auto* w = new QWidget(parent);
  auto* l = new QHBoxLayout(w);
  l->setContentsMargins(0, 0, 0, 0);
  auto* browse = new QPushButton(QStringLiteral("Browse…"), w);
  browse->setAccessibleName(title);
  l->addWidget(edit, 1);
  l->addWidget(browse);
  QObject::connect(browse, &QPushButton::clicked, edit, [edit, title, w] {
    const QString f = QFileDialog::getOpenFileName(w, title, edit->text());
    if (!f.isEmpty()) edit->setText(f);
  });
  return w;
}

} // namespace

ServerDialog::ServerDialog(const TargetConfig& target, SecretStore& secrets, Poller& poller,
                           QWidget* parent)
    : QDialog(parent), m_original(target), m_secrets(secrets), m_poller(&poller),
      m_pinned(target.pinnedSha256) {
  setWindowTitle(target.id.isEmpty() ? QStringLiteral("Add server")
                                     : QStringLiteral("Edit server"));
  connect(m_poller, &Poller::readinessPathDetected, this, &ServerDialog::showDetectResult);

  m_name = new QLineEdit(target.name, this);
  m_group = new QLineEdit(target.group, this);
  m_group->setPlaceholderText(QStringLiteral("e.g. Production"));
  m_tags = new QLineEdit(target.tags.join(QStringLiteral(", ")), this);
  m_tags->setPlaceholderText(QStringLiteral("e.g. db, eu (the filter finds them)"));
  auto* groupRow = new QWidget(this);
  {
    auto* l = new QHBoxLayout(groupRow);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(m_group, 1);
    auto* tagsLabel = new QLabel(QStringLiteral("T&ags:"), groupRow);
    tagsLabel->setBuddy(m_tags);
    l->addWidget(tagsLabel);
    l->addWidget(m_tags, 1);
  }
  m_parent = new QComboBox(this);
  m_parent->setToolTip(QStringLiteral("The gateway or bastion in front of this server: while it "
                                      "is down, this server's own failure is shown as a "
                                      "consequence and does not notify on its own."));
  setParentCandidates({});
  m_certWarn = new QSpinBox(this);
  m_certCrit = new QSpinBox(this);
  for (QSpinBox* box : {m_certWarn, m_certCrit}) {
    box->setRange(-1, 3650);
    box->setSpecialValueText(QStringLiteral("as in Settings"));
    box->setSuffix(QStringLiteral(" days"));
  }
  m_certWarn->setValue(target.certWarnDays);
  m_certCrit->setValue(target.certCritDays);
  m_certWarn->setToolTip(QStringLiteral("Degraded when the certificate expires within this many "
                                        "days"));
  m_certCrit->setToolTip(QStringLiteral("Down when it expires within this many days"));
  m_certRow = new QWidget(this);
  {
    auto* l = new QHBoxLayout(m_certRow);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(new QLabel(QStringLiteral("warn within"), m_certRow));
    l->addWidget(m_certWarn, 1);
    l->addWidget(new QLabel(QStringLiteral("critical within"), m_certRow));
    l->addWidget(m_certCrit, 1);
  }
  m_url = new QLineEdit(target.baseUrl.toString(), this);
  m_url->setPlaceholderText(QStringLiteral("https://host:9797"));
  const auto route = [this](const QString& path, const QString& fallback, QCheckBox*& on,
                            QLineEdit*& edit, const QString& label) {
    on = new QCheckBox(this);
    on->setAccessibleName(label % QStringLiteral(" on"));
    on->setChecked(!path.isEmpty());
    edit = new QLineEdit(path.isEmpty() ? fallback : path, this);
    edit->setEnabled(!path.isEmpty());
    edit->setAccessibleName(label % QStringLiteral(" path"));
    return pathRow(this, on, edit);
  };
  QWidget* readyRow = route(target.readyPath, QStringLiteral("/health/ready"), m_readyOn, m_ready,
                            QStringLiteral("Readiness"));
  m_detect = new QPushButton(QStringLiteral("&Detect"), readyRow);
  m_detect->setToolTip(QStringLiteral("Try %1 on the base URL and use the first that answers "
                                      "a health document")
                           .arg(Poller::commonReadinessPaths().join(QStringLiteral(", "))));
  readyRow->layout()->addWidget(m_detect);
  QWidget* liveRow = route(target.livePath, QStringLiteral("/health/live"), m_liveOn, m_live,
                           QStringLiteral("Liveness"));
  QWidget* metricsRow = route(target.metricsPath, QStringLiteral("/metrics"), m_metricsOn,
                              m_metrics, QStringLiteral("Metrics"));
  m_interval = new QSpinBox(this);
  m_interval->setRange(1, 3600);
  m_interval->setSuffix(QStringLiteral(" s"));
  m_interval->setValue(static_cast<int>(target.interval.count() / 1000));
  m_timeout = new QDoubleSpinBox(this);
  m_timeout->setRange(0.1, 120);
  m_timeout->setDecimals(1);
  m_timeout->setSuffix(QStringLiteral(" s"));
  m_timeout->setValue(static_cast<double>(target.timeout.count()) / 1000.0);

  m_auth = new QComboBox(this);
  m_auth->addItems({QStringLiteral("None"), QStringLiteral("Bearer token"),
                    QStringLiteral("Basic (user and password)")});
  m_auth->setCurrentIndex(static_cast<int>(target.auth));
  m_storage = new QComboBox(this);
  m_storage->addItem(QStringLiteral("Desktop keychain"));
  m_storage->addItem(QStringLiteral("A file I name"));
  const bool inFile =
      !target.secretRef.isEmpty() && !target.secretRef.startsWith(QLatin1String("keychain:"));
  m_storage->setCurrentIndex(inFile ? 1 : 0);
  m_keychainNote = new QLabel(this);
  m_keychainNote->setTextFormat(Qt::PlainText); // may show server text
  m_keychainNote->setWordWrap(true);
  m_user = new QLineEdit(this);
  m_secret = new QLineEdit(this);
  m_secret->setEchoMode(QLineEdit::Password);
  m_secret->setPlaceholderText(target.secretRef.startsWith(QLatin1String("keychain:"))
                                   ? QStringLiteral("(unchanged — stored in the keychain)")
                                   : QString{});
  m_secretFile = new QLineEdit(
      inFile ? QString(target.secretRef).remove(QRegularExpression(QStringLiteral("^file:")))
             : QString{},
      this);
  m_secretFile->setPlaceholderText(QStringLiteral("/path/to/token (only you can read it)"));

  m_tls = new QComboBox(this);
  m_tls->addItems({QStringLiteral("System certificate authorities"), QStringLiteral("A CA file"),
                   QStringLiteral("Pinned certificate")});
  m_tls->setCurrentIndex(static_cast<int>(target.tlsMode));
  m_caFile = new QLineEdit(target.caFile, this);
  m_pinnedLabel = new QLabel(this);
  m_pinnedLabel->setTextFormat(Qt::PlainText); // may show server text
  m_pinnedLabel->setWordWrap(true);
  m_pinnedLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

  // How the answer is read, and what else each request carries.
  m_statusOnly =
      new QCheckBox(QStringLiteral("Any 2xx answer means up (do not read the body)"), this);
  m_statusOnly->setChecked(target.statusCodeOnly);
  m_contains = new QLineEdit(target.bodyMustContain, this);
  m_contains->setPlaceholderText(QStringLiteral("text the answer must contain (optional)"));
  m_containsRegex = new QCheckBox(QStringLiteral("regular expression"), this);
  m_containsRegex->setChecked(target.bodyMustMatchRegex);
  auto* containsRow = new QWidget(this);
  auto* cl = new QHBoxLayout(containsRow);
  cl->setContentsMargins(0, 0, 0, 0);
  cl->addWidget(m_contains, 1);
  cl->addWidget(m_containsRegex);
  m_headers = new QPlainTextEdit(this);
  m_headers->setPlaceholderText(
      QStringLiteral("One per line: X-API-Key: @/path/to/key-file  or  X-Tenant: blue"));
  m_headers->setTabChangesFocus(true);
  m_headers->setFixedHeight(m_headers->fontMetrics().lineSpacing() * 3 + 12);
  QStringList headerLines;
  for (const RequestHeader& h : target.extraHeaders) {
    QString value = h.value;
    if (!h.secretRef.isEmpty())
      value = QLatin1Char('@') %
              (h.secretRef.startsWith(QLatin1String("file:")) ? h.secretRef.mid(5) : h.secretRef);
    headerLines << QString::fromLatin1(h.name) % QStringLiteral(": ") % value;
  }
  m_headers->setPlainText(headerLines.join(QLatin1Char('\n')));

  auto* form = new QFormLayout;
  form->addRow(QStringLiteral("&Name:"), m_name);
  form->addRow(QStringLiteral("&Group:"), groupRow);
  form->addRow(QStringLiteral("&Behind:"), m_parent);
  form->addRow(QStringLiteral("Base &URL:"), m_url);
  form->addRow(QStringLiteral("&Readiness:"), readyRow);
  form->addRow(QStringLiteral("&Liveness:"), liveRow);
  form->addRow(QStringLiteral("&Metrics:"), metricsRow);
  form->addRow(QStringLiteral("Answer:"), m_statusOnly);
  form->addRow(QStringLiteral("Body must &contain:"), containsRow);
  // In a container of its own: the form then sizes the row from the container's layout,
  // which honours the box's fixed height (a bare QPlainTextEdit row was squeezed).
  auto* headersRow = new QWidget(this);
  auto* hl = new QVBoxLayout(headersRow);
  hl->setContentsMargins(0, 0, 0, 0);
  hl->addWidget(m_headers);
  headersRow->setMinimumHeight(m_headers->height());
  form->addRow(QStringLiteral("E&xtra headers:"), headersRow);
  form->addRow(QStringLiteral("Poll &every:"), m_interval);
  form->addRow(QStringLiteral("&Timeout:"), m_timeout);
  form->addRow(QStringLiteral("&Authentication:"), m_auth);
  form->addRow(QStringLiteral("Keep the secret in:"), m_storage);
  form->addRow(QString(), m_keychainNote);
  form->addRow(QStringLiteral("U&ser:"), m_user);
  form->addRow(QStringLiteral("&Secret:"), m_secret);
  form->addRow(QStringLiteral("Secret &file:"),
               fileRow(this, m_secretFile, QStringLiteral("Choose the secret file")));
  form->addRow(QStringLiteral("T&LS trust:"), m_tls);
  form->addRow(QStringLiteral("&CA file:"),
               fileRow(this, m_caFile, QStringLiteral("Choose the CA file")));
  form->addRow(QStringLiteral("Pinned:"), m_pinnedLabel);
  form->addRow(QStringLiteral("C&ertificate:"), m_certRow);
  // --- health from metrics: the admin's rules over /metrics ---
  m_metricRules = new MetricRulesEditor(target.metricRules, this);
  form->addRow(QStringLiteral("Metric r&ules:"), m_metricRules);
  // --- end health from metrics ---

  m_test = new QPushButton(QStringLiteral("&Test"), this);
  m_test->setToolTip(QStringLiteral("Poll once with these settings and show the result"));
  m_testBadge = new QLabel(this);
  m_testBadge->setTextFormat(Qt::PlainText); // may show server text
  m_testBadge->setFixedSize(20, 20);
  m_testText = new QLabel(QStringLiteral("Not tested yet"), this);
  m_testText->setTextFormat(Qt::PlainText); // may show server text
  m_testText->setWordWrap(true);
  m_inspect = new QPushButton(QStringLiteral("&Inspect certificate…"), this);
  m_inspect->hide();
  auto* testRow = new QHBoxLayout;
  testRow->addWidget(m_test);
  testRow->addWidget(m_testBadge);
  testRow->addWidget(m_testText, 1);
  testRow->addWidget(m_inspect);
  m_error = new QLabel(this);
  m_error->setTextFormat(Qt::PlainText); // may show server text
  m_error->setWordWrap(true);
  m_error->hide();

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &ServerDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(m_test, &QPushButton::clicked, this, &ServerDialog::runTest);
  connect(m_detect, &QPushButton::clicked, this, &ServerDialog::runDetect);
  connect(m_inspect, &QPushButton::clicked, this, &ServerDialog::inspectCertificate);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addLayout(testRow);
  layout->addWidget(m_error);
  layout->addWidget(buttons);

  // Stable names for tests and accessibility tools.
  const std::initializer_list<std::pair<QWidget*, const char*>> names = {
      {m_name, "name"},
      {m_group, "group"},
      {m_tags, "tags"},
      {m_parent, "parent"},
      {m_certWarn, "certWarnDays"},
      {m_certCrit, "certCritDays"},
      {m_url, "url"},
      {m_readyOn, "readyOn"},
      {m_ready, "readyPath"},
      {m_liveOn, "liveOn"},
      {m_live, "livePath"},
      {m_metricsOn, "metricsOn"},
      {m_metrics, "metricsPath"},
      {m_statusOnly, "statusOnly"},
      {m_contains, "bodyMustContain"},
      {m_containsRegex, "bodyRegex"},
      {m_headers, "extraHeaders"},
      {m_auth, "auth"},
      {m_storage, "storage"},
      {m_keychainNote, "keychainNote"},
      {m_secret, "secret"},
      {m_secretFile, "secretFile"},
      {m_tls, "tls"},
      {m_detect, "detect"},
      {m_test, "test"},
      {m_testText, "testText"},
      {m_inspect, "inspect"},
      {m_error, "error"}};
  for (const auto& [widget, name] : names)
    widget->setObjectName(QLatin1String(name));

  const auto visibility = [this, form] {
    updateVisibility();
    const int auth = m_auth->currentIndex();
    const bool file = secretStorage() == SecretStorage::File;
    form->setRowVisible(m_storage, auth != 0);
    form->setRowVisible(m_keychainNote, auth != 0 && !m_keychainNote->text().isEmpty());
    form->setRowVisible(m_user, auth == 2 && !file);
    form->setRowVisible(m_secret, auth != 0 && !file);
    form->setRowVisible(m_secretFile->parentWidget(), auth != 0 && file);
    form->setRowVisible(m_caFile->parentWidget(), m_tls->currentIndex() == 1);
    form->setRowVisible(m_pinnedLabel, m_tls->currentIndex() == 2);
    form->setRowVisible(m_certRow,
                        QUrl(m_url->text().trimmed()).scheme() == QLatin1String("https"));
    fitHeight();
  };
  connect(m_url, &QLineEdit::textChanged, this, visibility);
  connect(m_auth, &QComboBox::currentIndexChanged, this, visibility);
  connect(m_storage, &QComboBox::currentIndexChanged, this, visibility);
  connect(m_tls, &QComboBox::currentIndexChanged, this, visibility);
  connect(&m_secrets, &SecretStore::availabilityChanged, this, visibility);
  visibility();
  resize(560, sizeHint().height());
}

void ServerDialog::fitHeight() {
  // Wrapped notes need more lines than QLabel's size hint admits: pin each one's minimum
  // height to what its text needs at its current width, so the dialog grows instead of
  // clipping (and shrinks back when the text gets shorter).
  // Queued: it must not run inside QFormLayout::setRowVisible's own relayout.
  QMetaObject::invokeMethod(
      this,
      [this] {
        if (!isVisible()) return;
        for (QLabel* label : {m_keychainNote, m_testText, m_error})
          label->setMinimumHeight(label->isVisibleTo(this) && label->width() > 0
                                      ? label->heightForWidth(label->width())
                                      : 0);
      },
      Qt::QueuedConnection);
}

void ServerDialog::showEvent(QShowEvent* event) {
  QDialog::showEvent(event);
  fitHeight();
}

ServerDialog::~ServerDialog() = default;

void ServerDialog::updateVisibility() {
  const bool keychainDown = m_secrets.availability() == SecretStore::Availability::Unavailable;
  if (keychainDown) {
    m_keychainNote->setText(m_secrets.unavailableReason() %
                            QStringLiteral(". Name a file that holds the secret instead; it is "
                                           "never copied into Healthdeck's files."));
    if (m_storage->currentIndex() == 0) m_storage->setCurrentIndex(1);
  } else {
    m_keychainNote->clear();
  }
  m_pinnedLabel->setText(m_pinned.size() == 32
                             ? CertificateDialog::fingerprintText(m_pinned)
                             : QStringLiteral("No certificate pinned yet: press Test and trust "
                                              "the certificate the server presents."));
}

void ServerDialog::setParentCandidates(const QList<QPair<QString, QString>>& candidates) {
  const QString current =
      m_parent->count() > 0 ? m_parent->currentData().toString() : m_original.parentId;
  m_parent->clear();
  m_parent->addItem(QStringLiteral("Nothing (reached directly)"), QString());
  for (const auto& [id, name] : candidates)
    m_parent->addItem(name, id);
  if (!current.isEmpty() && m_parent->findData(current) < 0)
    m_parent->addItem(QStringLiteral("%1 (not in the list)").arg(current), current);
  m_parent->setCurrentIndex(std::max(0, m_parent->findData(current)));
}

ServerDialog::SecretStorage ServerDialog::secretStorage() const {
  return m_storage->currentIndex() == 1 ? SecretStorage::File : SecretStorage::Keychain;
}

QByteArray ServerDialog::typedSecret() const {
  if (m_auth->currentIndex() == 0 || secretStorage() == SecretStorage::File) return {};
  if (m_secret->text().isEmpty()) return {};
  if (m_auth->currentIndex() == 2)
    return (m_user->text() % QLatin1Char(':') % m_secret->text()).toUtf8();
  return m_secret->text().toUtf8();
}

TargetConfig ServerDialog::target() const {
  TargetConfig t = m_original;
  if (t.id.isEmpty()) t.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
  t.name = m_name->text().trimmed();
  t.group = m_group->text().trimmed();
  t.tags.clear();
  static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
  for (const QString& tag : m_tags->text().split(separators, Qt::SkipEmptyParts))
    if (!t.tags.contains(tag)) t.tags << tag;
  t.parentId = m_parent->currentData().toString();
  t.certWarnDays = m_certWarn->value();
  t.certCritDays = m_certCrit->value();
  t.baseUrl = QUrl(m_url->text().trimmed(), QUrl::StrictMode);
  t.readyPath = m_readyOn->isChecked() ? m_ready->text().trimmed() : QString{};
  t.livePath = m_liveOn->isChecked() ? m_live->text().trimmed() : QString{};
  t.metricsPath = m_metricsOn->isChecked() ? m_metrics->text().trimmed() : QString{};
  t.interval = std::chrono::milliseconds(m_interval->value() * 1000);
  t.timeout = std::chrono::milliseconds(static_cast<qint64>(m_timeout->value() * 1000));
  t.auth = static_cast<AuthKind>(m_auth->currentIndex());
  if (t.auth == AuthKind::None)
    t.secretRef.clear();
  else if (secretStorage() == SecretStorage::File)
    t.secretRef = SecretStore::fileRef(m_secretFile->text().trimmed());
  else
    t.secretRef = SecretStore::keychainRef(t.id);
  t.tlsMode = static_cast<TlsMode>(m_tls->currentIndex());
  t.caFile = t.tlsMode == TlsMode::CaFile ? m_caFile->text().trimmed() : QString{};
  t.pinnedSha256 = t.tlsMode == TlsMode::Pinned ? m_pinned : QByteArray{};
  t.statusCodeOnly = m_statusOnly->isChecked();
  t.bodyMustContain = m_contains->text();
  t.bodyMustMatchRegex = m_containsRegex->isChecked() && !t.bodyMustContain.isEmpty();
  t.extraHeaders.clear();
  parseHeaders(&t.extraHeaders);
  t.metricRules = m_metricRules->rules(); // health from metrics
  return t;
}

QString ServerDialog::parseHeaders(QList<RequestHeader>* out) const {
  const QStringList lines = m_headers->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
  for (const QString& raw : lines) {
    const QString line = raw.trimmed();
    if (line.isEmpty()) continue;
    const qsizetype colon = line.indexOf(QLatin1Char(':'));
    RequestHeader h;
    h.name = line.left(std::max<qsizetype>(colon, 0)).trimmed().toLatin1();
    if (colon <= 0 || !isAllowedExtraHeader(h.name))
      return QStringLiteral("Extra headers: \"%1\" is not \"Name: value\" with a header name "
                            "the console does not set itself.")
          .arg(line.left(60));
    const QString value = line.mid(colon + 1).trimmed();
    if (value.startsWith(QLatin1Char('@'))) {
      // A secret: "@keychain:<id>" as stored, anything else a file path.
      const QString ref = value.mid(1);
      h.secretRef = ref.startsWith(QLatin1String("keychain:")) ? ref : SecretStore::fileRef(ref);
    } else {
      h.value = value;
    }
    if (out) out->append(h);
  }
  return {};
}

QString ServerDialog::validationError() const {
  const TargetConfig t = target();
  if (t.name.isEmpty()) return QStringLiteral("Give the server a name.");
  const QString scheme = t.baseUrl.scheme();
  if (!t.baseUrl.isValid() || t.baseUrl.host().isEmpty() ||
      (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
    return QStringLiteral("The base URL must be http:// or https:// with a host.");
  for (const QString& p : {t.readyPath, t.livePath, t.metricsPath})
    if (!p.isEmpty() && !p.startsWith(QLatin1Char('/')))
      return QStringLiteral("Route paths start with /.");
  if (!t.parentId.isEmpty() && t.parentId == t.id)
    return QStringLiteral("A server cannot sit behind itself.");
  if (t.certWarnDays >= 0 && t.certCritDays > t.certWarnDays)
    return QStringLiteral("Certificate: the warning comes before the critical level (warn days "
                          "≥ critical days).");
  if (t.readyPath.isEmpty() && t.livePath.isEmpty() && t.metricsPath.isEmpty())
    return QStringLiteral("Turn on at least one route (readiness, liveness, or metrics only).");
  if (QString headers = parseHeaders(nullptr); !headers.isEmpty()) return headers;
  if (QString rules = m_metricRules->validationError(); !rules.isEmpty()) return rules;
  if (t.bodyMustMatchRegex && !QRegularExpression(t.bodyMustContain).isValid())
    return QStringLiteral("Body must contain: not a valid regular expression (%1).")
        .arg(QRegularExpression(t.bodyMustContain).errorString());
  if (t.auth != AuthKind::None) {
    if (secretStorage() == SecretStorage::File && m_secretFile->text().trimmed().isEmpty())
      return QStringLiteral("Name the file that holds the secret.");
    if (secretStorage() == SecretStorage::Keychain) {
      if (m_secrets.availability() == SecretStore::Availability::Unavailable)
        return m_secrets.unavailableReason() % QStringLiteral(": choose the file option.");
      const bool stored = m_original.secretRef == SecretStore::keychainRef(t.id);
      if (typedSecret().isEmpty() && !stored) return QStringLiteral("Enter the secret.");
    }
  }
  if (t.tlsMode == TlsMode::CaFile && t.caFile.isEmpty())
    return QStringLiteral("Name the CA file.");
  if (t.tlsMode == TlsMode::Pinned && t.pinnedSha256.size() != 32)
    return QStringLiteral("No certificate pinned: press Test and trust the certificate.");
  return {};
}

void ServerDialog::accept() {
  const QString error = validationError();
  if (!error.isEmpty()) {
    m_error->setText(error);
    m_error->show();
    fitHeight();
    return;
  }
  QDialog::accept();
}

void ServerDialog::runTest() {
  const QString error = validationError();
  if (!error.isEmpty() && !error.startsWith(QLatin1String("No certificate pinned"))) {
    m_testText->setText(error);
    return;
  }
  if (m_auth->currentIndex() != 0 && secretStorage() == SecretStorage::File) {
    // The secret file is read off the GUI thread; test once it has landed.
    const QString ref = SecretStore::fileRef(m_secretFile->text());
    if (m_secrets.pending(ref)) {
      m_test->setEnabled(false);
      m_testText->setText(QStringLiteral("Reading %1 …").arg(m_secretFile->text()));
      auto* once = new QObject(this);
      connect(&m_secrets, &SecretStore::fileSecretLoaded, once,
              [this, once, ref](const QString& r) {
                if (r != ref) return;
                once->deleteLater();
                m_test->setEnabled(true);
                runTest();
              });
      return;
    }
  }
  TargetConfig t = target();
  t.id = QStringLiteral("test:") + t.id;
  m_test->setEnabled(false);
  m_testText->setText(QStringLiteral("Polling %1 …").arg(t.baseUrl.toString()));
  m_poller->pollOnce(
      t,
      [self = QPointer<ServerDialog>(this)](const TargetSnapshot& result) {
        if (self) self->showTestResult(result);
      },
      typedCredentials());
}

std::optional<QByteArray> ServerDialog::typedSecretFor(const QString& ref) const {
  if (m_auth->currentIndex() == 0) return std::nullopt;
  if (secretStorage() == SecretStorage::File)
    return m_secrets.resolve(SecretStore::fileRef(m_secretFile->text()));
  const QByteArray typed = typedSecret();
  if (!typed.isEmpty()) return typed;
  return m_secrets.resolve(ref);
}

QString ServerDialog::typedSecretProblem(const QString& ref) const {
  if (secretStorage() == SecretStorage::File)
    return m_secrets.problem(SecretStore::fileRef(m_secretFile->text()));
  return m_secrets.problem(ref);
}

Poller::Credentials ServerDialog::typedCredentials() {
  // Test and Detect use what is typed, before anything is saved. Detect may ask again after
  // its first answers, so the dialog may be gone by then.
  const QPointer<ServerDialog> self(this);
  Poller::Credentials c;
  c.resolver = [self](const QString& ref) {
    const ServerDialog* d = self.data();
    return d ? d->typedSecretFor(ref) : std::nullopt;
  };
  c.problem = [self](const QString& ref) {
    const ServerDialog* d = self.data();
    return d ? d->typedSecretProblem(ref) : QStringLiteral("the dialog was closed");
  };
  return c;
}

void ServerDialog::runDetect() {
  TargetConfig t = target();
  const QString scheme = t.baseUrl.scheme();
  if (!t.baseUrl.isValid() || t.baseUrl.host().isEmpty() ||
      (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
    m_testBadge->clear();
    m_testText->setText(QStringLiteral("Enter the base URL (http:// or https:// with a host) "
                                       "before detecting."));
    return;
  }
  m_detectId = QStringLiteral("detect:") + t.id;
  t.id = m_detectId;
  m_detect->setEnabled(false);
  m_testBadge->clear();
  m_testText->setText(
      QStringLiteral("Looking for a health endpoint on %1 …").arg(t.baseUrl.toString()));
  m_poller->detectReadinessPath(t, Poller::commonReadinessPaths(), typedCredentials());
}

void ServerDialog::showDetectResult(const QString& targetId, const QString& path,
                                    const QString& summary, bool metricsOnly) {
  if (targetId != m_detectId) return;
  m_detect->setEnabled(true);
  if (!path.isEmpty()) {
    m_readyOn->setChecked(true);
    m_ready->setText(path);
  } else if (metricsOnly) {
    // Only /metrics answers: watch the server by its scrape (no health routes).
    m_readyOn->setChecked(false);
    m_liveOn->setChecked(false);
    m_metricsOn->setChecked(true);
  }
  m_testText->setText(summary);
  fitHeight();
  Q_EMIT detectFinished(path, summary);
}

void ServerDialog::showTestResult(const TargetSnapshot& result) {
  m_test->setEnabled(true);
  m_testResult = result;
  m_testBadge->setPixmap(
      badgeIcon(result.state, false, StatePalette::forPalette(palette())).pixmap(QSize(20, 20)));
  const QString word = presentation(result).word; // "Not found" as the list says it
  const QString sentence = result.sentence.isEmpty() ? describe(result) : result.sentence;
  // "Up: Prometheus Server is Ready." already starts with the word; say it once.
  m_testText->setText(sentence.startsWith(word) ? sentence
                                                : QString(word % QStringLiteral(": ") % sentence));
  m_inspect->setVisible(result.peerCertificate.has_value());
  fitHeight();
  Q_EMIT testFinished(result);
}

void ServerDialog::inspectCertificate() {
  if (!m_testResult.peerCertificate) return;
  CertificateDialog dialog(*m_testResult.peerCertificate, m_name->text(), this);
  if (dialog.exec() != QDialog::Accepted) return;
  m_pinned = m_testResult.peerCertificate->sha256;
  m_tls->setCurrentIndex(static_cast<int>(TlsMode::Pinned));
  updateVisibility();
}

} // namespace healthdeck
