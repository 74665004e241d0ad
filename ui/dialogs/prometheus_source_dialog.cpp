#include "healthdeck/ui/dialogs/prometheus_source_dialog.h"

#include "healthdeck/client/parse/label_selector.h"
#include "healthdeck/client/source/prometheus_source.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QUuid>
#include <QVBoxLayout>

namespace healthdeck {

PrometheusSourceDialog::PrometheusSourceDialog(const PrometheusSourceConfig& source,
                                               QWidget* parent)
    : QDialog(parent), m_original(source) {
  setWindowTitle(source.connection.id.isEmpty() ? QStringLiteral("Add Prometheus source")
                                                : QStringLiteral("Edit Prometheus source"));
  const TargetConfig& c = source.connection;
  m_name = new QLineEdit(c.name, this);
  m_name->setPlaceholderText(QStringLiteral("Production Prometheus"));
  m_url = new QLineEdit(c.baseUrl.toString(), this);
  m_url->setPlaceholderText(QStringLiteral("http://prometheus.example:9090"));
  m_selector = new QLineEdit(source.selector, this);
  m_selector->setPlaceholderText(QStringLiteral("job=~\"api|db\"   (empty: every target)"));
  m_groupLabel = new QLineEdit(source.groupLabel, this);
  m_interval = new QSpinBox(this);
  m_interval->setRange(5, 3600);
  m_interval->setSuffix(QStringLiteral(" s"));
  m_interval->setValue(static_cast<int>(c.interval.count() / 1000));
  m_auth = new QComboBox(this);
  m_auth->addItems({QStringLiteral("None"), QStringLiteral("Bearer token"),
                    QStringLiteral("Basic (user:password)")});
  m_auth->setCurrentIndex(c.auth == AuthKind::Bearer ? 1 : c.auth == AuthKind::Basic ? 2 : 0);
  QString secretPath = c.secretRef;
  if (secretPath.startsWith(QLatin1String("file:"))) secretPath = secretPath.mid(5);
  m_secretFile = new QLineEdit(secretPath, this);
  m_secretFile->setPlaceholderText(QStringLiteral("file holding the token or user:password"));
  m_caFile = new QLineEdit(c.tlsMode == TlsMode::CaFile ? c.caFile : QString(), this);
  m_caFile->setPlaceholderText(QStringLiteral("PEM file (empty: system trust)"));

  auto* form = new QFormLayout;
  form->addRow(QStringLiteral("&Name"), m_name);
  form->addRow(QStringLiteral("API &URL"), m_url);
  form->addRow(QStringLiteral("&Label filter"), m_selector);
  form->addRow(QStringLiteral("&Group rows by label"), m_groupLabel);
  form->addRow(QStringLiteral("&Refresh every"), m_interval);
  form->addRow(QStringLiteral("&Auth"), m_auth);
  form->addRow(QStringLiteral("&Secret file"), m_secretFile);
  form->addRow(QStringLiteral("&CA file"), m_caFile);

  m_result = new QLabel(this);
  m_result->setTextFormat(Qt::PlainText); // what a server said is data, never markup
  m_result->setWordWrap(true);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  m_test = buttons->addButton(QStringLiteral("&Test"), QDialogButtonBox::ActionRole);
  connect(m_test, &QPushButton::clicked, this, &PrometheusSourceDialog::runTest);
  connect(buttons, &QDialogButtonBox::accepted, this, &PrometheusSourceDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* layout = new QVBoxLayout(this);
  auto* note = new QLabel(
      QStringLiteral("Reads the targets Prometheus (or Thanos, VictoriaMetrics, Mimir) already "
                     "scrapes, in a few batched queries per refresh, instead of polling each "
                     "server from this desk."),
      this);
  note->setWordWrap(true);
  layout->addWidget(note);
  layout->addLayout(form);
  layout->addWidget(m_result);
  layout->addWidget(buttons);
  setMinimumWidth(560);
}

PrometheusSourceDialog::~PrometheusSourceDialog() = default;

PrometheusSourceConfig PrometheusSourceDialog::source() const {
  PrometheusSourceConfig s = m_original;
  TargetConfig& c = s.connection;
  if (c.id.isEmpty())
    c.id = QStringLiteral("source:") + QUuid::createUuid().toString(QUuid::WithoutBraces);
  c.sourceId = c.id;
  c.name = m_name->text().trimmed();
  c.baseUrl = QUrl(m_url->text().trimmed(), QUrl::StrictMode);
  s.selector = m_selector->text().trimmed();
  s.groupLabel = m_groupLabel->text().trimmed().isEmpty() ? QStringLiteral("job")
                                                          : m_groupLabel->text().trimmed();
  c.interval = std::chrono::milliseconds(static_cast<qint64>(m_interval->value()) * 1000);
  c.auth = m_auth->currentIndex() == 1   ? AuthKind::Bearer
           : m_auth->currentIndex() == 2 ? AuthKind::Basic
                                         : AuthKind::None;
  c.secretRef = c.auth == AuthKind::None || m_secretFile->text().trimmed().isEmpty()
                    ? QString()
                    : QStringLiteral("file:") + m_secretFile->text().trimmed();
  const QString ca = m_caFile->text().trimmed();
  c.tlsMode = ca.isEmpty() ? TlsMode::System : TlsMode::CaFile;
  c.caFile = ca;
  return s;
}

QString PrometheusSourceDialog::validationError() const {
  const PrometheusSourceConfig s = source();
  if (s.connection.name.isEmpty()) return QStringLiteral("Name: required");
  const QUrl& u = s.connection.baseUrl;
  if (!u.isValid() || u.host().isEmpty() ||
      (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https")))
    return QStringLiteral("API URL: not an http or https URL");
  QString error;
  if (!LabelSelector::parse(s.selector, &error)) return QStringLiteral("Label filter: ") + error;
  if (s.connection.auth != AuthKind::None && s.connection.secretRef.isEmpty())
    return QStringLiteral("Secret file: required for this kind of auth");
  return {};
}

void PrometheusSourceDialog::runTest() {
  const QString error = validationError();
  if (!error.isEmpty()) {
    m_result->setText(error);
    Q_EMIT testFinished(error, false);
    return;
  }
  PrometheusSource::Options options;
  options.uptimeEvery = 0;
  options.rangeEvery = 0;
  m_testSource = std::make_unique<PrometheusSource>(source(), options);
  m_test->setEnabled(false);
  m_result->setText(QStringLiteral("Reading %1 …").arg(source().connection.baseUrl.toString()));
  connect(m_testSource.get(), &PrometheusSource::refreshed, this, [this] {
    m_test->setEnabled(true);
    const PrometheusSourceStatus& st = m_testSource->status();
    m_result->setText(st.sentence);
    Q_EMIT testFinished(st.sentence, st.ok());
  });
  m_testSource->refresh();
}

void PrometheusSourceDialog::accept() {
  const QString error = validationError();
  if (!error.isEmpty()) {
    m_result->setText(error);
    return;
  }
  QDialog::accept();
}

} // namespace healthdeck
