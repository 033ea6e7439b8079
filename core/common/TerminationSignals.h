#pragma once

#include <QList>
#include <QObject>

class QSocketNotifier;

/// Turns POSIX termination signals (SIGINT, SIGTERM, SIGHUP by default) into the Qt signal
/// received(), delivered on the event loop of the thread that created this object, so that
/// a program ends through its ordinary shutdown path: the window stops the demo it started,
/// a command finishes what it must. The handler itself only writes the signal's number to a
/// pipe, which is all that is safe inside a signal handler.
///
/// One instance per process; the destructor restores the default dispositions.
class TerminationSignals : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TerminationSignals)

public:
    static QList<int> defaultSignals();

    explicit TerminationSignals(QObject *parent = nullptr);
    TerminationSignals(const QList<int> &signalNumbers, QObject *parent);
    ~TerminationSignals() override;

    /// How many signals have arrived so far (a second one usually means "now").
    int count() const { return m_count; }

signals:
    void received(int signalNumber);

private:
    void readPipe();

    QList<int> m_signals;
    QSocketNotifier *m_notifier = nullptr;
    int m_count = 0;
};
