#pragma once

#include "etcd/ConnectionSettings.h"

#include <QDialog>

class QTextBrowser;
struct TlsDiagnosis;
struct TlsFilesCheck;

/// Certificate diagnostics for the connection, in a window of their own: the client
/// certificate and the trusted CAs, then each endpoint's presented chain with a sentence for
/// every problem. Files are read off the GUI thread; the endpoints are met asynchronously.
class CertificatesDialog : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CertificatesDialog)

public:
    CertificatesDialog(const ConnectionSettings &settings, QWidget *parent = nullptr);

    QString text() const;
    bool isFinished() const { return m_finished; }

signals:
    void finished_(); ///< everything has been checked

private:
    void render();

    ConnectionSettings m_settings;
    QTextBrowser *m_view;
    QString m_filesHtml;
    QList<QString> m_endpointHtml;
    int m_pending = 0;
    bool m_finished = false;
};
