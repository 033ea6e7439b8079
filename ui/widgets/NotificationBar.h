#pragma once

#include <QFrame>
#include <QTimer>

class QLabel;

/// A non-modal strip at the top of the console that tells how an action ended (or what a
/// long one is doing) and hides itself after a while. Never steals focus.
class NotificationBar : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NotificationBar)

public:
    enum class Kind { Info, Success, Warning, Failure };

    explicit NotificationBar(QWidget *parent = nullptr);
    void show(Kind kind, const QString &text);
    QString text() const;
    Kind kind() const { return m_kind; }

private:
    QLabel *m_label;
    QTimer m_hide;
    Kind m_kind = Kind::Info;
};
