#pragma once

#include "cluster/ConsistencyReport.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

class ConsoleSession;
class QLabel;
class QPushButton;

/// One line on Overview: whether the members hold the same data, as the last consistency
/// check found ("consistent at revision R, 4 min ago"), in red naming the member that
/// diverges, with a button to check now.
class ConsistencyLine : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsistencyLine)

public:
    explicit ConsistencyLine(QWidget *parent = nullptr);

    void setSession(ConsoleSession *session);
    QString text() const;
    QPushButton *checkButton() const { return m_check; }

    /// "consistent at revision 1200, 4 min ago"; the verdict's sentence for the rest.
    static QString describe(const ConsistencyReport &report, qint64 nowMs);

private:
    void refresh();

    QPointer<ConsoleSession> m_session;
    QLabel *m_label;
    QPushButton *m_check;
    QTimer m_ageTimer;
};
