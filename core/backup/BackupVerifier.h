#pragma once

#include "backup/BackupManifest.h"
#include "backup/SnapshotFile.h"
#include "common/StepChain.h"

#include <QObject>
#include <functional>
#include <memory>

/// What verifying one file found.
struct VerifyReport {
    QString file;
    BackupVerification verification; ///< Verified, HashChecked, or Failed with its sentence
    SnapshotDigest digest;
    SnapshotStatus status; ///< read from the file (when it reads)
    bool hadManifest = false;
    QStringList checks; ///< each check that passed, in order, for the operator

    QJsonObject toJson() const;
};

/// Proves a backup restorable: checks etcd's trailing SHA-256 and, when the manifest lies
/// beside the file, the file's SHA-256 against it; reads the database as `etcdctl snapshot
/// status` does; then restores it (etcdutl, or etcdctl where the etcd version has no
/// etcdutl) into a throw-away single-member etcd on free loopback ports, starts it, and
/// reads its revision, key count and HashKV at the backup's revision, which must match what
/// the manifest recorded. The member is stopped and its directory removed whatever happens;
/// the result is written into the manifest.
///
/// Without an etcd binary the restore is skipped and the backup is only "hash checked".
class BackupVerifier : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackupVerifier)

public:
    /// A report (Verified, HashChecked or Failed), or why the check could not run at all.
    using Done = std::function<void(const Result<VerifyReport> &)>;

    explicit BackupVerifier(QObject *parent = nullptr);
    ~BackupVerifier() override;

    /// The tool that restores a snapshot: etcdutl beside etcd or on PATH, else etcdctl
    /// (etcd 3.4 has no etcdutl); empty when neither is installed.
    static QString restoreTool(const QString &etcd);

    /// etcd: the binary to restore into (empty: etcd on PATH; none: hashes only).
    void verify(const QString &file, const QString &etcd, Done done);
    /// The same for a backup of a cluster with authentication on: the restored member
    /// keeps it, and answers key counts and HashKV to the root user only.
    void verify(const QString &file, const QString &etcd, const QString &user, const QString &password, Done done);

    /// The operator's Cancel: every step may be stopped (the throw-away member is stopped and
    /// its directory removed, as after any end); the report then says nothing was verified.
    void setStopToken(const StopToken &stop) { m_stop = stop; }

signals:
    void stepStarted(const StepStart &step);

private:
    struct State;
    void countAndHash(State &s, std::function<void(Result<void>)> next, bool withCredentials);
    void finish(const std::shared_ptr<State> &state, Result<void> result);

    std::shared_ptr<State> m_state;
    StopToken m_stop;
};
