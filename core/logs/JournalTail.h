#pragma once

#include "logs/MemberLogEntry.h"

#include <QList>
#include <QObject>
#include <QProcess>
#include <QStringList>
#include <optional>

/// A systemd unit's log from journald, read through `journalctl -o json` (the journal's
/// files are journalctl's to read: their format is not a public contract, its JSON output
/// is). Reads the last lines, then follows while asked to. etcd writes its JSON lines to
/// the journal as MESSAGE; they are parsed as in a member's file, and the journal's own
/// time and priority fill in what a plain-text line lacks.
class JournalTail : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JournalTail)

public:
    struct Options {
        QStringList units {QStringLiteral("etcd")};
        QString file; ///< a journal file copied from a master (--file); "" for this machine's journal
        int lines = 1000; ///< how many of the newest lines to read first
        bool follow = false;
        QString journalctl = QStringLiteral("journalctl");
    };

    explicit JournalTail(const Options &options, QObject *parent = nullptr);
    ~JournalTail() override;

    /// Starts journalctl; linesRead follow as it writes, then finished (also after stop()).
    void start();
    void stop();
    QStringList arguments() const;

    /// One entry of journalctl's JSON output; nullopt for what is not an entry.
    static std::optional<MemberLogEntry> parseEntry(QByteArrayView json);

signals:
    void linesRead(const QList<MemberLogEntry> &lines);
    /// journalctl could not be run, or ended with an error: what it said, as a sentence.
    void failed(const QString &sentence);
    void finished();

private:
    void readOutput();

    Options m_options;
    QProcess m_process;
    QByteArray m_partial;
    bool m_stopping = false;
};
