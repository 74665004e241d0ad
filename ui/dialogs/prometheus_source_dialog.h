#pragma once
// PrometheusSourceDialog: add or edit a Prometheus source — a Prometheus-compatible API URL,
// a label filter (`job=~"api|db"`), the label rows are grouped by, the refresh interval, auth
// (bearer or basic, the secret read from a file) and TLS trust (a CA file). "Test" runs one
// refresh cycle and says how many targets it found, or what the source answered.
// Server text is shown as plain text. GUI thread; the dialog owns its test source.

#include "healthdeck/client/source/prometheus_source_config.h"

#include <QDialog>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace healthdeck {

class PrometheusSource;

class PrometheusSourceDialog : public QDialog {
  Q_OBJECT
public:
  explicit PrometheusSourceDialog(const PrometheusSourceConfig& source, QWidget* parent = nullptr);
  ~PrometheusSourceDialog() override;

  PrometheusSourceConfig source() const;
  /// Why the entries cannot be saved, empty when they can.
  QString validationError() const;

public Q_SLOTS:
  void runTest();
  void accept() override;

Q_SIGNALS:
  void testFinished(const QString& sentence, bool ok);

private:
  PrometheusSourceConfig m_original;
  QLineEdit* m_name = nullptr;
  QLineEdit* m_url = nullptr;
  QLineEdit* m_selector = nullptr;
  QLineEdit* m_groupLabel = nullptr;
  QSpinBox* m_interval = nullptr;
  QComboBox* m_auth = nullptr;
  QLineEdit* m_secretFile = nullptr;
  QLineEdit* m_caFile = nullptr;
  QLabel* m_result = nullptr;
  QPushButton* m_test = nullptr;
  std::unique_ptr<PrometheusSource> m_testSource;
};

} // namespace healthdeck
