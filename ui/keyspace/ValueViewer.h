#pragma once

#include <QByteArray>
#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;

/// A read-only view of one value: as text, as indented JSON or as hex (the best fit chosen
/// first), and for a Kubernetes object stored as protobuf its apiVersion and kind from the
/// storage envelope. Nothing here can change a value.
class ValueViewer : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ValueViewer)

public:
    explicit ValueViewer(QWidget *parent = nullptr);

    void showValue(const QByteArray &key, const QByteArray &value, qint64 modRevision);
    void showMessage(const QString &message);
    QString headline() const;
    QString body() const;
    QComboBox *format() const { return m_format; }

private:
    void render();

    QLabel *m_headline;
    QComboBox *m_format;
    QPlainTextEdit *m_text;
    QByteArray m_value;
    bool m_hasValue = false;
};
